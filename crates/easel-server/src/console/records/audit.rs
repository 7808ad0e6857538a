//! The audit log page: the organization's records with filters (actor, action, target,
//! outcome, time window, order), a page at a time by cursor, and links to export what the
//! filters select as JSON or CSV. It needs `audit_logs.view_export`, as `GET
//! /v2/audit/logs` does.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use easel_core::catalog::Privilege;
use easel_core::request::Target;
use maud::{Markup, html};

use super::audit_read::{AuditFilter, Found, OutcomeFilter, form_time, read};
use super::layout::{self, Section};
use super::{
    Failure, OrgRef, Viewer, org_page, query_fields, refusal_of, refused_page, seen, shown_time,
};
use crate::AppState;
use crate::routes::compliance::{AuditOut, IdName, audit_out};

/// Records on one page.
const PAGE: usize = 50;

/// The most records one page looks at when filters narrow beyond time: past that, the
/// page shows what it found and a link that searches on.
const PAGE_BUDGET: usize = 10_000;

/// The audit page.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/ui/orgs/{org}/audit", get(page))
}

async fn page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let now = app.engine.now();
    let fields = query_fields(raw.as_deref())?;
    let (o, filter, matcher) = {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen(state, &viewer, &org, now)?;
        if let Some(r) = refusal_of(
            state,
            &viewer,
            Privilege::AuditLogsViewExport,
            Target::Org(o.ix),
            now,
        ) {
            return Ok(refused_page(&viewer, &o, Section::Audit, &r));
        }
        match AuditFilter::parse(&fields) {
            Ok(f) => {
                let m = f.matcher(state);
                (o, f, m)
            }
            Err(message) => {
                let body = html! {
                    (layout::refusal(&message, None))
                    (filter_form(&o, None))
                };
                return Ok((
                    StatusCode::BAD_REQUEST,
                    org_page(&viewer, &o, Section::Audit, body),
                )
                    .into_response());
            }
        }
    };
    let after = filter.after(&app, &o, &viewer)?;
    let found = read(&app, &o.id, &matcher, after, PAGE, PAGE_BUDGET).await?;
    let reader = app.engine.read();
    let state = reader.state();
    let org_named = IdName {
        id: o.id.clone(),
        name: o.name.clone(),
    };
    let rows: Vec<AuditOut> = found
        .records
        .iter()
        .map(|(id, r)| audit_out(state, &org_named, *id, r))
        .collect();
    let body = html! {
        (filter_form(&o, Some(&filter)))
        (exports(&o, &filter))
        h2 { "Records" }
        (records(&rows))
        (paging(&app, &viewer, &o, &filter, &found))
    };
    Ok(org_page(&viewer, &o, Section::Audit, body).into_response())
}

/// The filter form: a GET form, so a filtered view is an address one can keep.
fn filter_form(o: &OrgRef, f: Option<&AuditFilter>) -> Markup {
    let value = |get: fn(&AuditFilter) -> String| f.map(get).unwrap_or_default();
    let outcome = f.map_or(OutcomeFilter::Any, |f| f.outcome);
    let oldest = f.is_some_and(|f| !f.newest_first);
    html! {
        form method="get" action=(format!("/ui/orgs/{}/audit", o.id)) class="audit-filters" {
            fieldset {
                legend { "Filter records" }
                div class="row" {
                    div class="field" {
                        label for="audit-actor" { "Actor" }
                        input type="text" id="audit-actor" name="actor" value=(value(|f| f.actor.clone()))
                            aria-describedby="audit-actor-hint" autocomplete="off";
                        span class="hint" id="audit-actor-hint" { "A user id or an email." }
                    }
                    div class="field" {
                        label for="audit-action" { "Action" }
                        input type="text" id="audit-action" name="action" value=(value(|f| f.action.clone()))
                            aria-describedby="audit-action-hint" autocomplete="off";
                        span class="hint" id="audit-action-hint" { "A command, such as create_board." }
                    }
                    div class="field" {
                        label for="audit-target" { "Target" }
                        input type="text" id="audit-target" name="target" value=(value(|f| f.target.clone()))
                            aria-describedby="audit-target-hint" autocomplete="off";
                        span class="hint" id="audit-target-hint" { "An id, or kind:id such as board:brd_9." }
                    }
                }
                div class="row" {
                    div class="field" {
                        label for="audit-outcome" { "Outcome" }
                        select id="audit-outcome" name="outcome" {
                            option value="" selected[outcome == OutcomeFilter::Any] { "Allowed and refused" }
                            option value="allowed" selected[outcome == OutcomeFilter::Allowed] { "Allowed" }
                            option value="refused" selected[outcome == OutcomeFilter::Refused] { "Refused" }
                        }
                    }
                    div class="field" {
                        label for="audit-from" { "From (UTC)" }
                        input type="datetime-local" step="1" id="audit-from" name="from" value=(value(|f| form_time(f.from)));
                    }
                    div class="field" {
                        label for="audit-to" { "Before (UTC)" }
                        input type="datetime-local" step="1" id="audit-to" name="to" value=(value(|f| form_time(f.to)));
                    }
                    div class="field" {
                        label for="audit-order" { "Order" }
                        select id="audit-order" name="order" {
                            option value="newest" selected[!oldest] { "Newest first" }
                            option value="oldest" selected[oldest] { "Oldest first" }
                        }
                    }
                }
                div class="row" {
                    button type="submit" { "Show records" }
                    a href=(format!("/ui/orgs/{}/audit", o.id)) { "Clear filters" }
                }
            }
        }
    }
}

