//! Audit and compliance: the audit log (and its export), audit retention, the content log,
//! legal cases and holds, resetting a user's sessions, and the defaults of new teams.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use easel_core::EngineAction;
use easel_core::catalog::Privilege;
use easel_core::codes::Code;
use easel_core::command::{AuditOutcome, AuditRecord, Command};
use easel_core::request::Target;
use easel_store::AuditPage;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::board_members::PageQuery;
use super::orgs::seen_org;
use super::{may, run, run_in_org, sorted, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{CASES, Rule};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use easel_core::catalog::Scope;
use utoipa_axum::routes;

/// The compliance routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(audit_logs), Rule::OneOf(&[Scope::AuditlogsRead]))
        .add(routes!(audit_settings), Rule::NotForApps)
        .add(
            routes!(content_logs),
            Rule::OneOf(&[Scope::ContentlogsExport]),
        )
        .add(routes!(cases), CASES)
        .add(routes!(create_case), CASES)
        .add(routes!(holds), CASES)
        .add(routes!(add_hold), CASES)
}

/// One audit record.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditOut {
    /// Its id (ascending with time).
    pub id: String,
    /// When, in milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Who acted (absent for Easel's own time-driven changes).
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

fn audit_out(id: i64, r: &AuditRecord) -> AuditOut {
    let (outcome, code) = match r.outcome {
        AuditOutcome::Allowed => ("allowed", None),
        AuditOutcome::Refused { code } => ("refused", Some(code.as_str())),
    };
    AuditOut {
        id: id.to_string(),
        created_at: r.at.millis(),
        actor: r.actor.clone(),
        action: r.action.clone(),
        target: r.target.clone(),
        outcome,
        code,
        changes: r
            .changes
            .iter()
            .map(|c| AuditChangeOut {
                field: c.field.clone(),
                before: c.before.clone(),
                after: c.after.clone(),
            })
            .collect(),
    }
}

/// Which records.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditQuery {
    /// The organization (the caller's only one when absent).
    pub org: Option<String>,
    /// Only records at or after this time (milliseconds since the epoch).
    pub created_after: Option<i64>,
    /// Only records before this time.
    pub created_before: Option<i64>,
    /// `asc` (the default, oldest first) or `desc`.
    pub sorting: Option<String>,
    /// `json` (a cursor list, the default) or `csv` (every matching record).
    pub format: Option<String>,
    /// Page size, 1 to 100.
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// How many records one read of the store brings back at most.
const AUDIT_CHUNK: usize = 1_000;

/// The organization's audit log (`audit_logs.view_export`), a page at a time, or all of it
/// as CSV.
#[utoipa::path(get, path = "/v2/audit/logs", tag = "compliance", params(AuditQuery),
    responses((status = 200, description = "a page of records (`format=json`), or every matching record as CSV (`format=csv`)",
        content((CursorList<AuditOut> = "application/json"), (String = "text/csv")))))]
