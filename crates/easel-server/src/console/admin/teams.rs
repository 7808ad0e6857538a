//! Teams (`/ui/orgs/{org}/teams`): the teams the viewer may see, as `GET /v2/orgs/{org}/teams`
//! lists them, and each team's settings (`/ui/orgs/{org}/teams/{team}/settings`), read as
//! `GET .../teams/{team}/settings` reads them and saved with the command its PATCH runs.
//! The team's settings are those the catalog declares on the team level; those the catalog
//! leaves to company admins (guest invitations, the classification default) are a form of
//! their own.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use easel_core::EngineAction;
use easel_core::catalog::{SettingKey, SettingLevel};
use easel_core::command::Command;
use easel_core::request::Target;
use easel_core::settings::TeamSettings;
use maud::{Markup, html};

use super::PageQuery;
use super::fields::{self, Context, Posted as Fields};
use super::{org_page, pager, paging, refusal_of, refused_again, see_other};
use crate::AppState;
use crate::console::layout::{self, Section};
use crate::console::{Failure, Posted, Viewer};
use crate::error::ApiError;
use crate::routes::may;
use crate::routes::orgs::{merged, seen_org};
use crate::routes::teams::{seen_team, team_out};

/// Who changes a part of a team's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The team's admins.
    Team,
    /// Company admins only.
    Company,
}

impl Part {
    /// Its address: the form posts to `.../settings/{slug}`.
    const fn slug(self) -> &'static str {
        match self {
            Part::Team => "team",
            Part::Company => "company",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Part::Team => "Team settings",
            Part::Company => "Set by company admins",
        }
    }

    /// The team-level settings of this part, in catalog order.
    pub fn keys(self) -> Vec<SettingKey> {
        SettingKey::ALL
            .into_iter()
            .filter(|k| matches!(k.level(), SettingLevel::Team | SettingLevel::Both))
            .filter(|k| part_of(*k) == self)
            .collect()
    }
}

/// Who the catalog says changes a team-level setting: its team's admins, unless the catalog
/// names only company admins.
pub fn part_of(key: SettingKey) -> Part {
    if key.edit_text().contains("team_admin") {
        Part::Team
    } else {
        Part::Company
    }
}

const DONE: [(&str, &str); 2] = [
    ("saved", "The team's settings are saved."),
    (
        "unchanged",
        "Nothing changed: the settings were already so.",
    ),
];

/// The teams pages and the settings forms.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui/orgs/{org}/teams", get(list))
        .route("/ui/orgs/{org}/teams/{team}/settings", get(settings))
        .route("/ui/orgs/{org}/teams/{team}/settings/{part}", post(save))
}

async fn list(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let pager = pager(&app, &viewer, &format!("teams {org}"), q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &viewer.caller, &org, None, now)?;
    let the_org = state.org(o).ok_or_else(Failure::not_found)?;
    let page = pager.walk(
        &the_org.teams,
        |t| t.get(),
        |&t| {
            may(
                state,
                &viewer.caller,
                EngineAction::TeamView,
                Target::Team(t),
                now,
            )
            .allowed
            .then(|| team_out(state, t))
            .flatten()
        },
    )?;
    let base = format!("/ui/orgs/{}/teams", the_org.id);
    let body = html! {
        @if page.data.is_empty() {
            p class="muted" { "No team here is visible to you." }
        } @else {
            div class="table-wrap" {
                table {
                    caption class="muted" { "The teams you may see, with their settings." }
                    thead { tr { th scope="col" { "Team" } th scope="col" { "Members" } th scope="col" { "Settings" } } }
                    tbody {
                        @for t in &page.data {
                            tr {
                                td { (t.name) }
                                td { (t.member_count) }
                                td { a href=(format!("{base}/{}/settings", t.id)) aria-label=(format!("Settings of {}", t.name)) { "Settings" } }
                            }
                        }
                    }
                }
            }
        }
        (paging(&base, "", q.cursor.is_none(), page.cursor.as_deref()))
    };
    Ok(org_page(
        Section::Teams.title(),
        &viewer,
        the_org,
        Section::Teams,
        body,
    ))
}

