//! The controls of a settings form, derived from the declared settings (`SettingKey`, built
//! from settings.toml) and the typed values easel-core declares for them: each setting's
//! controls are found by one exhaustive match, their choices are the typed enums' values,
//! and what the form sends is read back into the settings' JSON and through the same
//! merge the API's PATCH uses, so the typed settings refuse what they cannot hold.

use easel_core::catalog::SettingKey;
use easel_core::settings::{
    CopyAccess, CopyContent, Creators, PublicLinkSharing, SharingAccess, SharingLevel,
    TeamDiscovery, TeamPrivacy, WhoCanInvite,
};
use maud::{Markup, html};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// What kind of control edits a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// On or off.
    Switch,
    /// One of these values.
    Choice(Vec<&'static str>),
    /// Off, or a list of these (domains, hosts).
    List(&'static str),
    /// Off, or a time in seconds, shown in minutes.
    Minutes,
    /// One of the company's classification labels, or none (inherit).
    Label,
    /// Off, or classification labels with a default and a policy link.
    Classification,
}

/// One control: where its value sits in the settings' JSON, its label and its kind.
#[derive(Clone, Debug)]
pub struct Field {
    /// The keys leading to the value in the settings' JSON (the wire form of the settings).
    pub path: &'static [&'static str],
    /// The control's label.
    pub label: &'static str,
    /// Its kind.
    pub kind: Kind,
}

fn choice<T: Copy>(all: &[T], text: fn(T) -> &'static str) -> Kind {
    Kind::Choice(all.iter().map(|v| text(*v)).collect())
}

fn one(path: &'static [&'static str], label: &'static str, kind: Kind) -> Vec<Field> {
    vec![Field { path, label, kind }]
}

/// A setting's name on the pages.
pub fn title(key: SettingKey) -> &'static str {
    use SettingKey as K;
    match key {
        K::IdleSessionTimeout => "Idle session timeout",
        K::EmbedSharing => "Sharing via embed",
        K::ExtendedContentAdmin => "Extended content admin permissions",
        K::AutoDeactivateGuests => "Automatically deactivate guests",
        K::AllowedDomains => "Restrict allowed domains",
        K::AllowedDomainsGuestBypass => "Guests may bypass the allowed domains",
        K::PublicLinkSharing => "Sharing via a public link",
        K::WhoCanInvite => "Who can invite new members",
        K::GuestInvites => "Members may invite guests",
        K::TeamPrivacy => "Team privacy",
        K::TeamDiscovery => "Team discovery",
        K::CoownerRole => "Allow the co-owner role",
        K::BoardClassification => "Board classification",
        K::BoardClassificationDefault => "Default classification label",
        K::WhoCanCreate => "Who can create",
        K::TeamAndCompanySharing => "Board sharing with the team and the company",
        K::DefaultSharing => "Default sharing of new boards and projects",
        K::BoardMoving => "Moving boards to and from the team",
        K::CopyContent => "Who can copy content",
        K::DefaultBoardContent => "Content settings of new boards",
    }
}

