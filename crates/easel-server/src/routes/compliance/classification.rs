//! Board classification in the reference's shapes: the company's labels (each with an id,
//! its position in the company's list, counted from 1), a team's default label, a board's
//! label, and labelling a team's boards at once. Easel's first spellings (`label` by name,
//! `board_classification`) are still read and written alongside.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use easel_core::State as EngineState;
use easel_core::Time;
use easel_core::codes::Code;
use easel_core::command::Command;
use easel_core::event::Event;
use easel_core::ids::{BoardIx, OrgIx};
use easel_core::settings::{Classification, CompanySettings, Label, TeamSettings};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::orgs::{merged, seen_org};
use crate::routes::teams::seen_team;
use crate::routes::{revision_header, run, seen_board};
use crate::wire::{Json, Path};

/// A label's id: its position in the company's list, from 1.
fn label_id(position: usize) -> String {
    (position + 1).to_string()
}

/// The company's classification, when on.
fn company(state: &EngineState, org: OrgIx) -> Option<&Classification> {
    state.org(org)?.settings.board_classification.as_ref()
}

/// The label an id (a position, from 1) or a name names, if the company has it.
fn find_label<'c>(c: &'c Classification, id: &str) -> Option<&'c Label> {
    id.parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| c.labels.get(i))
        .or_else(|| c.labels.iter().find(|l| l.name == id))
}

fn unknown_label(id: &str) -> ApiError {
    ApiError::new(
        Code::RequestInvalidParameter,
        format!("`{id}` is not a classification label"),
    )
}

/// A label of the company.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LabelOut {
    /// Its id (its position in the company's list, from 1).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its display colour.
    pub color: String,
    /// Whether new boards get it.
    pub default: bool,
    /// Its position in the company's list, from 1.
    pub order_number: usize,
    /// The company's classification policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guideline_url: Option<String>,
    /// Always `data-classification-label`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// The company's classification settings.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrgClassificationOut<'a> {
    /// Whether boards may be classified.
    pub enabled: bool,
    /// The labels, in the company's order.
    pub labels: Vec<LabelOut>,
    /// Always `data-classification-organization-settings`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The `board_classification` setting as the settings catalog writes it (`null` when
    /// off; Easel's first spelling).
    #[schema(value_type = Option<Object>)]
    pub board_classification: Option<&'a Classification>,
}

fn org_out(c: Option<&Classification>) -> OrgClassificationOut<'_> {
    let labels = c.map_or_else(Vec::new, |c| {
        c.labels
            .iter()
            .enumerate()
            .map(|(i, l)| LabelOut {
                id: label_id(i),
                name: l.name.clone(),
                color: l.color.clone(),
                default: c.default_label.as_deref() == Some(l.name.as_str()),
                order_number: i + 1,
                guideline_url: c.policy_url.clone(),
                kind: "data-classification-label",
            })
            .collect()
    });
    OrgClassificationOut {
        enabled: c.is_some(),
        labels,
        kind: "data-classification-organization-settings",
        board_classification: c,
    }
}

/// The company's classification settings, for its members.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/data-classification-settings", tag = "content", operation_id = "enterprise-dataclassification-organization-settings-get",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 200, body = OrgClassificationOut)))]
pub async fn classification_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &caller, &org, None, app.engine.now())?;
    // Members see the labels they may apply; the company's other settings stay private.
    crate::routes::sorted(&org_out(company(state, o)))
}

/// Change the classification settings (each change needs its edit privilege).
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/data-classification-settings", tag = "content", operation_id = "easel-update-classification-settings",
    params(("org_id" = String, Path, description = "the organization")),
    request_body(content = Object, description = "`{\"board_classification\": {...} | null}`"),
    responses((status = 200, body = OrgClassificationOut)))]
pub async fn update_classification_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(patch): Json<Value>,
) -> Result<Response, ApiError> {
    let only_classification = patch
        .as_object()
        .is_some_and(|o| o.keys().all(|k| k == "board_classification"));
    if !only_classification {
        return Err(ApiError::new(
            Code::RequestInvalidJson,
            "only `board_classification` is changed here; other settings at `/settings`",
        ));
    }
    let next: CompanySettings = {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        let x = state
            .org(o)
            .ok_or_else(|| ApiError::not_found("organization", &org))?;
        merged(&x.settings, patch)?
    };
    let w = run(
        &app,
        &caller,
        Command::UpdateCompanySettings {
            org: org.clone(),
            settings: next.clone(),
        },
    )
    .await?;
    let body = org_out(next.board_classification.as_ref());
    Ok(revision_header(StatusCode::OK, &body, w.revision))
}

