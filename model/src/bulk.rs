//! Bulk actions: one request (`POST /services/bulk`) changes up to [`BULK_MAX_IDS`] services,
//! each on its own (a service is changed completely or not at all; one that fails leaves the
//! others done), with a result per id. The SPA splits a larger selection into batches.

use crate::rules::BULK_MAX_IDS;
use serde::{Deserialize, Serialize};

/// What a bulk request does to each service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    Activate,
    Deactivate,
    AlertsOn,
    AlertsOff,
    Remove,
}

impl BulkAction {
    pub const ALL: [BulkAction; 5] = [
        BulkAction::Activate,
        BulkAction::Deactivate,
        BulkAction::AlertsOn,
        BulkAction::AlertsOff,
        BulkAction::Remove,
    ];

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            BulkAction::Activate => "Activate",
            BulkAction::Deactivate => "Deactivate",
            BulkAction::AlertsOn => "Alerts on",
            BulkAction::AlertsOff => "Alerts off",
            BulkAction::Remove => "Remove",
        }
    }

    /// The confirmation's question: "Deactivate 12 services?".
    pub fn question(self, count: usize) -> String {
        let what = services(count);
        match self {
            BulkAction::Activate => format!("Activate {what}?"),
            BulkAction::Deactivate => format!("Deactivate {what}?"),
            BulkAction::AlertsOn => format!("Turn alerts on for {what}?"),
            BulkAction::AlertsOff => format!("Turn alerts off for {what}?"),
            BulkAction::Remove => format!("Remove {what}?"),
        }
    }

    /// While it runs: "Deactivating 40 of 120 services…".
    pub fn progress(self, done: usize, count: usize) -> String {
        let verb = match self {
            BulkAction::Activate => "Activating",
            BulkAction::Deactivate => "Deactivating",
            BulkAction::AlertsOn => "Turning alerts on for",
            BulkAction::AlertsOff => "Turning alerts off for",
            BulkAction::Remove => "Removing",
        };
        format!("{verb} {done} of {}…", services(count))
    }

    /// The outcome: "Deactivated 11 of 12 services; 1 failed." or "Deactivated 12 services.".
    pub fn outcome(self, ok: usize, count: usize) -> String {
        let past = match self {
            BulkAction::Activate => "Activated",
            BulkAction::Deactivate => "Deactivated",
            BulkAction::AlertsOn => "Turned alerts on for",
            BulkAction::AlertsOff => "Turned alerts off for",
            BulkAction::Remove => "Removed",
        };
        match count - ok.min(count) {
            0 => format!("{past} {}.", services(count)),
            failed => format!("{past} {ok} of {}; {failed} failed.", services(count)),
        }
    }
}

/// "1 service", "12 services".
pub fn services(count: usize) -> String {
    if count == 1 {
        "1 service".into()
    } else {
        format!("{count} services")
    }
}

/// `POST /services/bulk`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    pub action: BulkAction,
    /// 1–500 service ids of the caller's company; a repeated id counts once.
    #[serde(deserialize_with = "crate::rules::whole::ids")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::rules::schema::bulk_ids))]
    pub ids: Vec<u64>,
    /// `alerts_on` only: the notification group to email (else each service keeps its own, and
    /// one without a group fails with `invalid_alerts`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::rules::whole::option_u64"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::rules::schema::id_or_null))]
    pub notification_group_id: Option<u64>,
}

/// Why one service of a bulk request was not changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkError {
    /// `not_found` or `invalid_alerts`.
    pub code: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkResult {
    pub id: u64,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<BulkError>,
}

/// One result per distinct id, in the order they were sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkResponse {
    pub results: Vec<BulkResult>,
}

/// The ids in request-sized batches, each id once, in order.
pub fn batches(ids: &[u64]) -> Vec<Vec<u64>> {
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<u64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    unique.chunks(BULK_MAX_IDS).map(<[u64]>::to_vec).collect()
}

/// The ids once each, in order (what the server answers for).
pub fn distinct(ids: &[u64]) -> Vec<u64> {
    let mut seen = std::collections::HashSet::new();
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_name_how_many() {
        assert_eq!(
            BulkAction::Deactivate.question(12),
            "Deactivate 12 services?"
        );
        assert_eq!(BulkAction::Remove.question(1), "Remove 1 service?");
        assert_eq!(
            BulkAction::AlertsOn.progress(40, 120),
            "Turning alerts on for 40 of 120 services…"
        );
        assert_eq!(
            BulkAction::Deactivate.outcome(11, 12),
            "Deactivated 11 of 12 services; 1 failed."
        );
        assert_eq!(BulkAction::Activate.outcome(3, 3), "Activated 3 services.");
    }

    #[test]
    fn batches_are_bounded_and_hold_each_id_once() {
        let ids: Vec<u64> = (1..=1200).chain([5, 6]).collect();
        let split = batches(&ids);
        assert_eq!(
            split.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![500, 500, 200]
        );
        assert_eq!(split.concat(), (1..=1200).collect::<Vec<_>>());
        assert!(batches(&[]).is_empty());
        assert_eq!(distinct(&[3, 1, 3]), vec![3, 1]);
    }

    #[test]
    fn the_body_is_strict_and_results_leave_out_absent_errors() {
        let body: BulkRequest =
            serde_json::from_str(r#"{"action":"alerts_off","ids":[1,2]}"#).unwrap();
        assert_eq!(body.action, BulkAction::AlertsOff);
        assert!(serde_json::from_str::<BulkRequest>(r#"{"action":"x","ids":[1]}"#).is_err());
        let floats: BulkRequest =
            serde_json::from_str(r#"{"action":"remove","ids":[7.0, 8]}"#).unwrap();
        assert_eq!(floats.ids, vec![7, 8]);
        for bad in ["[-1]", "[1.5]", "[null]", "[9223372036854775808]"] {
            let body = format!(r#"{{"action":"remove","ids":{bad}}}"#);
            assert!(serde_json::from_str::<BulkRequest>(&body).is_err(), "{bad}");
        }
        assert!(
            serde_json::from_str::<BulkRequest>(r#"{"action":"remove","ids":[1],"q":1}"#).is_err()
        );
        let ok = BulkResult {
            id: 1,
            ok: true,
            error: None,
        };
        assert_eq!(serde_json::to_string(&ok).unwrap(), r#"{"id":1,"ok":true}"#);
    }
}
