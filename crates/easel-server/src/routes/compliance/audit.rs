//! The audit log (a page at a time, or all of it as CSV), its retention, and the content
//! log read from it, in the reference's record shapes.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use easel_core::EngineAction;
use easel_core::State as EngineState;
use easel_core::catalog::Privilege;
use easel_core::codes::Code;
use easel_core::command::{AuditOutcome, AuditRecord, Command};
use easel_core::model::ContentKind;
use easel_core::request::Target;
use easel_core::time::Time;
use easel_store::AuditPage;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::routes::orgs::seen_org;
use crate::routes::{may, run_in_org, written};
use crate::wire::{CursorList, Json, Path, Query, iso, parse_time};

/// Who acted, as the reference names an audit record's creator.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AuditCreatedBy {
    /// Always `user`: Easel audits users (an app acts as the user who installed it).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The user's id.
    pub id: String,
    /// The user's name.
    pub name: String,
    /// The user's email.
    pub email: String,
}

/// An id and a name.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct IdName {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
}

/// Where an audited command acted.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AuditContext {
    /// The team, when the command acted on a team or one of its boards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<IdName>,
    /// The organization.
    pub organization: IdName,
}

/// How the command ended, and what it changed.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AuditDetails {
    /// `allowed` or `refused`.
    pub outcome: &'static str,
    /// The refusal's code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// What changed, one entry per field.
    pub changes: Vec<AuditChangeOut>,
}

/// One audit record: the reference's fields, and Easel's own (`actor`, `action`, `target`,
/// `outcome`, `code`, `changes`).
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditOut {
    /// Its id (ascending with time).
    pub id: String,
    /// When (ISO 8601).
    pub created_at: String,
    /// Who acted (absent for Easel's own time-driven changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<AuditCreatedBy>,
    /// The organization, and the team where there is one.
    pub context: AuditContext,
    /// What it acted on.
    pub object: IdName,
    /// The command, for example `create_board`.
    pub event: String,
    /// The kind of what it acted on: `board`, `team`, `organization` ...
    pub category: String,
    /// How it ended and what it changed.
    pub details: AuditDetails,
    /// Who acted, by id (absent for Easel's own time-driven changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The command.
    pub action: String,
    /// What it acted on, as `kind:id`.
    pub target: String,
    /// `allowed` or `refused`.
    pub outcome: &'static str,
    /// The refusal's code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// What changed, one entry per field.
    pub changes: Vec<AuditChangeOut>,
}

/// One field an audited change changed.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AuditChangeOut {
    /// What changed, for example `role of ben` or `settings.coowner_role`.
    pub field: String,
    /// The value before (`null` where it did not exist).
    pub before: Option<String>,
    /// The value after (`null` where it no longer exists).
    pub after: Option<String>,
}

/// The name of what `kind:id` names, if Easel still knows it.
fn name_of(state: &EngineState, kind: &str, id: &str) -> Option<String> {
    match kind {
        "org" => state
            .find_org(id)
            .and_then(|o| state.org(o))
            .map(|o| o.name.clone()),
        "team" => state
            .find_team(id)
            .and_then(|t| state.team(t))
            .map(|t| t.name.to_string()),
        "board" => state
            .find_board(id)
            .and_then(|b| state.board(b))
            .map(|b| b.name.to_string()),
        "project" => state
            .find_project(id)
            .and_then(|p| state.project(p))
            .map(|p| p.name.to_string()),
        "user" => state
            .find_user(id)
            .and_then(|u| state.user(u))
            .map(|u| u.name.to_string()),
        "case" => state
            .find_case(id)
            .and_then(|c| state.case(c))
            .map(|c| c.name.clone()),
        _ => None,
    }
}

/// The team a target lives in: the team itself, or a board's.
fn team_of(state: &EngineState, kind: &str, id: &str) -> Option<IdName> {
    let t = match kind {
        "team" => state.find_team(id),
        "board" => state
            .find_board(id)
            .and_then(|b| state.board(b))
            .map(|b| b.team),
        _ => None,
    }?;
    state.team(t).map(|t| IdName {
        id: t.id.to_string(),
        name: t.name.to_string(),
    })
}

