//! `GET /company-groups/{id}/services/export.csv`: every service matching the list's search,
//! filters and sort (the list's query string; its page is ignored), as CSV with the columns the
//! list shows. Streamed a batch at a time, so a group of any size costs one batch of memory.

use super::groups::{next_run_at, ListParams};
use super::params::{self, PathText};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::{clock, repo, AppState};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use services_model::{rules, ListQuery, RunSummary, Service};

/// Services fetched from the store per batch.
const BATCH: u64 = 1_000;

/// The header row: the list's columns, the flow and the schedule split into their parts.
pub const COLUMNS: [&str; 16] = [
    "ID",
    "Name",
    "Type",
    "Status",
    "Source system",
    "Source entity",
    "Destination system",
    "Destination entity",
    "Schedule",
    "Cron (UTC)",
    "Alerts",
    "Last run",
    "Last run started (UTC)",
    "Last run finished (UTC)",
    "Failed runs (24 h)",
    "Next run (UTC)",
];

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return
/// first) gets a leading `'`, so it stays text (OWASP's advice on CSV injection).
pub fn safe_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

fn record(
    service: &Service,
    last_run: Option<&RunSummary>,
    next_run: Option<&str>,
) -> [String; 16] {
    let run = |f: fn(&RunSummary) -> Option<&str>| {
        last_run.and_then(f).map(str::to_string).unwrap_or_default()
    };
    [
        service.id.to_string(),
        service.name.clone(),
        service.service_type.as_str().to_string(),
        service.status.as_str().to_string(),
        service.source.system.clone(),
        service.source.entity.clone(),
        service.destination.system.clone(),
        service.destination.entity.clone(),
        service.trigger.describe(),
        service.trigger.cron().unwrap_or_default().to_string(),
        if service.alerts_enabled { "on" } else { "off" }.to_string(),
        run(|r| Some(r.status.as_str())),
        run(|r| r.started_at.as_deref()),
        run(|r| r.finished_at.as_deref()),
        service.health.failed_24h.to_string(),
        next_run.unwrap_or_default().to_string(),
    ]
}

fn csv_bytes(
    rows: impl IntoIterator<Item = [String; 16]>,
    header: bool,
) -> Result<Bytes, ApiError> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let failed = |e: csv::Error| ApiError::internal(format!("CSV: {e}"));
    if header {
        out.write_record(COLUMNS).map_err(failed)?;
    }
    for row in rows {
        out.write_record(row.iter().map(|cell| safe_cell(cell).into_owned()))
            .map_err(failed)?;
    }
    out.into_inner()
        .map(Bytes::from)
        .map_err(|e| ApiError::internal(format!("CSV: {e}")))
}

/// One batch of the list, as CSV rows (with the header first when `offset` is 0).
async fn batch(
    state: &AppState,
    (company_id, user_id): (u64, u64),
    group_id: u64,
    query: &ListQuery,
    offset: u64,
) -> Result<Option<(Bytes, u64, String)>, ApiError> {
    let Some(listing) = repo::list::list(
        &state.db,
        &state.counts,
        company_id,
        user_id,
        group_id,
        query,
        BATCH,
        offset,
    )
    .await?
    else {
        return Ok(None);
    };
    let now = clock::now_unix();
    let count = listing.items.len() as u64;
    let rows = listing.items.iter().map(|(service, last_run)| {
        let next = next_run_at(service, now);
        record(service, last_run.as_ref(), next.as_deref())
    });
    Ok(Some((
        csv_bytes(rows, offset == 0)?,
        count,
        listing.group.name,
    )))
}

/// A file name from the group's name: letters, digits and dashes only.
fn file_name(group: &str) -> String {
    let mut name: String = group
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name = name
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if name.is_empty() {
        return "services.csv".into();
    }
    format!("{name}-services.csv")
}

/// Every service of the group matching the search and filters, in the requested order, as CSV
/// (RFC 4180, UTF-8, CRLF): a header row, then one row per service with the columns the list
/// shows. The query string is the list's (`q`, `status`, `system`, `entity`, `sort`); paging
/// parameters are ignored: all matching services are exported. Cells that begin with `=`, `+`,
/// `-`, `@`, a tab or a carriage return get a leading `'` so spreadsheets keep them as text.
#[utoipa::path(get, path = "/api/v1/company-groups/{id}/services/export.csv", tag = "services",
    params(params::GroupPath, ListParams),
    responses(
        (status = 200, description = "The matching services as CSV", content_type = "text/csv",
            body = String,
            headers(("Content-Disposition" = String, description = "attachment; filename=…"))),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 404, body = ErrorResponse)))]
pub async fn export_services(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let id = params::id(&id, "company group")?;
    let query = query.unwrap_or_default();
    params::number::<u64>(&query, "limit", 1, rules::LIST_LIMIT_MAX)?;
    params::number::<u64>(&query, "offset", 0, rules::LIST_OFFSET_MAX)?;
    params::check_list_words(&query)?;
    let list_query = ListQuery::from_query(&query);
    params::check_list_query(&list_query)?;
    let caller = (user.company_id, user.user_id);
    // The first batch before the answer starts: an unknown group is a 404, not an empty file.
    let (first, count, group_name) = batch(&state, caller, id, &list_query, 0)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Company group {id} does not exist.")))?;
    let rest = futures_util::stream::unfold((count == BATCH).then_some(BATCH), move |offset| {
        let state = state.clone();
        let list_query = list_query.clone();
        async move {
            let offset = offset?;
            match batch(&state, caller, id, &list_query, offset).await {
                Ok(Some((bytes, n, _))) => {
                    let next = (n == BATCH).then_some(offset + BATCH);
                    Some((Ok::<_, std::io::Error>(bytes), next))
                }
                Ok(None) => None,
                Err(e) => {
                    tracing::warn!(error = ?e, "the CSV export stopped");
                    Some((Err(std::io::Error::other("export failed")), None))
                }
            }
        }
    });
    // Fused: the compression layer may poll once more after the end, which `unfold` forbids.
    let body = futures_util::stream::iter([Ok(first)]).chain(rest).fuse();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file_name(&group_name)),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_kept_as_text() {
        for bad in ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"] {
            assert_eq!(safe_cell(bad), format!("'{bad}"));
        }
        for fine in ["Shopify orders", "", "1=1", "a-b", "'quoted"] {
            assert_eq!(safe_cell(fine), fine);
        }
    }

    #[test]
    fn file_names_keep_letters_digits_and_single_dashes() {
        assert_eq!(file_name("Retail UK"), "retail-uk-services.csv");
        assert_eq!(file_name("  Ärger / \"x\" "), "rger-x-services.csv");
        assert_eq!(file_name("---"), "services.csv");
    }
}
