//! Company settings (`/ui/orgs/{org}/settings`), grouped as the source documents group
//! them: Security & Compliance with Authentication and Collaboration, board classification,
//! extended content admin, guest deactivation. The groups are a table keyed by the declared
//! settings; each setting's controls come from [`super::fields`]. The page is read as
//! `GET /v2/orgs/{org}/settings` reads (`collaboration_settings.view`), each group is
//! editable by the privilege the catalog names for its settings, and a saved group runs the
//! command `PATCH /v2/orgs/{org}/settings` runs.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use easel_core::catalog::{Feature, Privilege, SettingKey};
use easel_core::command::Command;
use easel_core::settings::CompanySettings;
use maud::{Markup, html};
use serde::Deserialize;

use super::fields::{self, Context, Posted as Fields};
use super::{org_page, privilege_refused, refused_again, see_other};
use crate::AppState;
use crate::console::layout::{self, Section};
use crate::console::{Failure, Posted, Viewer};
use crate::error::ApiError;
use crate::routes::orgs::{merged, seen_org};

/// A group of company settings: where it sits on the page, and its settings.
#[derive(Clone, Copy, Debug)]
pub struct Group {
    /// Its address: the form posts to `/ui/orgs/{org}/settings/{slug}`.
    pub slug: &'static str,
    /// The part of the company settings it belongs to (the page's second-level heading).
    pub part: &'static str,
    /// Its heading.
    pub title: &'static str,
    /// Its settings, in the order shown.
    pub keys: &'static [SettingKey],
}

/// The company settings, grouped as the source documents group them. Every company-level
/// setting of the catalog is in exactly one group (a test holds this table to it).
pub const GROUPS: [Group; 5] = [
    Group {
        slug: "authentication",
        part: "Security & Compliance",
        title: "Authentication",
        keys: &[SettingKey::IdleSessionTimeout],
    },
    Group {
        slug: "collaboration",
        part: "Security & Compliance",
        title: "Collaboration",
        keys: &[
            SettingKey::AllowedDomains,
            SettingKey::AllowedDomainsGuestBypass,
            SettingKey::PublicLinkSharing,
            SettingKey::WhoCanInvite,
            SettingKey::TeamPrivacy,
            SettingKey::CoownerRole,
            SettingKey::EmbedSharing,
        ],
    },
    Group {
        slug: "classification",
        part: "Data classification",
        title: "Classification labels",
        keys: &[SettingKey::BoardClassification],
    },
    Group {
        slug: "content-admin",
        part: "Content",
        title: "Extended content admin",
        keys: &[SettingKey::ExtendedContentAdmin],
    },
    Group {
        slug: "guests",
        part: "Guests",
        title: "Guest deactivation",
        keys: &[SettingKey::AutoDeactivateGuests],
    },
];

/// The privilege the catalog names for changing a company setting (its `edit`, whose first
/// word is the company level's privilege).
pub fn edit_privilege(key: SettingKey) -> Option<Privilege> {
    Privilege::from_id(key.edit_text().split_whitespace().next()?)
}

/// The privilege that reads what `edit` changes (`x.edit` → `x.view`).
pub fn view_privilege(edit: Privilege) -> Option<Privilege> {
    Privilege::from_id(&format!("{}.view", edit.id().strip_suffix(".edit")?))
}

impl Group {
    /// The privilege that changes the group's settings.
    fn edit(&self) -> Option<Privilege> {
        self.keys.first().and_then(|k| edit_privilege(*k))
    }
}

/// What the page's `done` query may name.
const DONE: [(&str, &str); 2] = [
    ("saved", "The settings are saved."),
    (
        "unchanged",
        "Nothing changed: the settings were already so.",
    ),
];

/// The settings page and its forms.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui/orgs/{org}/settings", get(page))
        .route("/ui/orgs/{org}/settings/{group}", post(save))
}

/// The page's query.
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    /// What a form just did.
    pub done: Option<String>,
}

async fn page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Markup, Failure> {
    render(
        &app,
        &viewer,
        &org,
        layout::done_notice(q.done.as_deref(), &DONE),
    )
}

fn render(app: &AppState, viewer: &Viewer, org: &str, notice: Markup) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &viewer.caller,
        org,
        Some(Privilege::CollaborationSettingsView),
        now,
    )?;
    let the_org = state.org(o).ok_or_else(Failure::not_found)?;
    let values = crate::wire::to_body(&the_org.settings)?;
    let context = Context {
        labels: the_org
            .settings
            .board_classification
            .iter()
            .flat_map(|c| c.labels.iter().map(|l| l.name.clone()))
            .collect(),
    };
    let in_force = Feature::CompanySettings.available(the_org.plan, the_org.has_guard());
    let body = html! {
        (notice)
        @if !in_force {
            (layout::refusal(
                &format!("Company settings are an Enterprise feature: on the {} plan the defaults are in force, and what is kept here returns with the plan.", the_org.plan.as_str()),
                None,
            ))
        }
        p { "Company settings bound each team's own: where a setting exists on both levels, a team may be stricter than the company, never looser." }
        @for (i, g) in GROUPS.iter().enumerate() {
            @if i == 0 || GROUPS.get(i - 1).is_some_and(|p| p.part != g.part) {
                h2 { (g.part) }
            }
            section aria-labelledby=(format!("g-{}", g.slug)) {
                h3 id=(format!("g-{}", g.slug)) { (g.title) }
                (group(state, viewer, the_org, o, g, &values, &context, now))
            }
        }
    };
    Ok(org_page(
        Section::Settings.title(),
        viewer,
        the_org,
        Section::Settings,
        body,
    ))
}

