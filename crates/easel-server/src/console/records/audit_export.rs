//! The audit log's exports: what the audit page's filters select, as JSON (the API's
//! record shape) or CSV (written by a CSV writer, every cell that a spreadsheet would read
//! as a formula made text). An export is read from the store a chunk at a time and holds
//! at most [`MAX_RECORDS`] records; when more match, the file says so and links to where
//! the rest starts, so no export holds the whole log in memory. Same privilege as the API's
//! export: `audit_logs.view_export`.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, LINK};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use easel_core::catalog::Privilege;
use serde::Serialize;

use super::audit_read::{AuditFilter, Found, read};
use super::{Failure, OrgRef, Viewer, query_fields, seen};
use crate::AppState;
use crate::error::ApiError;
use crate::routes::compliance::{AuditOut, IdName, audit_out};
use crate::routes::orgs::seen_org;

/// The most records one export holds.
pub(super) const MAX_RECORDS: usize = 10_000;

/// [`MAX_RECORDS`] as the page writes it.
pub(super) const MAX_RECORDS_TEXT: &str = "10,000";

/// The most records one export looks at when filters narrow beyond time.
const EXPORT_BUDGET: usize = 200_000;

/// The CSV's columns.
const COLUMNS: [&str; 10] = [
    "id",
    "created_at",
    "actor",
    "actor_email",
    "action",
    "target",
    "target_name",
    "outcome",
    "code",
    "changes",
];

/// The export routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui/orgs/{org}/audit/export.json", get(json))
        .route("/ui/orgs/{org}/audit/export.csv", get(csv))
}

/// What an export found, and where the rest starts when it was cut.
struct Export {
    org: OrgRef,
    filter: AuditFilter,
    found: Found,
    /// The address of the export that goes on, when this one was cut.
    rest: Option<String>,
}

/// Reads what an export holds, as the viewer may read it.
async fn gather(
    app: &AppState,
    viewer: &Viewer,
    org: &str,
    raw: Option<&str>,
    ext: &str,
) -> Result<Export, Failure> {
    let now = app.engine.now();
    let fields = query_fields(raw)?;
    let filter = AuditFilter::parse(&fields).map_err(Failure::malformed)?;
    let (o, matcher) = {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen(state, viewer, org, now)?;
        // Refused as the API refuses: a 403 page naming the privilege.
        seen_org(
            state,
            &viewer.caller,
            org,
            Some(Privilege::AuditLogsViewExport),
            now,
        )?;
        (o, filter.matcher(state))
    };
    let after = filter.after(app, &o, viewer)?;
    let found = read(app, &o.id, &matcher, after, MAX_RECORDS, EXPORT_BUDGET).await?;
    let rest = found.next.map(|id| {
        let cursor = filter.seal(app, &o, viewer, id);
        format!(
            "/ui/orgs/{}/audit/export.{ext}?{}",
            o.id,
            filter.query_string(Some(&cursor))
        )
    });
    Ok(Export {
        org: o,
        filter,
        found,
        rest,
    })
}

/// A file name's part made of an id: letters, digits, `-` and `_` only.
fn file_part(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(64)
        .collect()
}

/// The headers of a download: its type, its file name, and a link to the rest when cut.
fn download(
    content_type: &'static str,
    file: String,
    rest: Option<&str>,
) -> Vec<(axum::http::HeaderName, HeaderValue)> {
    let mut headers = vec![(CONTENT_TYPE, HeaderValue::from_static(content_type))];
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.push((CONTENT_DISPOSITION, v));
    }
    if let Some(r) = rest
        && let Ok(v) = HeaderValue::from_str(&format!("<{r}>; rel=\"next\""))
    {
        headers.push((LINK, v));
    }
    headers
}

/// The JSON export.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonExport {
    /// The organization.
    organization: IdName,
    /// The filters, as the page's query spelled them.
    filters: serde_json::Map<String, serde_json::Value>,
    /// How many records follow.
    count: usize,
    /// Whether more records match than this export holds.
    cut: bool,
    /// Why it was cut, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// The export that goes on where this one stops.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
    /// The records, as `GET /v2/audit/logs` gives them.
    data: Vec<AuditOut>,
}

