//! The Patchworks services domain, shared by the SPA (compiled to wasm) and the server, so that
//! search, filters and sorting mean exactly the same thing on both sides. No web dependencies.

pub mod account;
pub mod api;
pub mod cache;
pub mod cron;
pub mod embed;
#[cfg(test)]
mod fixtures;
pub mod highlight;
pub mod index;
pub mod query;
mod query_string;
pub mod run;
pub mod service;
pub mod time;

pub use account::{Company, Me, Role};
pub use api::{LogPage, RunRequest, ServiceList, ServicePatch};
pub use cache::{Changes, Edit, EditTicket, GroupData, ListCache, LoadTicket};
pub use cron::{Cron, CronError};
pub use index::{Hits, IndexPage, SearchIndex};
pub use query::{
    FacetCount, Facets, Filter, ListPage, ListQuery, Page, Sort, SortDirection, SortKey,
    DEFAULT_PAGE_SIZE, PAGE_SIZES,
};
pub use run::{LogLevel, LogLine, Run, RunStatus, RunSummary, RunTrigger};
pub use service::{
    validate_name, AlertSettings, CompanyGroup, Endpoint, GroupSummary, NotificationGroup,
    Recipient, Service, ServiceDetail, ServiceSummary, ServiceType, Status, SystemInfo, Trigger,
};
pub use time::UtcTime;
