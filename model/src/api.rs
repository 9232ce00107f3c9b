//! Bodies of the JSON API that both sides name: the server writes (or reads) them, the SPA reads
//! (or writes) them, so each shape is defined once.

use crate::query::Facets;
use crate::run::{LogLine, RunStatus};
use crate::service::{CompanyGroup, ServiceSummary, ServiceType, Status, Trigger};
use serde::{Deserialize, Serialize};

/// `GET /company-groups/{id}/services`: a group's services as the list shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceList {
    pub group: CompanyGroup,
    /// How many services match the query, before `limit` and `offset`.
    pub total: usize,
    /// Counts per filter value, under the search and the other dimensions' filters.
    pub facets: Facets,
    pub items: Vec<ServiceSummary>,
}

/// What `PATCH /services/{id}` may change. The id, the group and the flow (source and
/// destination) are fixed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ServicePatch {
    /// 1–120 characters, not only white space, no control characters; trimmed. `null` or
    /// absent: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::rules::schema::name_or_null))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Up to 10,000 characters; tab and line breaks are the only control characters allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::rules::schema::notes_or_null))]
    pub notes: Option<String>,
    /// Standard or sweeper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<ServiceType>,
    /// A schedule (a 5-field UTC cron expression that runs at least once; stored with single
    /// spaces) or a webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Trigger>,
}

/// Optional overrides for a manual run (`POST /services/{id}/runs`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Sync only these records: up to 500 ids of 1–64 characters, not only white space, no
    /// control characters (trimmed; repeats count once).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::rules::schema::record_ids))]
    pub record_ids: Vec<String>,
    /// Records per page pulled from the source, 1–1000.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::rules::whole::option_u32"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::rules::schema::run_page_size_or_null))]
    pub page_size: Option<u32>,
}

/// One page of a run's log (`GET /runs/{id}/log?after=&limit=`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogPage {
    pub run_id: u64,
    pub status: RunStatus,
    /// Whether the run is queued or running, so more lines may come.
    pub live: bool,
    pub items: Vec<LogLine>,
    /// Pass this as `after` to get the next lines.
    pub next_after: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_sends_only_what_it_changes_and_refuses_unknown_fields() {
        let patch = ServicePatch {
            status: Some(Status::Inactive),
            ..ServicePatch::default()
        };
        assert_eq!(
            serde_json::to_string(&patch).unwrap(),
            r#"{"status":"inactive"}"#
        );
        let back: ServicePatch = serde_json::from_str(r#"{"notes":"n"}"#).unwrap();
        assert_eq!(back.notes.as_deref(), Some("n"));
        assert!(serde_json::from_str::<ServicePatch>(r#"{"type":"sweeper"}"#).is_err());
        let retyped: ServicePatch = serde_json::from_str(
            r#"{"service_type":"sweeper","trigger":{"kind":"schedule","cron":"0 2 * * *"}}"#,
        )
        .unwrap();
        assert_eq!(retyped.service_type, Some(ServiceType::Sweeper));
        assert_eq!(
            retyped
                .trigger
                .and_then(|t| t.cron().map(String::from))
                .as_deref(),
            Some("0 2 * * *")
        );
        let webhook = ServicePatch {
            trigger: Some(Trigger::Webhook),
            ..ServicePatch::default()
        };
        assert_eq!(
            serde_json::to_string(&webhook).unwrap(),
            r#"{"trigger":{"kind":"webhook"}}"#
        );
    }

    #[test]
    fn a_run_request_may_be_empty() {
        let empty: RunRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, RunRequest::default());
        assert_eq!(
            serde_json::to_string(&RunRequest::default()).unwrap(),
            r#"{"record_ids":[]}"#
        );
    }
}