/// The export links: the records the filters select, as JSON or CSV.
fn exports(o: &OrgRef, f: &AuditFilter) -> Markup {
    let q = f.query_string(None);
    let href = |ext: &str| {
        if q.is_empty() {
            format!("/ui/orgs/{}/audit/export.{ext}", o.id)
        } else {
            format!("/ui/orgs/{}/audit/export.{ext}?{q}", o.id)
        }
    };
    html! {
        h2 { "Export" }
        p {
            "Download the records these filters select: "
            a href=(href("json")) download { "Export as JSON" }
            " · "
            a href=(href("csv")) download { "Export as CSV" }
        }
        p class="hint muted" {
            "An export holds at most " (super::audit_export::MAX_RECORDS_TEXT)
            " records; when more match, the file says so and names where the rest starts."
        }
    }
}

/// The records, as a table.
fn records(rows: &[AuditOut]) -> Markup {
    html! {
        @if rows.is_empty() {
            p class="muted" { "No records match." }
        } @else {
            div class="table-wrap" tabindex="0" role="region" aria-label="Audit records" {
                table class="audit" {
                    caption class="muted" { (rows.len()) " records" }
                    thead {
                        tr {
                            th scope="col" { "When (UTC)" }
                            th scope="col" { "Actor" }
                            th scope="col" { "Action" }
                            th scope="col" { "Target" }
                            th scope="col" { "Outcome" }
                            th scope="col" { "Changes" }
                        }
                    }
                    tbody {
                        @for r in rows {
                            tr data-record=(r.id) {
                                td { time datetime=(r.created_at) { (shown_time(&r.created_at)) } }
                                td {
                                    @match &r.created_by {
                                        Some(u) => { (u.name) br; span class="muted" { (u.id) } }
                                        None => { span class="muted" { "Easel" } }
                                    }
                                }
                                td { code { (r.action) } }
                                td {
                                    (r.object.name)
                                    @if r.object.name != r.object.id { br; span class="muted" { (r.target) } }
                                    @else { br; span class="muted" { (r.category) } }
                                }
                                td {
                                    @if r.outcome == "allowed" {
                                        span class="allowed" { "Allowed" }
                                    } @else {
                                        span class="refused" { "Refused" }
                                        @if let Some(c) = r.code { br; code { (c) } }
                                    }
                                }
                                td {
                                    @if !r.changes.is_empty() {
                                        ul class="changes" {
                                            @for c in &r.changes {
                                                li {
                                                    (c.field) ": "
                                                    (c.before.as_deref().unwrap_or("—"))
                                                    " → "
                                                    (c.after.as_deref().unwrap_or("—"))
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Links to the first page and the next one.
fn paging(app: &AppState, viewer: &Viewer, o: &OrgRef, f: &AuditFilter, found: &Found) -> Markup {
    let base = format!("/ui/orgs/{}/audit", o.id);
    let first = match f.query_string(None) {
        q if q.is_empty() => base.clone(),
        q => format!("{base}?{q}"),
    };
    let next = found.next.map(|id| {
        let cursor = f.seal(app, o, viewer, id);
        format!("{base}?{}", f.query_string(Some(&cursor)))
    });
    html! {
        @if found.stopped {
            p class="notice" role="status" {
                "This page looked at " (PAGE_BUDGET) " records and stopped; "
                "more may match further on."
            }
        }
        nav class="row paging" aria-label="Pages of records" {
            @if f.cursor.is_some() { a href=(first) { "First page" } }
            @if let Some(n) = next {
                a href=(n) rel="next" {
                    @if found.stopped { "Search further" } @else { "Next page" }
                }
            }
        }
    }
}