/// Why an export was cut, in words.
fn cut_note(e: &Export) -> Option<String> {
    let rest = e.rest.as_deref()?;
    Some(if e.found.stopped {
        format!(
            "the export looked at {EXPORT_BUDGET} records and stopped; more may match from {rest}"
        )
    } else {
        format!(
            "the export holds the first {MAX_RECORDS} matching records; the rest start at {rest}"
        )
    })
}

async fn json(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let e = gather(&app, &viewer, &org, raw.as_deref(), "json").await?;
    let reader = app.engine.read();
    let state = reader.state();
    let organization = IdName {
        id: e.org.id.clone(),
        name: e.org.name.clone(),
    };
    let data: Vec<AuditOut> = e
        .found
        .records
        .iter()
        .map(|(id, r)| audit_out(state, &organization, *id, r))
        .collect();
    let filters = e
        .filter
        .query()
        .into_iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
        .collect();
    let body = JsonExport {
        organization,
        filters,
        count: data.len(),
        cut: e.rest.is_some(),
        note: cut_note(&e),
        next: e.rest.clone(),
        data,
    };
    let bytes = serde_json::to_vec_pretty(&body).map_err(ApiError::internal)?;
    let headers = download(
        "application/json",
        format!("easel-audit-{}.json", file_part(&e.org.id)),
        e.rest.as_deref(),
    );
    Ok((axum::http::StatusCode::OK, headers_map(headers), bytes).into_response())
}

/// One record's cells, from the record as the API gives it.
fn row(r: &AuditOut) -> [String; 10] {
    let changes = r
        .changes
        .iter()
        .map(|c| {
            format!(
                "{}: {} -> {}",
                c.field,
                c.before.as_deref().unwrap_or("(none)"),
                c.after.as_deref().unwrap_or("(none)")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    [
        r.id.clone(),
        r.created_at.clone(),
        r.actor.clone().unwrap_or_default(),
        r.created_by
            .as_ref()
            .map(|u| u.email.clone())
            .unwrap_or_default(),
        r.action.clone(),
        r.target.clone(),
        r.object.name.clone(),
        r.outcome.to_string(),
        r.code.unwrap_or_default().to_string(),
        changes,
    ]
}

async fn csv(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let e = gather(&app, &viewer, &org, raw.as_deref(), "csv").await?;
    let reader = app.engine.read();
    let state = reader.state();
    // Flexible: the note that ends a cut export is one cell wide.
    let mut w = ::csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::with_capacity(e.found.records.len() * 160));
    w.write_record(COLUMNS).map_err(ApiError::internal)?;
    let organization = IdName {
        id: e.org.id.clone(),
        name: e.org.name.clone(),
    };
    for (id, r) in &e.found.records {
        let out = audit_out(state, &organization, *id, r);
        w.write_record(
            row(&out)
                .iter()
                .map(|c| crate::routes::compliance::audit::spreadsheet_cell(c)),
        )
        .map_err(ApiError::internal)?;
    }
    if let Some(note) = cut_note(&e) {
        w.write_record([crate::routes::compliance::audit::spreadsheet_cell(
            &format!("# {note}"),
        )])
        .map_err(ApiError::internal)?;
    }
    let bytes = w.into_inner().map_err(ApiError::internal)?;
    let headers = download(
        "text/csv; charset=utf-8",
        format!("easel-audit-{}.csv", file_part(&e.org.id)),
        e.rest.as_deref(),
    );
    Ok((axum::http::StatusCode::OK, headers_map(headers), bytes).into_response())
}

/// Headers as a response takes them.
fn headers_map(headers: Vec<(axum::http::HeaderName, HeaderValue)>) -> axum::http::HeaderMap {
    headers.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use crate::routes::compliance::audit::spreadsheet_cell as cell;

    #[test]
    fn cells_a_spreadsheet_would_run_are_made_text() {
        for formula in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(cell(formula), format!("'{formula}"));
        }
        for text in ["", "usr_ana", "1970-04-11T00:00:00Z", "a=b", " =1", "'=1"] {
            assert_eq!(cell(text), text);
        }
    }
}