/// A team's classification settings.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeamClassificationOut {
    /// Whether boards may be classified (the company's choice, for every team).
    pub enabled: bool,
    /// The label new boards of the team get: the team's own, or the company's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_label_id: Option<String>,
    /// Always `team-data-classification-settings`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

fn team_out(c: Option<&Classification>, team: &TeamSettings) -> TeamClassificationOut {
    let default = team
        .board_classification_default
        .as_deref()
        .or_else(|| c.and_then(|c| c.default_label.as_deref()));
    TeamClassificationOut {
        enabled: c.is_some(),
        default_label_id: c
            .zip(default)
            .and_then(|(c, name)| c.labels.iter().position(|l| l.name == name).map(label_id)),
        kind: "team-data-classification-settings",
    }
}

/// A team's classification settings, for those who see the team.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/data-classification-settings", tag = "content", operation_id = "enterprise-dataclassification-team-settings-get",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 200, body = TeamClassificationOut)))]
pub async fn team_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
) -> Result<axum::Json<TeamClassificationOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
    let x = state
        .team(t)
        .ok_or_else(|| ApiError::not_found("team", &team))?;
    Ok(axum::Json(team_out(company(state, x.org), &x.settings)))
}

/// A change to a team's classification settings.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamClassificationIn {
    /// The label new boards of the team get (its id).
    #[serde(default)]
    pub default_label_id: Option<Value>,
    /// Whether boards may be classified: the company decides it for every team, so only
    /// the company's current choice is accepted.
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// A label id sent as a number or as text.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// Change a team's default label (the team setting `board_classification_default`).
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/teams/{team_id}/data-classification-settings", tag = "content", operation_id = "enterprise-dataclassification-team-settings-set",
    request_body = TeamClassificationIn,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 200, body = TeamClassificationOut)))]
pub async fn update_team_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
    Json(body): Json<TeamClassificationIn>,
) -> Result<Response, ApiError> {
    let next = {
        let reader = app.engine.read();
        let state = reader.state();
        let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
        let x = state
            .team(t)
            .ok_or_else(|| ApiError::not_found("team", &team))?;
        let c = company(state, x.org);
        if body.enabled.is_some_and(|e| e != c.is_some()) {
            return Err(ApiError::new(
                Code::RequestInvalidParameter,
                "classification is turned on or off for the whole company, in its settings",
            ));
        }
        match &body.default_label_id {
            None | Some(Value::Null) => None,
            Some(v) => {
                let id = id_text(v).ok_or_else(|| unknown_label(&v.to_string()))?;
                let label = c
                    .and_then(|c| find_label(c, &id))
                    .ok_or_else(|| unknown_label(&id))?;
                let mut settings = x.settings.clone();
                settings.board_classification_default = Some(label.name.clone());
                (settings != x.settings).then_some(settings)
            }
        }
    };
    // Nothing to change: the settings as they are.
    let Some(settings) = next else {
        let reader = app.engine.read();
        let state = reader.state();
        let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
        let x = state
            .team(t)
            .ok_or_else(|| ApiError::not_found("team", &team))?;
        return Ok(axum::Json(team_out(company(state, x.org), &x.settings)).into_response());
    };
    let w = run(
        &app,
        &caller,
        Command::UpdateTeamSettings {
            team: team.clone(),
            settings,
        },
    )
    .await?;
    let reader = app.engine.read();
    let state = reader.state();
    let x = state
        .find_team(&team)
        .and_then(|t| state.team(t))
        .ok_or_else(|| ApiError::not_found("team", &team))?;
    let body = team_out(company(state, x.org), &x.settings);
    Ok(revision_header(StatusCode::OK, &body, w.revision))
}

fn board_in_team(
    state: &EngineState,
    caller: &Caller,
    org: &str,
    team: &str,
    board: &str,
    now: Time,
) -> Result<BoardIx, ApiError> {
    let b = seen_board(state, caller, board, now)?;
    let x = state
        .board(b)
        .ok_or_else(|| ApiError::not_found("board", board))?;
    let in_place = state.org(x.org).is_some_and(|o| &*o.id == org)
        && state.team(x.team).is_some_and(|t| &*t.id == team);
    if in_place {
        Ok(b)
    } else {
        Err(ApiError::not_found("board", board))
    }
}

/// A board's label.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BoardLabelOut {
    /// The label's id (absent when the board has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The label's name (absent when the board has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The label's colour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// The company's classification policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guideline_url: Option<String>,
    /// Always `board-data-classification-label`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The label's name, `null` for none (Easel's first spelling).
    pub label: Option<String>,
}