/// An audit record as the API answers it (the console shows and exports the same record).
pub(crate) fn audit_out(state: &EngineState, org: &IdName, id: i64, r: &AuditRecord) -> AuditOut {
    let (outcome, code) = match r.outcome {
        AuditOutcome::Allowed => ("allowed", None),
        AuditOutcome::Refused { code } => ("refused", Some(code.as_str())),
    };
    let changes: Vec<AuditChangeOut> = r
        .changes
        .iter()
        .map(|c| AuditChangeOut {
            field: c.field.clone(),
            before: c.before.clone(),
            after: c.after.clone(),
        })
        .collect();
    let (kind, object) = r.target.split_once(':').unwrap_or(("", r.target.as_str()));
    let created_by = r
        .actor
        .as_deref()
        .and_then(|a| state.find_user(a))
        .and_then(|u| state.user(u))
        .map(|u| AuditCreatedBy {
            kind: "user",
            id: u.id.to_string(),
            name: u.name.to_string(),
            email: u.email.to_string(),
        });
    AuditOut {
        id: id.to_string(),
        created_at: iso(r.at),
        created_by,
        context: AuditContext {
            team: team_of(state, kind, object),
            organization: org.clone(),
        },
        object: IdName {
            id: object.to_string(),
            name: name_of(state, kind, object).unwrap_or_else(|| object.to_string()),
        },
        event: r.action.clone(),
        category: match kind {
            "org" => "organization".to_string(),
            "" => "other".to_string(),
            other => other.to_string(),
        },
        details: AuditDetails {
            outcome,
            code,
            changes: changes.clone(),
        },
        actor: r.actor.clone(),
        action: r.action.clone(),
        target: r.target.clone(),
        outcome,
        code,
        changes,
    }
}

/// A time parameter: ISO 8601, or milliseconds since the epoch (Easel's first spelling).
fn time_param(name: &str, text: Option<&str>) -> Result<Option<i64>, ApiError> {
    let Some(text) = text else {
        return Ok(None);
    };
    if let Ok(ms) = text.parse::<i64>() {
        return Ok(Some(ms));
    }
    parse_time(name, text).map(|t| Some(t.millis()))
}

/// Which records.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditQuery {
    /// The organization (the caller's only one when absent).
    pub org: Option<String>,
    /// Only records at or after this time (ISO 8601, or milliseconds since the epoch).
    pub created_after: Option<String>,
    /// Only records before this time (ISO 8601, or milliseconds since the epoch).
    pub created_before: Option<String>,
    /// `ASC` (the default, oldest first) or `DESC` (either case).
    pub sorting: Option<String>,
    /// `json` (a cursor list, the default) or `csv` (every matching record).
    pub format: Option<String>,
    /// Page size, 1 to 100 (100 when absent).
    #[param(minimum = 1, maximum = 100, default = 100)]
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// How many records one read of the store brings back at most.
const AUDIT_CHUNK: usize = 1_000;

/// The largest page of audit records, and the page when none is asked.
const AUDIT_PAGE: usize = 100;

/// The organization a caller reads the log of: the one named, the one its credential is
/// bound to, or the user's only one.
fn audit_org(app: &AppState, caller: &Caller, named: Option<&str>) -> Result<IdName, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let org = match named {
        Some(o) => o.to_string(),
        // A credential bound to one organization reads that organization's log.
        None if state.credential_org(caller.credential()).is_some() => state
            .credential_org(caller.credential())
            .and_then(|o| state.org(o))
            .map(|o| o.id.to_string())
            .unwrap_or_default(),
        None => {
            let user = caller
                .user()
                .and_then(|u| state.find_user(u))
                .and_then(|u| state.user(u));
            let orgs: Vec<String> = user
                .map(|u| {
                    u.orgs
                        .iter()
                        .filter_map(|m| state.org(m.org).map(|o| o.id.to_string()))
                        .collect()
                })
                .unwrap_or_default();
            match orgs.as_slice() {
                [one] => one.clone(),
                _ => return Err(ApiError::invalid("name the organization with `org`")),
            }
        }
    };
    let o = seen_org(
        state,
        caller,
        &org,
        Some(Privilege::AuditLogsViewExport),
        app.engine.now(),
    )?;
    let name = state.org(o).map(|o| o.name.clone()).unwrap_or_default();
    Ok(IdName { id: org, name })
}

/// The position a cursor of an audit list holds: the id of the last record given.
fn audit_after(pager: &Pager) -> Result<Option<i64>, ApiError> {
    pager
        .after()
        .map(|p| {
            p.strip_prefix('a')
                .and_then(|n| n.parse::<i64>().ok())
                .ok_or_else(|| {
                    ApiError::new(Code::RequestInvalidCursor, "the cursor is not of this list")
                })
        })
        .transpose()
}

