//! Reading and writing the store: the only place with SQL. Every function that takes a
//! `company_id` answers only within that company, so another tenant's ids look like missing ones.
//! Each query is written once and runs on SQLite and PostgreSQL (see `crate::db`); where the
//! dialects differ the function says so.

pub mod bulk;
pub mod events;
pub mod favourites;
pub mod groups;
pub mod health;
pub mod list;
pub mod meta;
pub mod notifications;
pub mod page;
pub mod queue;
pub mod runs;
pub mod schedule;
pub mod services;
pub mod users;
pub mod views;

pub use crate::db::row::bad_value;