pub async fn audit_logs(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Query(q): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let limit = pager.limit;
    let desc = match q.sorting.as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "`sorting` is asc or desc, not `{other}`"
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
    let org = {
        let reader = app.engine.read();
        let state = reader.state();
        let org = match &q.org {
            Some(o) => o.clone(),
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
        seen_org(
            state,
            &caller,
            &org,
            Some(Privilege::AuditLogsViewExport),
            app.engine.now(),
        )?;
        org
    };
    // Where the page starts: the id of the last record given. A page asks the store for
    // its own records only, from the cursor in the page's order, one more than the page to
    // know whether another follows; the export (CSV) reads the whole log in chunks.
    let after = match pager.after() {
        None => None,
        Some(p) => Some(
            p.strip_prefix('a')
                .and_then(|n| n.parse::<i64>().ok())
                .ok_or_else(|| {
                    ApiError::new(Code::RequestInvalidCursor, "the cursor is not of this list")
                })?,
        ),
    };
    let chunk = if csv { AUDIT_CHUNK } else { limit + 1 };
    let mut found: Vec<(i64, AuditRecord)> = Vec::new();
    // The export is every matching record, whatever cursor came with it.
    let mut from = if csv { None } else { after };
    loop {
        let read = app
            .engine
            .audit_page(
                org.clone(),
                AuditPage {
                    after: from,
                    newest_first: desc,
                    from_ms: q.created_after,
                    before_ms: q.created_before,
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
            let a = audit_out(*id, r);
            let cells = [
                a.id,
                a.created_at.to_string(),
                a.actor.unwrap_or_default(),
                a.action,
                a.target,
                a.outcome.to_string(),
                a.code.unwrap_or("").to_string(),
            ];
            let quoted: Vec<String> = cells
                .iter()
                .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
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
    let data = found.iter().map(|(id, r)| audit_out(*id, r)).collect();
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
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/audit-settings", tag = "compliance", request_body = AuditSettingsIn,
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 200, description = "changed")))]
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

/// Which content activity.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ContentLogQuery {
    /// From this time (milliseconds since the epoch).
    pub from: Option<i64>,
    /// Before this time.
    pub to: Option<i64>,
    /// Only these boards (comma-separated).
    pub board_ids: Option<String>,
    /// Only these actors' emails (comma-separated).
    pub emails: Option<String>,
    /// Page size, 1 to 100.
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// The content activity of the organization's boards (`org.export_content_logs`): every
/// item and comment added, changed or deleted, from the audit log.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/content-logs/items", tag = "compliance",
    params(("org_id" = String, Path, description = "the organization"), ContentLogQuery),
    responses((status = 200, body = CursorList<AuditOut>)))]
pub async fn content_logs(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<ContentLogQuery>,
) -> Result<axum::Json<CursorList<AuditOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
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
        // The log names the board an item was added to (`board:<id>`), and the item it
        // changed or deleted (`content:<id>`): the boards asked for, and their items.
        let boards: Option<Vec<String>> = q.board_ids.as_deref().map(|b| {
            let wanted: Vec<&str> = b.split(',').map(str::trim).collect();
            let items = state
                .all_contents()
                .filter(|(_, c)| {
                    state
                        .board(c.board)
                        .is_some_and(|x| wanted.contains(&&*x.id))
                })
                .map(|(_, c)| format!("content:{}", c.id));
            wanted
                .iter()
                .map(|b| format!("board:{b}"))
                .chain(items)
                .collect()
        });
        // Emails name users; the log names them by id.
        let actors: Option<Vec<String>> = q.emails.as_deref().map(|e| {
            e.split(',')
                .filter_map(|x| state.find_email(x.trim()))
                .filter_map(|u| state.user(u).map(|u| u.id.to_string()))
                .collect()
        });
        (boards, actors)
    };
    let limit = pager.limit;
    let mut from = match pager.after() {
        None => None,
        Some(p) => Some(
            p.strip_prefix('a')
                .and_then(|n| n.parse::<i64>().ok())
                .ok_or_else(|| {
                    ApiError::new(Code::RequestInvalidCursor, "the cursor is not of this list")
                })?,
        ),
    };
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
                    newest_first: false,
                    from_ms: q.from,
                    before_ms: q.to,
                    limit: AUDIT_CHUNK,
                },
            )
            .await?;
        let done = chunk.len() < AUDIT_CHUNK;
        from = chunk.last().map(|(id, _)| *id).or(from);
        for (id, r) in chunk {
            let content = matches!(
                r.action.as_str(),
                "add_content" | "update_content" | "delete_content"
            ) && r.outcome == AuditOutcome::Allowed;
            let keep = content
                && q.from.is_none_or(|t| r.at.millis() >= t)
                && q.to.is_none_or(|t| r.at.millis() < t)
                && boards.as_ref().is_none_or(|b| b.contains(&r.target))
                && actors
                    .as_ref()
                    .is_none_or(|a| r.actor.as_ref().is_some_and(|x| a.contains(x)));
            if keep {
                found.push((id, r));
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
    let data = found.iter().map(|(id, r)| audit_out(*id, r)).collect();
    Ok(axum::Json(pager.page(data, next.as_deref())))
}

/// A legal case.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaseOut {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// How many holds are active.
    #[serde(rename = "activeHolds")]
    pub active_holds: usize,
}

