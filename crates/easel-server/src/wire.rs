//! What the routes share on the wire: the JSON, path and query extractors that answer bad
//! input in the error envelope, role and channel spellings, and cursor lists (their
//! cursors are sealed in `cursor`).

use axum::extract::{FromRequest, FromRequestParts};
use easel_core::State;
use easel_core::decision::Reason;
use easel_core::roles::BoardRole;
use easel_core::time::Time;
use serde::Serialize;
use utoipa::ToSchema;

use crate::decision::ReasonOut;
use crate::error::ApiError;

/// A JSON body; bad JSON, a wrong type or a missing field is a 400 `request.invalid_json`,
/// a body sent as anything but `application/json` a 415. Every body is a JSON object: the
/// array form serde would also read into a struct (`["x", null]`) is refused.
pub struct Json<T>(pub T);

/// Whether the request says its body is JSON: `application/json`, or a `+json` type.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(text) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = text.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || (essence.len() > "application/".len()
            && essence[.."application/".len()].eq_ignore_ascii_case("application/")
            && essence.to_ascii_lowercase().ends_with("+json"))
}

impl<T, S> FromRequest<S> for Json<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        use easel_core::codes::Code;
        if !json_content_type(request.headers()) {
            return Err(ApiError::new(
                Code::RequestUnsupportedMediaType,
                "send the body as `application/json`",
            ));
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|_| {
                ApiError::new(
                    Code::RequestTooLarge,
                    "the body could not be read in full: it is larger than the server accepts",
                )
            })?;
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::new(
                Code::RequestInvalidJson,
                "the body must be a JSON object",
            ));
        }
        let axum::Json(value) = axum::Json::<T>::from_bytes(&bytes)?;
        Ok(Json(value))
    }
}

/// An answer of the server's as JSON. It is the server's own value, so a failure to
/// serialize it is a 500 `request.internal`, never the caller's 400.
pub fn to_body<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}

/// A nested object of a body, refusing the array form serde would also read into a struct.
pub fn object<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::Deserialize;
    let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
    serde_json::from_value(serde_json::Value::Object(map)).map_err(serde::de::Error::custom)
}

/// Path parameters; a malformed one is a 400.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// Query parameters; a malformed one is a 400.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// The one output spelling of a role.
pub fn role_name(role: BoardRole) -> &'static str {
    role.as_str()
}

/// A channel that gives access, as the API shows it.
pub fn reason_out(state: &State, r: &Reason) -> ReasonOut {
    ReasonOut {
        channel: r.channel.as_str(),
        via: r.via.id(state).to_string(),
        role: r.role.map(role_name),
    }
}

/// A page of a list: `{"type": "cursor-list", "limit", "size", "cursor", "data"}`; no cursor
/// means no more.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CursorList<T: ToSchema> {
    /// Always `cursor-list`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The page size asked for.
    pub limit: usize,
    /// How many items this page holds.
    pub size: usize,
    /// Where the next page starts; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// The items.
    pub data: Vec<T>,
}

impl<T: ToSchema> CursorList<T> {
    /// A page.
    pub fn new(limit: usize, data: Vec<T>, cursor: Option<String>) -> CursorList<T> {
        CursorList {
            kind: "cursor-list",
            limit,
            size: data.len(),
            cursor,
            data,
        }
    }
}

/// A whole number in a JSON body, which JSON may also write as `20.0` (JSON Schema counts
/// both as integers, and so does the document). A fraction, a negative number or one out
/// of range is refused as malformed; `null` is absent.
pub fn whole_number<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<u64>,
{
    use serde::Deserialize;
    match Option::<serde_json::Number>::deserialize(d)? {
        None => Ok(None),
        Some(n) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u32::MAX as f64)
                    .map(|f| f as u64)
            })
            .and_then(|v| T::try_from(v).ok())
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("expected a whole number, not {n}"))),
    }
}

/// The page size asked for: 1 to `max`, 20 when absent.
pub fn page_limit(limit: Option<usize>, max: usize) -> Result<usize, ApiError> {
    match limit {
        None => Ok(20.min(max)),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::invalid(format!("`limit` must be 1 to {max}"))),
    }
}

/// Refuses a body declared in a character set other than UTF-8 (415): JSON is UTF-8
/// (RFC 8259 §8.1), and reading another encoding as UTF-8 would misread it silently.
pub async fn utf8_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let charset = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(';').skip(1).find_map(|p| {
                let (name, value) = p.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("charset")
                    .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
            })
        });
    match charset.as_deref() {
        None | Some("utf-8" | "utf8") => next.run(request).await,
        Some(other) => ApiError::new(
            easel_core::codes::Code::RequestUnsupportedMediaType,
            format!("send the body in UTF-8, not `{other}`"),
        )
        .into_response(),
    }
}

/// A time as the API writes it: RFC 3339 (ISO 8601) in UTC, to the millisecond
/// (`2026-12-07T03:15:00.250Z`; whole seconds are written without a fraction).
pub fn iso(t: Time) -> String {
    jiff::Timestamp::from_millisecond(t.millis()).map_or_else(
        |_| String::from("1970-01-01T00:00:00Z"),
        |ts| ts.to_string(),
    )
}