async fn settings(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((org, team)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Markup, Failure> {
    render(
        &app,
        &viewer,
        (&org, &team),
        layout::done_notice(q.done.as_deref(), &DONE),
    )
}

fn render(
    app: &AppState,
    viewer: &Viewer,
    (org, team): (&str, &str),
    notice: Markup,
) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &viewer.caller, org, team, now)?;
    let the_team = state.team(t).ok_or_else(Failure::not_found)?;
    let the_org = state.org(the_team.org).ok_or_else(Failure::not_found)?;
    let values = crate::wire::to_body(&the_team.settings)?;
    let context = Context {
        labels: the_org
            .settings
            .board_classification
            .iter()
            .flat_map(|c| c.labels.iter().map(|l| l.name.clone()))
            .collect(),
    };
    // The team's admins change its own settings (`team.manage`); the company admins' part
    // is asked of the command itself, as flipping guest invitations would run it.
    let team_refused = may(
        state,
        &viewer.caller,
        EngineAction::TeamManage,
        Target::Team(t),
        now,
    )
    .denial
    .map(|d| d.message());
    let flipped = TeamSettings {
        guest_invites: !the_team.settings.guest_invites,
        ..the_team.settings.clone()
    };
    let company_refused = refusal_of(
        state,
        viewer,
        &Command::UpdateTeamSettings {
            team: the_team.id.to_string(),
            settings: flipped,
        },
        now,
    );
    let action = |p: Part| {
        format!(
            "/ui/orgs/{}/teams/{}/settings/{}",
            the_org.id,
            the_team.id,
            p.slug()
        )
    };
    let body = html! {
        (notice)
        p { a href=(format!("/ui/orgs/{}/teams", the_org.id)) { "All teams" } }
        p { "A setting the company also has is bounded by it: the stricter of the two is in force." }
        @for (part, refused) in [(Part::Team, &team_refused), (Part::Company, &company_refused)] {
            section aria-labelledby=(format!("p-{}", part.slug())) {
                h2 id=(format!("p-{}", part.slug())) { (part.title()) }
                form method="post" action=(action(part)) {
                    (crate::console::forms::csrf_field(viewer))
                    fieldset class="plain" disabled[refused.is_some()] {
                        @for key in part.keys() {
                            (fields::render(key, &values, &context))
                        }
                    }
                    (layout::button(&format!("Save {}", part.title().to_lowercase()), refused.as_deref()))
                }
            }
        }
    };
    Ok(org_page(
        &format!("{}: settings", the_team.name),
        viewer,
        the_org,
        Section::Teams,
        body,
    ))
}

async fn save(
    State(app): State<AppState>,
    Path((org, team, slug)): Path<(String, String, String)>,
    Posted { viewer, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, Failure> {
    let part = [Part::Team, Part::Company]
        .into_iter()
        .find(|p| p.slug() == slug)
        .ok_or_else(Failure::not_found)?;
    let page = format!("/ui/orgs/{org}/teams/{team}/settings");
    let next: Result<Option<(String, TeamSettings)>, ApiError> = {
        let reader = app.engine.read();
        let state = reader.state();
        let t = seen_team(state, &viewer.caller, &org, &team, app.engine.now())?;
        let the_team = state.team(t).ok_or_else(Failure::not_found)?;
        let current = &the_team.settings;
        crate::wire::to_body(current)
            .and_then(|values| fields::patch(&part.keys(), &Fields(form), &values))
            .and_then(|body| merged(current, body))
            .map(|next: TeamSettings| (next != *current).then(|| (the_team.id.to_string(), next)))
    };
    let again = |notice| render(&app, &viewer, (&org, &team), notice);
    match next {
        Err(e) => refused_again(e, again),
        Ok(None) => Ok(see_other(&format!("{page}?done=unchanged#p-{slug}"))),
        Ok(Some((team_id, settings))) => {
            let command = Command::UpdateTeamSettings {
                team: team_id,
                settings,
            };
            match crate::routes::run(&app, &viewer.caller, command).await {
                Ok(_) => Ok(see_other(&format!("{page}?done=saved#p-{slug}"))),
                Err(e) => refused_again(e, again),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every team-level setting is in one part, and the company admins' part is what the
    /// catalog leaves to them alone.
    #[test]
    fn team_settings_split_by_who_changes_them() {
        let team = Part::Team.keys();
        let company = Part::Company.keys();
        for key in SettingKey::ALL {
            let on_team = matches!(key.level(), SettingLevel::Team | SettingLevel::Both);
            let count = usize::from(team.contains(&key)) + usize::from(company.contains(&key));
            assert_eq!(count, usize::from(on_team), "{}", key.key());
        }
        let names: Vec<&str> = company.iter().map(|k| k.key()).collect();
        assert_eq!(names, ["guest_invites", "board_classification_default"]);
    }
}
