//! The Patchworks services domain, shared by the SPA (compiled to wasm) and the server, so that
//! search, filters and sorting mean exactly the same thing on both sides. No web dependencies.

pub mod cron;
pub mod query;
mod query_string;
pub mod service;

pub use cron::{Cron, CronError};
pub use query::{
    ListPage, ListQuery, Page, Sort, SortDirection, SortKey, DEFAULT_PAGE_SIZE, PAGE_SIZES,
};
pub use service::{CompanyGroup, Endpoint, GroupSummary, Service, ServiceType, Status, Trigger};