/// A time as a client sends it: RFC 3339 / ISO 8601 with an offset (`2026-12-07T03:15:00Z`,
/// `...+01:00`), or a bare date (`2026-12-07`, midnight UTC); what else is refused, with the
/// parameter's name in the message.
pub fn parse_time(name: &str, text: &str) -> Result<Time, ApiError> {
    // A civil date-time (or a bare date, its midnight) is read in UTC; a civil date alone
    // would drop a time of day it was given.
    let parsed = text.parse::<jiff::Timestamp>().ok().or_else(|| {
        text.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp())
    });
    parsed
        .map(|ts| Time::from_millis(ts.as_millisecond()))
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "`{name}` must be an ISO 8601 time such as `2026-12-07T03:15:00Z`, not `{text}`"
            ))
        })
}

/// A page of a list the reference pages by offset:
/// `{"data", "total", "size", "offset", "limit", "links", "type": "list"}`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OffsetList<T: ToSchema> {
    /// The items.
    pub data: Vec<T>,
    /// How many items the whole list holds.
    pub total: usize,
    /// How many items this page holds.
    pub size: usize,
    /// Where this page starts (0 is the first item).
    pub offset: usize,
    /// The page size asked for.
    pub limit: usize,
    /// The addresses of this page and its neighbours.
    pub links: PageLinks,
    /// Always `list`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// The addresses of a page and of its neighbours; `prev` and `next` are absent at the ends.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PageLinks {
    /// This page.
    #[serde(rename = "self")]
    pub this: String,
    /// The first page.
    pub first: String,
    /// The last page.
    pub last: String,
    /// The page before, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// The page after, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl<T: ToSchema> OffsetList<T> {
    /// A page of `total` items starting at `offset`; `base` is the list's path with its other
    /// query parameters (`/v2/boards?team_id=t1`), to which each link adds its own `limit`
    /// and `offset`.
    pub fn new(data: Vec<T>, total: usize, offset: usize, limit: usize, base: &str) -> Self {
        let at = |offset: usize| {
            let glue = if base.contains('?') { '&' } else { '?' };
            format!("{base}{glue}limit={limit}&offset={offset}")
        };
        let last = total.saturating_sub(1) / limit.max(1) * limit.max(1);
        OffsetList {
            size: data.len(),
            data,
            total,
            offset,
            limit,
            links: PageLinks {
                this: at(offset),
                first: at(0),
                last: at(last),
                prev: (offset > 0).then(|| at(offset.saturating_sub(limit))),
                next: (offset + limit < total).then(|| at(offset + limit)),
            },
            kind: "list",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_and_read_in_iso_8601() {
        assert_eq!(iso(Time::from_millis(0)), "1970-01-01T00:00:00Z");
        assert_eq!(iso(Time::from_millis(1_500)), "1970-01-01T00:00:01.5Z");
        let read = |s: &str| parse_time("at", s).map(Time::millis).ok();
        assert_eq!(read("1970-01-01T00:00:01.500Z"), Some(1_500));
        assert_eq!(read("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(read("1970-01-02"), Some(86_400_000));
        assert_eq!(read("86400000"), None);
        assert_eq!(read("yesterday"), None);
    }

    #[test]
    fn offset_pages_link_to_their_neighbours() {
        let page = OffsetList::new(vec![1_u8, 2], 5, 2, 2, "/v2/boards?team_id=t");
        assert_eq!(page.size, 2);
        assert_eq!(page.links.this, "/v2/boards?team_id=t&limit=2&offset=2");
        assert_eq!(page.links.first, "/v2/boards?team_id=t&limit=2&offset=0");
        assert_eq!(page.links.last, "/v2/boards?team_id=t&limit=2&offset=4");
        assert_eq!(
            page.links.prev.as_deref(),
            Some("/v2/boards?team_id=t&limit=2&offset=0")
        );
        assert_eq!(
            page.links.next.as_deref(),
            Some("/v2/boards?team_id=t&limit=2&offset=4")
        );
        let empty = OffsetList::<u8>::new(vec![], 0, 0, 20, "/v2/boards");
        assert_eq!(empty.links.last, "/v2/boards?limit=20&offset=0");
        assert!(empty.links.next.is_none() && empty.links.prev.is_none());
    }
}

#[cfg(test)]
mod time_tests {
    use super::parse_time;

    #[test]
    fn a_civil_time_keeps_its_time_of_day() {
        let at = |t| parse_time("t", t).map(|t| t.millis()).ok();
        let day = 20_794 * 86_400_000; // 2026-12-07
        assert_eq!(at("2026-12-07"), Some(day));
        assert_eq!(at("2026-12-07T10:15"), Some(day + (10 * 60 + 15) * 60_000));
        assert_eq!(
            at("2026-12-07T10:15:00Z"),
            Some(day + (10 * 60 + 15) * 60_000)
        );
        assert_eq!(at("yesterday"), None);
    }
}