/// The organization's audit log (`audit_logs.view_export`), a page at a time, or all of it
/// as CSV.
#[utoipa::path(get, path = "/v2/audit/logs", tag = "compliance", operation_id = "enterprise-get-audit-logs", params(AuditQuery),
    responses((status = 200, description = "a page of records (`format=json`), or every matching record as CSV (`format=csv`)",
        content((CursorList<AuditOut> = "application/json"), (String = "text/csv")))))]
pub async fn audit_logs(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Query(q): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let pager = Pager::sized(
        &app,
        &caller,
        &list,
        (q.limit, AUDIT_PAGE, AUDIT_PAGE),
        q.cursor.as_deref(),
    )?;
    let limit = pager.limit;
    let desc = match q.sorting.as_deref() {
        None => false,
        Some(s) if s.eq_ignore_ascii_case("asc") => false,
        Some(s) if s.eq_ignore_ascii_case("desc") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "`sorting` is ASC or DESC, not `{other}`"
            )));
        }
    };
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "`format` is json or csv, not `{other}`"
            )));
        }
    };
    let from_ms = time_param("createdAfter", q.created_after.as_deref())?;
    let before_ms = time_param("createdBefore", q.created_before.as_deref())?;
    let org = audit_org(&app, &caller, q.org.as_deref())?;
    // Where the page starts: the id of the last record given. A page asks the store for
    // its own records only, from the cursor in the page's order, one more than the page to
    // know whether another follows; the export (CSV) reads the whole log in chunks.
    let after = audit_after(&pager)?;
    let chunk = if csv { AUDIT_CHUNK } else { limit + 1 };
    let mut found: Vec<(i64, AuditRecord)> = Vec::new();
    // The export is every matching record, whatever cursor came with it.
    let mut from = if csv { None } else { after };
    loop {
        let read = app
            .engine
            .audit_page(
                org.id.clone(),
                AuditPage {
                    after: from,
                    newest_first: desc,
                    from_ms,
                    before_ms,
                    limit: chunk,
                },
            )
            .await?;
        let done = read.len() < chunk;
        from = read.last().map(|(id, _)| *id).or(from);
        found.extend(read);
        if done || !csv {
            break;
        }
    }
    if csv {
        let mut out = String::from("id,created_at,actor,action,target,outcome,code\n");
        for (id, r) in &found {
            let (outcome, code) = match r.outcome {
                AuditOutcome::Allowed => ("allowed", ""),
                AuditOutcome::Refused { code } => ("refused", code.as_str()),
            };
            let cells = [
                id.to_string(),
                iso(r.at),
                r.actor.clone().unwrap_or_default(),
                r.action.clone(),
                r.target.clone(),
                outcome.to_string(),
                code.to_string(),
            ];
            let quoted: Vec<String> = cells
                .iter()
                .map(|c| format!("\"{}\"", spreadsheet_cell(c).replace('"', "\"\"")))
                .collect();
            out.push_str(&quoted.join(","));
            out.push('\n');
        }
        return Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response());
    }
    let more = found.len() > limit;
    found.truncate(limit);
    let next = if more {
        found.last().map(|(id, _)| format!("a{id}"))
    } else {
        None
    };
    let reader = app.engine.read();
    let state = reader.state();
    let data = found
        .iter()
        .map(|(id, r)| audit_out(state, &org, *id, r))
        .collect();
    Ok(axum::Json(pager.page(data, next.as_deref())).into_response())
}

/// How long audit records are kept.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditSettingsIn {
    /// Days (`null`: for ever).
    #[serde(default, deserialize_with = "crate::wire::whole_number")]
    pub retention_days: Option<u32>,
}

/// How long audit records are kept, after a change.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditSettingsOut {
    /// Days (`null`: for ever).
    pub retention_days: Option<u32>,
}

/// Set how long the organization keeps audit records (`audit_logs.configure`).
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/audit-settings", tag = "compliance", operation_id = "easel-set-audit-retention", request_body = AuditSettingsIn,
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 200, description = "changed", body = AuditSettingsOut)))]
pub async fn audit_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<AuditSettingsIn>,
) -> Result<Response, ApiError> {
    let w = run_in_org(
        &app,
        &caller,
        &org,
        Command::SetAuditRetention {
            org: org.clone(),
            days: body.retention_days,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &AuditSettingsOut {
            retention_days: body.retention_days,
        },
        w.revision,
    ))
}

