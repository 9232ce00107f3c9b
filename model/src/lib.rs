//! The Patchworks services domain, shared by the SPA (compiled to wasm) and the server, so that
//! search, filters and sorting mean exactly the same thing on both sides. No web dependencies.

pub mod account;
pub mod api;
pub mod bulk;
pub mod cache;
pub mod cron;
pub mod embed;
pub mod event;
#[cfg(test)]
mod fixtures;
pub mod highlight;
pub mod index;
pub mod lean;
mod lean_numbers;
pub mod local_time;
pub mod query;
mod query_string;
pub mod rules;
pub mod run;
pub mod schedule;
pub mod selection;
pub mod service;
pub mod views;

pub use account::{Company, Me, Role};
pub use api::{LogPage, RunRequest, ServiceList, ServicePatch};
pub use bulk::{BulkAction, BulkError, BulkRequest, BulkResponse, BulkResult};
pub use cache::{Changes, Edit, EditTicket, GroupData, ListCache, LoadTicket};
pub use cron::{Cron, CronError};
pub use event::{EventKind, LiveEvent, SseMessage, SseParser, StreamItem, StreamReset};
pub use index::{Hits, IndexPage, SearchIndex};
pub use lean::{LeanColumns, LeanMode, LeanView, DEFAULT_LEAN_LIMIT, LEAN_FORMAT};
pub use schedule::{
    validate_cron, ScheduleError, ScheduleField, ScheduleForm, SchedulePreset, SchedulePreview,
};
/// An instant with its UTC offset (the `time` crate); [`parse_rfc3339`] reads one.
pub use time::OffsetDateTime;

/// An RFC 3339 time such as `2026-11-27T14:25:00Z` or `2026-11-27T15:25:00.5+01:00`, in UTC;
/// `None` for anything else.
pub fn parse_rfc3339(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.to_offset(time::UtcOffset::UTC))
}
pub use query::{
    FacetCount, Facets, Favourites, Filter, ListPage, ListQuery, Page, Sort, SortDirection,
    SortKey, DEFAULT_PAGE_SIZE, PAGE_SIZES,
};
pub use run::{LogLevel, LogLine, Run, RunStatus, RunSummary, RunTrigger};
pub use selection::{PageState, Selection};
pub use service::{
    validate_name, AlertSettings, CompanyGroup, Endpoint, GroupSummary, Health, NotificationGroup,
    Recipient, Service, ServiceDetail, ServiceSummary, ServiceType, Status, SystemInfo, Trigger,
};
pub use views::{FavouriteList, NewView, SavedView, ViewList};