#[expect(
    clippy::too_many_arguments,
    reason = "one group of one page: what it shows and whom"
)]
fn group(
    state: &easel_core::State,
    viewer: &Viewer,
    the_org: &easel_core::model::Org,
    o: easel_core::ids::OrgIx,
    g: &Group,
    values: &serde_json::Value,
    context: &Context,
    now: easel_core::Time,
) -> Markup {
    let edit = g.edit();
    let view = edit.and_then(view_privilege);
    let unseen = view.and_then(|p| privilege_refused(state, viewer, p, o, now));
    if let Some(why) = unseen {
        return layout::refusal(&why, None);
    }
    let refused = match edit {
        Some(p) => privilege_refused(state, viewer, p, o, now),
        None => Some("the catalog names no privilege for these settings".into()),
    };
    html! {
        form method="post" action=(format!("/ui/orgs/{}/settings/{}", the_org.id, g.slug)) {
            (crate::console::forms::csrf_field(viewer))
            fieldset class="plain" disabled[refused.is_some()] {
                @for key in g.keys {
                    (fields::render(*key, values, context))
                }
            }
            (layout::button(&format!("Save {}", g.title.to_lowercase()), refused.as_deref()))
        }
    }
}

async fn save(
    State(app): State<AppState>,
    Path((org, slug)): Path<(String, String)>,
    Posted { viewer, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, Failure> {
    let page = format!("/ui/orgs/{org}/settings");
    let g = GROUPS
        .iter()
        .find(|g| g.slug == slug)
        .ok_or_else(Failure::not_found)?;
    let next: Result<Option<(String, CompanySettings)>, ApiError> = {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &viewer.caller, &org, None, app.engine.now())?;
        let the_org = state.org(o).ok_or_else(Failure::not_found)?;
        let current = &the_org.settings;
        crate::wire::to_body(current)
            .and_then(|values| fields::patch(g.keys, &Fields(form), &values))
            .and_then(|body| merged(current, body))
            .map(|next: CompanySettings| (next != *current).then(|| (the_org.id.to_string(), next)))
    };
    let again = |notice| render(&app, &viewer, &org, notice);
    match next {
        Err(e) => refused_again(e, again),
        Ok(None) => Ok(see_other(&format!("{page}?done=unchanged#g-{slug}"))),
        Ok(Some((id, settings))) => {
            let command = Command::UpdateCompanySettings { org: id, settings };
            match crate::routes::run(&app, &viewer.caller, command).await {
                Ok(_) => Ok(see_other(&format!("{page}?done=saved#g-{slug}"))),
                Err(e) => refused_again(e, again),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;
    use easel_core::catalog::SettingLevel;

    /// Every company setting the catalog declares is in exactly one group, and no group
    /// holds a setting the company does not have.
    #[test]
    fn every_company_setting_is_in_exactly_one_group() {
        for key in SettingKey::ALL {
            let groups = GROUPS.iter().filter(|g| g.keys.contains(&key)).count();
            let company = matches!(key.level(), SettingLevel::Company | SettingLevel::Both);
            assert_eq!(
                groups,
                usize::from(company),
                "{} is in {groups} groups",
                key.key()
            );
        }
        for g in GROUPS {
            for k in g.keys {
                assert_eq!(g.keys.iter().filter(|x| *x == k).count(), 1, "{}", k.key());
            }
        }
    }

    /// Each group's settings are changed by one privilege, which has a reading privilege.
    #[test]
    fn each_group_has_one_privilege_of_the_catalog() {
        for g in GROUPS {
            let edit = g.edit().unwrap();
            assert!(view_privilege(edit).is_some(), "{}", edit.id());
            for k in g.keys {
                assert_eq!(edit_privilege(*k), Some(edit), "{}", k.key());
            }
        }
        assert_eq!(
            edit_privilege(SettingKey::IdleSessionTimeout),
            Some(Privilege::AuthSettingsEdit)
        );
    }

    #[test]
    fn slugs_are_distinct() {
        for g in GROUPS {
            assert_eq!(GROUPS.iter().filter(|x| x.slug == g.slug).count(), 1);
        }
    }
}