/// The controls of a setting, at the keys its value has in the settings' JSON.
pub fn fields(key: SettingKey) -> Vec<Field> {
    use SettingKey as K;
    let label = title(key);
    match key {
        K::IdleSessionTimeout => one(
            &["idle_session_timeout_secs"],
            "Idle session timeout, in minutes",
            Kind::Minutes,
        ),
        K::EmbedSharing => one(&["embed_sharing"], label, Kind::List("hosts")),
        K::ExtendedContentAdmin => one(&["extended_content_admin"], label, Kind::Switch),
        K::AutoDeactivateGuests => one(&["auto_deactivate_guests"], label, Kind::Switch),
        K::AllowedDomains => one(&["allowed_domains"], label, Kind::List("domains")),
        K::AllowedDomainsGuestBypass => one(&["allowed_domains_guest_bypass"], label, Kind::Switch),
        K::PublicLinkSharing => one(
            &["public_link_sharing"],
            label,
            choice(PublicLinkSharing::ALL, PublicLinkSharing::as_str),
        ),
        K::WhoCanInvite => one(
            &["who_can_invite"],
            label,
            choice(WhoCanInvite::ALL, WhoCanInvite::as_str),
        ),
        K::GuestInvites => one(&["guest_invites"], label, Kind::Switch),
        K::TeamPrivacy => one(
            &["team_privacy"],
            label,
            choice(TeamPrivacy::ALL, TeamPrivacy::as_str),
        ),
        K::TeamDiscovery => one(
            &["team_discovery"],
            label,
            choice(TeamDiscovery::ALL, TeamDiscovery::as_str),
        ),
        K::CoownerRole => one(&["coowner_role"], label, Kind::Switch),
        K::BoardClassification => one(&["board_classification"], label, Kind::Classification),
        K::BoardClassificationDefault => one(&["board_classification_default"], label, Kind::Label),
        K::WhoCanCreate => {
            let creators = || choice(Creators::ALL, Creators::as_str);
            vec![
                Field {
                    path: &["who_can_create", "boards"],
                    label: "Boards",
                    kind: creators(),
                },
                Field {
                    path: &["who_can_create", "projects"],
                    label: "Projects",
                    kind: creators(),
                },
                Field {
                    path: &["who_can_create", "templates"],
                    label: "Templates",
                    kind: creators(),
                },
            ]
        }
        K::TeamAndCompanySharing => vec![
            Field {
                path: &["team_and_company_sharing", "team"],
                label: "Boards may be shared with the whole team",
                kind: Kind::Switch,
            },
            Field {
                path: &["team_and_company_sharing", "company"],
                label: "Boards may be shared with the whole company",
                kind: Kind::Switch,
            },
        ],
        K::DefaultSharing => {
            let levels = || choice(SharingLevel::ALL, SharingLevel::as_str);
            vec![
                Field {
                    path: &["default_sharing", "boards"],
                    label: "New boards",
                    kind: levels(),
                },
                Field {
                    path: &["default_sharing", "projects"],
                    label: "New projects",
                    kind: levels(),
                },
            ]
        }
        K::BoardMoving => one(&["board_moving"], label, Kind::Switch),
        K::CopyContent => one(
            &["copy_content"],
            label,
            choice(CopyContent::ALL, CopyContent::as_str),
        ),
        K::DefaultBoardContent => vec![
            Field {
                path: &["default_board_content", "copy_access"],
                label: "Who can copy",
                kind: choice(CopyAccess::ALL, CopyAccess::as_str),
            },
            Field {
                path: &["default_board_content", "sharing_access"],
                label: "Who can share",
                kind: choice(SharingAccess::ALL, SharingAccess::as_str),
            },
        ],
    }
}

/// A value of a choice in words.
pub fn words(value: &str) -> String {
    match value {
        "off" => "Off".into(),
        "view_comment" => "View and comment only".into(),
        "any" => "Any access, editing included".into(),
        "editors" => "Editors and above".into(),
        other => sentence(&other.replace('_', " ")),
    }
}

/// The catalog's words as a sentence: its first letter capital.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The form name of a control.
fn name(field: &Field) -> String {
    field.path.join(".")
}

/// The element id of a control.
fn id(field: &Field) -> String {
    format!("f-{}", field.path.join("-"))
}

/// What a settings form shows besides the values: the company's classification labels,
/// which a label setting chooses from.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The label names.
    pub labels: Vec<String>,
}

fn at<'v>(settings: &'v Value, field: &Field) -> Option<&'v Value> {
    field.path.iter().try_fold(settings, |v, k| v.get(k))
}

fn text_of(v: Option<&Value>) -> &str {
    v.and_then(Value::as_str).unwrap_or("")
}