/// Which content activity (documentation only: the query is read by hand, since
/// `board_ids` and `emails` may repeat).
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "the parameters' documentation; read from the raw query"
)]
pub struct ContentLogQuery {
    /// From this time (ISO 8601, or milliseconds since the epoch).
    pub from: Option<String>,
    /// Before this time (ISO 8601, or milliseconds since the epoch).
    pub to: Option<String>,
    /// Only these boards (the parameter repeated, or comma-separated), at most 15.
    pub board_ids: Option<Vec<String>>,
    /// Only these actors' emails (the parameter repeated, or comma-separated), at most 15.
    pub emails: Option<Vec<String>>,
    /// Page size, 1 to 1000 (1000 when absent).
    #[param(minimum = 1, maximum = 1000, default = 1000)]
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
    /// `asc` (the default, oldest first) or `desc`.
    pub sorting: Option<String>,
}

/// The content log's query, as read.
#[derive(Default)]
struct ContentLogAsk {
    from: Option<i64>,
    to: Option<i64>,
    board_ids: Option<Vec<String>>,
    emails: Option<Vec<String>>,
    limit: Option<usize>,
    cursor: Option<String>,
    desc: bool,
}

/// The most boards or emails one content-log query names.
const MAX_FILTER: usize = 15;

fn content_log_ask(raw: Option<&str>) -> Result<ContentLogAsk, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| ApiError::invalid(format!("the query: {e}")))?;
    let mut ask = ContentLogAsk::default();
    let list = |into: &mut Option<Vec<String>>, value: &str| {
        into.get_or_insert_with(Vec::new).extend(
            value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string),
        );
    };
    for (name, value) in &pairs {
        match name.as_str() {
            "from" => ask.from = time_param("from", Some(value))?,
            "to" => ask.to = time_param("to", Some(value))?,
            "board_ids" => list(&mut ask.board_ids, value),
            "emails" => list(&mut ask.emails, value),
            "limit" => {
                ask.limit = Some(value.parse().map_err(|_| {
                    ApiError::invalid(format!("`limit` must be 1 to 1000, not `{value}`"))
                })?);
            }
            "cursor" => ask.cursor = Some(value.clone()),
            "sorting" => {
                ask.desc = match value.to_ascii_lowercase().as_str() {
                    "asc" => false,
                    "desc" => true,
                    _ => {
                        return Err(ApiError::invalid(format!(
                            "`sorting` is asc or desc, not `{value}`"
                        )));
                    }
                };
            }
            other => {
                return Err(ApiError::invalid(format!(
                    "unknown query parameter `{other}`"
                )));
            }
        }
    }
    for (name, values) in [("board_ids", &ask.board_ids), ("emails", &ask.emails)] {
        if values.as_ref().is_some_and(|v| v.len() > MAX_FILTER) {
            return Err(ApiError::invalid(format!(
                "`{name}` names at most {MAX_FILTER}"
            )));
        }
    }
    Ok(ask)
}

/// Who made a change to a board's content.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ContentActor {
    /// The user's id.
    pub id: String,
    /// The user's email.
    pub email: String,
    /// The user's name.
    pub name: String,
}

/// One change to a board's content.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContentLogOut {
    /// The audit record's id.
    pub id: String,
    /// The board.
    pub content_id: String,
    /// `create`, `update` or `delete`.
    pub action_type: &'static str,
    /// When (ISO 8601).
    pub action_time: String,
    /// Who.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<ContentActor>,
    /// `widget` for an item, `comment_message` for a comment.
    pub item_type: &'static str,
    /// The item or comment.
    pub item_id: String,
}

