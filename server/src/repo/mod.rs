//! Reading and writing the database: the only place with SQL. Every function that takes a
//! `company_id` answers only within that company, so another tenant's ids look like missing ones.

pub mod groups;
pub mod notifications;
pub mod runs;
pub mod services;
pub mod users;

use rusqlite::types::Type;

/// A column held text this code does not know (only possible if the file was edited by hand).
pub(crate) fn bad_value(index: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, format!("unknown {what}").into())
}