fn list_text(v: Option<&Value>) -> String {
    v.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// A setting's controls, showing `settings` (the settings' JSON), with the catalog's words
/// for what it does.
pub fn render(key: SettingKey, settings: &Value, context: &Context) -> Markup {
    let fields = fields(key);
    let hint_id = format!("h-{}", key.key());
    let simple = match fields.as_slice() {
        [f] => !matches!(f.kind, Kind::List(_) | Kind::Classification),
        _ => false,
    };
    if simple {
        html! {
            @for f in &fields {
                (control(f, settings, context, Some((&hint_id, key.effect()))))
            }
        }
    } else {
        html! {
            fieldset {
                legend { (title(key)) }
                p class="hint" id=(hint_id) { (sentence(key.effect())) }
                @for f in &fields {
                    (control(f, settings, context, None))
                }
            }
        }
    }
}

/// One control; a setting's only control carries the catalog's words for the setting
/// (`hint`: the element id and the words).
fn control(f: &Field, settings: &Value, context: &Context, hint: Option<(&str, &str)>) -> Markup {
    let (id, name, value) = (id(f), name(f), at(settings, f));
    let described = hint.map(|(h, _)| h);
    let hint = html! {
        @if let Some((h, words)) = hint {
            span class="hint" id=(h) { (sentence(words)) }
        }
    };
    match &f.kind {
        Kind::Switch => html! {
            div class="field check" {
                input type="checkbox" id=(id) name=(name) value="on"
                    checked[value.and_then(Value::as_bool).unwrap_or(false)]
                    aria-describedby=[described];
                label for=(id) { (f.label) }
                (hint)
            }
        },
        Kind::Choice(options) => html! {
            div class="field" {
                label for=(id) { (f.label) }
                select id=(id) name=(name) aria-describedby=[described] {
                    @for o in options {
                        option value=(o) selected[text_of(value) == *o] { (words(o)) }
                    }
                }
                (hint)
            }
        },
        Kind::Minutes => {
            let minutes = value.and_then(Value::as_u64).map(|s| s.div_ceil(60));
            html! {
                div class="field" {
                    label for=(id) { (f.label) }
                    input type="number" id=(id) name=(name) min="1" step="1" inputmode="numeric"
                        value=[minutes] aria-describedby=[described];
                    (hint)
                    span class="hint" { "Leave it empty to turn the timeout off." }
                }
            }
        }
        Kind::Label => html! {
            div class="field" {
                label for=(id) { (f.label) }
                select id=(id) name=(name) aria-describedby=[described] {
                    option value="" selected[value.is_none_or(Value::is_null)] { "The company's default" }
                    @for l in &context.labels {
                        option value=(l) selected[text_of(value) == l] { (l) }
                    }
                }
                (hint)
            }
        },
        Kind::List(what) => html! {
            div class="field check" {
                input type="checkbox" id=(format!("{id}-on")) name=(format!("{name}.on")) value="on"
                    checked[value.is_some_and(|v| !v.is_null())];
                label for=(format!("{id}-on")) { "On: only the " (what) " listed below" }
            }
            div class="field" {
                label for=(id) { "The " (what) ", one per line" }
                textarea id=(id) name=(name) rows="3" { (list_text(value)) }
            }
        },
        Kind::Classification => classification(f, value),
    }
}

fn classification(f: &Field, value: Option<&Value>) -> Markup {
    let (id, name) = (id(f), name(f));
    let on = value.is_some_and(|v| !v.is_null());
    let labels = value
        .and_then(|v| v.get("labels"))
        .and_then(Value::as_array)
        .map(|ls| {
            ls.iter()
                .map(|l| {
                    let n = text_of(l.get("name"));
                    match text_of(l.get("color")) {
                        "" => n.to_string(),
                        c => format!("{n} {c}"),
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    let default = text_of(value.and_then(|v| v.get("default_label")));
    let policy = text_of(value.and_then(|v| v.get("policy_url")));
    html! {
        div class="field check" {
            input type="checkbox" id=(format!("{id}-on")) name=(format!("{name}.on")) value="on" checked[on];
            label for=(format!("{id}-on")) { "On: boards carry a classification label" }
        }
        div class="field" {
            label for=(format!("{id}-labels")) { "Labels, one per line: a name and a colour" }
            textarea id=(format!("{id}-labels")) name=(format!("{name}.labels")) rows="4"
                aria-describedby=(format!("{id}-labels-hint")) { (labels) }
            span class="hint" id=(format!("{id}-labels-hint")) { "For example: internal #F5DC80" }
        }
        div class="field" {
            label for=(format!("{id}-default")) { "Label of new boards (empty for none)" }
            input type="text" id=(format!("{id}-default")) name=(format!("{name}.default")) value=(default);
        }
        div class="field" {
            label for=(format!("{id}-policy")) { "Link to the classification policy" }
            input type="url" id=(format!("{id}-policy")) name=(format!("{name}.policy_url")) value=(policy);
        }
    }
}

/// A posted form's fields, by name.
#[derive(Clone, Debug, Default)]
pub struct Posted(pub Vec<(String, String)>);

impl Posted {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed, if not blank.
    pub fn given(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }
}

/// The longest idle timeout the form takes: a year.
const MAX_MINUTES: u64 = 366 * 24 * 60;

/// The value a control sends, as the settings' JSON holds it; `current` is the value now.
fn read(f: &Field, form: &Posted, current: Option<&Value>) -> Result<Value, ApiError> {
    let name = name(f);
    Ok(match &f.kind {
        Kind::Switch => Value::Bool(form.get(&name).is_some()),
        Kind::Choice(options) => {
            let v = form.get(&name).unwrap_or("");
            if !options.contains(&v) {
                return Err(ApiError::invalid(format!(
                    "{}: choose one of {}",
                    f.label,
                    options.join(", ")
                )));
            }
            Value::String(v.to_string())
        }
        Kind::Minutes => match form.given(&name) {
            None => Value::Null,
            Some(text) => {
                let minutes = text
                    .parse::<u64>()
                    .ok()
                    .filter(|m| (1..=MAX_MINUTES).contains(m))
                    .ok_or_else(|| {
                        ApiError::invalid(format!(
                            "{}: a whole number of minutes from 1 to {MAX_MINUTES}, or empty",
                            f.label
                        ))
                    })?;
                // A time the page showed rounded up to whole minutes, sent back unchanged,
                // keeps its seconds.
                match current.and_then(Value::as_u64) {
                    Some(secs) if secs.div_ceil(60) == minutes => Value::from(secs),
                    _ => Value::from(minutes * 60),
                }
            }
        },
        Kind::Label => form
            .given(&name)
            .map_or(Value::Null, |l| Value::String(l.to_string())),
        Kind::List(_) => {
            if form.get(&format!("{name}.on")).is_none() {
                Value::Null
            } else {
                let items = form
                    .get(&name)
                    .unwrap_or("")
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect();
                Value::Array(items)
            }
        }
        Kind::Classification => read_classification(&name, form)?,
    })
}

fn read_classification(name: &str, form: &Posted) -> Result<Value, ApiError> {
    if form.get(&format!("{name}.on")).is_none() {
        return Ok(Value::Null);
    }
    let mut labels = Vec::new();
    for line in form
        .get(&format!("{name}.labels"))
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let (label, color) = match line.rsplit_once(char::is_whitespace) {
            Some((n, c)) if c.starts_with('#') => (n.trim(), c),
            _ => (line, ""),
        };
        labels.push(serde_json::json!({"name": label, "color": color}));
    }
    let text = |k: &str| {
        form.given(&format!("{name}.{k}"))
            .map_or(Value::Null, |v| Value::String(v.to_string()))
    };
    Ok(serde_json::json!({
        "labels": labels,
        "default_label": text("default"),
        "policy_url": text("policy_url"),
    }))
}

/// The change a form of `keys` asks for, as a PATCH body: each setting's whole value at its
/// top-level key, the values of `settings` (the settings' JSON now) with the form's applied.
pub fn patch(keys: &[SettingKey], form: &Posted, settings: &Value) -> Result<Value, ApiError> {
    let mut next = settings.clone();
    let mut out = Map::new();
    for key in keys {
        for f in fields(*key) {
            let value = read(&f, form, at(settings, &f))?;
            let Some((last, parents)) = f.path.split_last() else {
                continue;
            };
            let mut slot = &mut next;
            for p in parents {
                slot = slot
                    .get_mut(*p)
                    .ok_or_else(|| ApiError::invalid(format!("no setting `{p}`")))?;
            }
            match slot.as_object_mut() {
                Some(object) => {
                    object.insert((*last).to_string(), value);
                }
                None => return Err(ApiError::invalid(format!("no setting `{last}`"))),
            }
            if let Some(top) = f.path.first()
                && let Some(v) = next.get(*top)
            {
                out.insert((*top).to_string(), v.clone());
            }
        }
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

    use super::*;
    use easel_core::catalog::SettingLevel;
    use easel_core::settings::{CompanySettings, TeamSettings};

    fn on_level(key: SettingKey, level: SettingLevel) -> bool {
        key.level() == level || key.level() == SettingLevel::Both
    }

    /// Every control of every setting names a value its level's settings hold.
    #[test]
    fn every_control_is_at_a_value_of_its_settings() {
        let company = serde_json::to_value(CompanySettings::default()).unwrap();
        let team = serde_json::to_value(TeamSettings::default()).unwrap();
        for key in SettingKey::ALL {
            for f in fields(key) {
                for (level, settings) in [
                    (SettingLevel::Company, &company),
                    (SettingLevel::Team, &team),
                ] {
                    if on_level(key, level) {
                        assert!(
                            f.path.iter().try_fold(settings, |v, k| v.get(k)).is_some(),
                            "{} at {:?}",
                            key.key(),
                            f.path
                        );
                    }
                }
            }
        }
    }

    /// A form sent back as the page shows the defaults changes nothing.
    #[test]
    fn the_defaults_sent_back_are_the_defaults() {
        let company = serde_json::to_value(CompanySettings::default()).unwrap();
        let keys: Vec<SettingKey> = SettingKey::ALL
            .into_iter()
            .filter(|k| on_level(*k, SettingLevel::Company))
            .collect();
        let mut form = Vec::new();
        for k in &keys {
            for f in fields(*k) {
                match (&f.kind, at(&company, &f)) {
                    (Kind::Switch, Some(Value::Bool(true))) => form.push((name(&f), "on".into())),
                    (Kind::Choice(_), Some(Value::String(s))) => form.push((name(&f), s.clone())),
                    _ => {}
                }
            }
        }
        let body = patch(&keys, &Posted(form), &company).unwrap();
        let next: CompanySettings =
            crate::routes::orgs::merged(&CompanySettings::default(), body).unwrap();
        assert_eq!(next, CompanySettings::default());
    }

    #[test]
    fn lists_minutes_and_labels_are_read() {
        let company = serde_json::to_value(CompanySettings::default()).unwrap();
        let form = Posted(vec![
            ("allowed_domains.on".into(), "on".into()),
            (
                "allowed_domains".into(),
                "acme.test\r\npartner.test, x.test".into(),
            ),
            ("idle_session_timeout_secs".into(), "15".into()),
            ("board_classification.on".into(), "on".into()),
            (
                "board_classification.labels".into(),
                "top secret #F24726\npublic".into(),
            ),
            ("board_classification.default".into(), "public".into()),
        ]);
        let keys = [
            SettingKey::AllowedDomains,
            SettingKey::IdleSessionTimeout,
            SettingKey::BoardClassification,
        ];
        let body = patch(&keys, &form, &company).unwrap();
        let next: CompanySettings =
            crate::routes::orgs::merged(&CompanySettings::default(), body).unwrap();
        assert_eq!(
            next.allowed_domains.unwrap(),
            ["acme.test", "partner.test", "x.test"]
        );
        assert_eq!(next.idle_session_timeout_secs, Some(900));
        let c = next.board_classification.unwrap();
        assert_eq!(c.labels[0].name, "top secret");
        assert_eq!(c.labels[0].color, "#F24726");
        assert_eq!(c.labels[1].color, "");
        assert_eq!(c.default_label.as_deref(), Some("public"));
    }

    #[test]
    fn a_choice_outside_its_values_is_refused() {
        let company = serde_json::to_value(CompanySettings::default()).unwrap();
        let form = Posted(vec![("public_link_sharing".into(), "sometimes".into())]);
        assert!(patch(&[SettingKey::PublicLinkSharing], &form, &company).is_err());
        let form = Posted(vec![("idle_session_timeout_secs".into(), "-3".into())]);
        assert!(patch(&[SettingKey::IdleSessionTimeout], &form, &company).is_err());
    }
}