/// The content-log entry of an audit record of an item added, changed or deleted.
fn content_log_out(state: &EngineState, id: i64, r: &AuditRecord) -> Option<ContentLogOut> {
    let action_type = match r.action.as_str() {
        "add_content" => "create",
        "update_content" => "update",
        "delete_content" => "delete",
        _ => return None,
    };
    // An addition names the board, and the item in its change (`sticky_note c1`); a
    // change or a deletion names the item.
    let item = match r.target.split_once(':') {
        Some(("content", item)) => item.to_string(),
        _ => r
            .changes
            .first()
            .and_then(|c| c.field.rsplit(' ').next())
            .map(str::to_string)?,
    };
    let content = state.find_content(&item).and_then(|c| state.content(c));
    let board = content
        .and_then(|c| state.board(c.board))
        .map(|b| b.id.to_string())
        .or_else(|| r.target.strip_prefix("board:").map(str::to_string))?;
    let item_type = match content.map(|c| c.kind) {
        Some(ContentKind::Comment) => "comment_message",
        _ => "widget",
    };
    let actor = r
        .actor
        .as_deref()
        .and_then(|a| state.find_user(a))
        .and_then(|u| state.user(u))
        .map(|u| ContentActor {
            id: u.id.to_string(),
            email: u.email.to_string(),
            name: u.name.to_string(),
        });
    Some(ContentLogOut {
        id: id.to_string(),
        content_id: board,
        action_type,
        action_time: iso(r.at),
        actor,
        item_type,
        item_id: item,
    })
}

/// The largest page of the content log, and the page when none is asked.
const CONTENT_PAGE: usize = 1_000;

/// The content activity of the organization's boards (`org.export_content_logs`): every
/// item and comment added, changed or deleted, from the audit log.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/content-logs/items", tag = "compliance", operation_id = "enterprise-board-content-item-logs-fetch",
    params(("org_id" = String, Path, description = "the organization"), ContentLogQuery),
    responses((status = 200, body = CursorList<ContentLogOut>)))]
pub async fn content_logs(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<axum::Json<CursorList<ContentLogOut>>, ApiError> {
    let q = content_log_ask(raw.as_deref())?;
    let pager = Pager::sized(
        &app,
        &caller,
        &list,
        (q.limit, CONTENT_PAGE, CONTENT_PAGE),
        q.cursor.as_deref(),
    )?;
    let (boards, actors) = {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        if let Some(d) = may(
            state,
            &caller,
            EngineAction::OrgExportContentLogs,
            Target::Org(o),
            app.engine.now(),
        )
        .denial
        {
            return Err(ApiError::new(d.code, d.message()));
        }
        // Emails name users; the log names them by id.
        let actors: Option<Vec<String>> = q.emails.as_ref().map(|e| {
            e.iter()
                .filter_map(|x| state.find_email(x))
                .filter_map(|u| state.user(u).map(|u| u.id.to_string()))
                .collect()
        });
        (q.board_ids.clone(), actors)
    };
    let limit = pager.limit;
    let mut from = audit_after(&pager)?;
    // Read from the cursor, the time window applied by the store, until one record more
    // than the page has matched the rest of the filters.
    let mut found = Vec::new();
    loop {
        let chunk = app
            .engine
            .audit_page(
                org.clone(),
                AuditPage {
                    after: from,
                    newest_first: q.desc,
                    from_ms: q.from,
                    before_ms: q.to,
                    limit: AUDIT_CHUNK,
                },
            )
            .await?;
        let done = chunk.len() < AUDIT_CHUNK;
        from = chunk.last().map(|(id, _)| *id).or(from);
        let reader = app.engine.read();
        let state = reader.state();
        for (id, r) in chunk {
            let wanted = r.outcome == AuditOutcome::Allowed
                && q.from.is_none_or(|t| r.at >= Time::from_millis(t))
                && q.to.is_none_or(|t| r.at < Time::from_millis(t))
                && actors
                    .as_ref()
                    .is_none_or(|a| r.actor.as_ref().is_some_and(|x| a.contains(x)));
            if !wanted {
                continue;
            }
            let Some(entry) = content_log_out(state, id, &r) else {
                continue;
            };
            if boards
                .as_ref()
                .is_none_or(|b| b.contains(&entry.content_id))
            {
                found.push((id, entry));
            }
        }
        if done || found.len() > limit {
            break;
        }
    }
    let more = found.len() > limit;
    found.truncate(limit);
    let next = if more {
        found.last().map(|(id, _)| format!("a{id}"))
    } else {
        None
    };
    let data = found.into_iter().map(|(_, e)| e).collect();
    Ok(axum::Json(pager.page(data, next.as_deref())))
}

/// A CSV cell as a spreadsheet may safely read it: one that starts as a formula would (`=`,
/// `+`, `-`, `@`, or a tab or carriage return before one) is made text with a leading `'`,
/// so an id or name chosen by someone else never runs as a formula in an auditor's sheet.
pub fn spreadsheet_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}