fn board_label(state: &EngineState, b: BoardIx) -> BoardLabelOut {
    let x = state.board(b);
    let label = x.and_then(|x| x.classification()).map(str::to_string);
    let c = x.and_then(|x| company(state, x.org));
    let found = c.zip(label.as_deref()).and_then(|(c, name)| {
        c.labels
            .iter()
            .position(|l| l.name == name)
            .and_then(|i| c.labels.get(i).map(|l| (i, l)))
    });
    BoardLabelOut {
        id: found.map(|(i, _)| label_id(i)),
        name: label.clone(),
        color: found.map(|(_, l)| l.color.clone()),
        guideline_url: found.and(c).and_then(|c| c.policy_url.clone()),
        kind: "board-data-classification-label",
        label,
    }
}

/// A board's classification label.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/boards/{board_id}/data-classification", tag = "content", operation_id = "enterprise-dataclassification-board-get",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("board_id" = String, Path, description = "the board")),
    responses((status = 200, body = BoardLabelOut)))]
pub async fn classification(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, board)): Path<(String, String, String)>,
) -> Result<axum::Json<BoardLabelOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let b = board_in_team(state, &caller, &org, &team, &board, app.engine.now())?;
    Ok(axum::Json(board_label(state, b)))
}

/// The label to give a board: by id (`labelId`), or by name (`label`, `null` clears it;
/// Easel's first spelling).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LabelIn {
    /// The label's id.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub label_id: Option<Value>,
    /// The label's name (`null`: none).
    #[serde(default)]
    pub label: Option<Option<String>>,
}

/// Set or clear a board's classification label.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/teams/{team_id}/boards/{board_id}/data-classification", tag = "content", operation_id = "enterprise-dataclassification-board-set", request_body = LabelIn,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("board_id" = String, Path, description = "the board")),
    responses((status = 200, body = BoardLabelOut)))]
pub async fn classify(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, board)): Path<(String, String, String)>,
    Json(body): Json<LabelIn>,
) -> Result<Response, ApiError> {
    let label = {
        let reader = app.engine.read();
        let state = reader.state();
        let b = board_in_team(state, &caller, &org, &team, &board, app.engine.now())?;
        match (&body.label_id, &body.label) {
            (Some(v), _) if !v.is_null() => {
                let id = id_text(v).ok_or_else(|| unknown_label(&v.to_string()))?;
                let c = state.board(b).and_then(|x| company(state, x.org));
                // Unknown ids go to the engine by name, which refuses them with its reason.
                Some(
                    c.and_then(|c| find_label(c, &id))
                        .map_or(id, |l| l.name.clone()),
                )
            }
            (_, Some(name)) => name.clone(),
            _ => None,
        }
    };
    let w = run(
        &app,
        &caller,
        Command::SetClassification {
            board: board.clone(),
            label,
        },
    )
    .await?;
    let reader = app.engine.read();
    let state = reader.state();
    let b = state
        .find_board(&board)
        .ok_or_else(|| ApiError::not_found("board", &board))?;
    Ok(revision_header(
        StatusCode::OK,
        &board_label(state, b),
        w.revision,
    ))
}

/// The label to give a team's boards.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamBoardsLabelIn {
    /// The label's id.
    #[schema(value_type = i64)]
    pub label_id: Value,
    /// Only the boards without a label yet (`false`: every board).
    #[serde(default)]
    pub not_classified_only: bool,
}

/// How many boards were labelled.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeamBoardsLabelled {
    /// The number of boards whose label changed.
    pub number_updated_boards: usize,
    /// Always `boards-data-classification-label-changed`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// Give a label to the boards of a team: every board, or those without a label yet. Each
/// board is decided as setting its label is; those the caller may not classify stay as
/// they are.
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/teams/{team_id}/data-classification", tag = "content", operation_id = "enterprise-dataclassification-team-boards-bulk",
    request_body = TeamBoardsLabelIn,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 200, body = TeamBoardsLabelled)))]
pub async fn classify_team_boards(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
    Json(body): Json<TeamBoardsLabelIn>,
) -> Result<Response, ApiError> {
    let label = {
        let reader = app.engine.read();
        let state = reader.state();
        let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
        let id =
            id_text(&body.label_id).ok_or_else(|| unknown_label(&body.label_id.to_string()))?;
        let c = state.team(t).and_then(|x| company(state, x.org));
        c.and_then(|c| find_label(c, &id))
            .map_or(id, |l| l.name.clone())
    };
    let w = run(
        &app,
        &caller,
        Command::ClassifyTeamBoards {
            team,
            label,
            unclassified_only: body.not_classified_only,
        },
    )
    .await?;
    let number_updated_boards = w
        .events
        .iter()
        .filter(|e| matches!(e, Event::BoardClassified { .. }))
        .count();
    Ok(revision_header(
        StatusCode::OK,
        &TeamBoardsLabelled {
            number_updated_boards,
            kind: "boards-data-classification-label-changed",
        },
        w.revision,
    ))
}