fn legal(app: &AppState, caller: &Caller, org: &str) -> Result<easel_core::ids::OrgIx, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, caller, org, None, app.engine.now())?;
    if let Some(d) = may(
        state,
        caller,
        EngineAction::OrgLegalHolds,
        Target::Org(o),
        app.engine.now(),
    )
    .denial
    {
        return Err(ApiError::new(d.code, d.message()));
    }
    Ok(o)
}

/// The organization's legal cases (`org.legal_holds`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/cases", tag = "compliance",
    params(("org_id" = String, Path, description = "the organization"), PageQuery),
    responses((status = 200, body = CursorList<CaseOut>)))]
pub async fn cases(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<CaseOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let o = legal(&app, &caller, &org)?;
    let reader = app.engine.read();
    let state = reader.state();
    Ok(axum::Json(pager.walk(
        state.org_cases(o),
        |ix| ix.get(),
        |ix| {
            let c = state.case(*ix)?;
            (c.org == o).then(|| CaseOut {
                id: c.id.to_string(),
                name: c.name.clone(),
                active_holds: c.holds.iter().filter(|h| !h.released).count(),
            })
        },
    )?))
}

/// A name.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseIn {
    /// The case's name.
    pub name: String,
}

/// Open a legal case (`org.legal_holds`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/cases", tag = "compliance", request_body = CaseIn,
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, body = CaseOut)))]
pub async fn create_case(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<CaseIn>,
) -> Result<Response, ApiError> {
    legal(&app, &caller, &org)?;
    let case = crate::ids::new_id("case")?;
    let w = run(
        &app,
        &caller,
        Command::CreateCase {
            org,
            case: case.clone(),
            name: body.name.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        &CaseOut {
            id: case,
            name: body.name,
            active_holds: 0,
        },
        w.revision,
    ))
}

/// A legal hold.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HoldOut {
    /// The id.
    pub id: String,
    /// The users whose boards it holds.
    pub users: Vec<String>,
    /// Whether it was released.
    pub released: bool,
}

/// A case's holds.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HoldList {
    /// Every hold of the case, in the order they were placed.
    pub data: Vec<HoldOut>,
}

/// A case's holds (`org.legal_holds`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/cases/{case}/legal-holds", tag = "compliance",
    params(("org_id" = String, Path, description = "the organization"), ("case" = String, Path, description = "the case")),
    responses((status = 200, body = Vec<HoldOut>)))]
pub async fn holds(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, case)): Path<(String, String)>,
) -> Result<axum::Json<Value>, ApiError> {
    let o = legal(&app, &caller, &org)?;
    let reader = app.engine.read();
    let state = reader.state();
    let c = state
        .find_case(&case)
        .and_then(|c| state.case(c))
        .filter(|c| c.org == o)
        .ok_or_else(|| ApiError::not_found("case", &case))?;
    let holds: Vec<HoldOut> = c
        .holds
        .iter()
        .map(|h| HoldOut {
            id: h.id.to_string(),
            users: h
                .users
                .iter()
                .filter_map(|u| state.user(*u).map(|x| x.id.to_string()))
                .collect(),
            released: h.released,
        })
        .collect();
    sorted(&HoldList { data: holds })
}

/// The users a new hold covers.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HoldIn {
    /// The users whose boards are held.
    pub user_ids: Vec<String>,
}

/// Hold some users' boards under a case (`org.legal_holds`): they cannot be deleted or
/// purged while the hold lasts.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/cases/{case}/legal-holds", tag = "compliance", request_body = HoldIn,
    params(("org_id" = String, Path, description = "the organization"), ("case" = String, Path, description = "the case")),
    responses((status = 201, body = HoldOut)))]
pub async fn add_hold(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, case)): Path<(String, String)>,
    Json(body): Json<HoldIn>,
) -> Result<Response, ApiError> {
    legal(&app, &caller, &org)?;
    let hold = crate::ids::new_id("hold")?;
    let w = run(
        &app,
        &caller,
        Command::AddLegalHold {
            case,
            hold: hold.clone(),
            users: body.user_ids.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        &HoldOut {
            id: hold,
            users: body.user_ids,
            released: false,
        },
        w.revision,
    ))
}
