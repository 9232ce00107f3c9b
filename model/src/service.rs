//! The domain types: company groups and the services inside them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A company group: one tab of the services list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanyGroup {
    pub id: u64,
    pub name: String,
}

/// A company group with how many services it holds, as the tabs show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupSummary {
    #[serde(flatten)]
    pub group: CompanyGroup,
    pub service_count: u64,
}

/// Standard services run on their trigger; sweepers run once or twice a day to pick up failed syncs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceType {
    Standard,
    Sweeper,
}

impl ServiceType {
    pub const ALL: [ServiceType; 2] = [ServiceType::Standard, ServiceType::Sweeper];

    /// The lowercase word used in the API, in search and in the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::Standard => "standard",
            ServiceType::Sweeper => "sweeper",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

impl fmt::Display for ServiceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a service runs on its trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Inactive,
}

impl Status {
    pub const ALL: [Status; 2] = [Status::Active, Status::Inactive];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Inactive => "inactive",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One side of a flow: a connected system and the entity type moved (e.g. Shopify orders).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Endpoint {
    pub system: String,
    pub entity: String,
}

impl Endpoint {
    pub fn new(system: impl Into<String>, entity: impl Into<String>) -> Self {
        Self {
            system: system.into(),
            entity: entity.into(),
        }
    }
}

/// When a service runs: on a 5-field UTC cron schedule, or when a webhook calls it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    Schedule { cron: String },
    Webhook,
}

impl Trigger {
    /// "Every 15 minutes", "Daily at 02:00 UTC", "Webhook".
    pub fn describe(&self) -> String {
        match self {
            Trigger::Webhook => "Webhook".into(),
            Trigger::Schedule { cron } => match crate::cron::Cron::parse(cron) {
                Ok(cron) => cron.describe(),
                Err(_) => "Invalid schedule".into(),
            },
        }
    }

    /// The cron expression, for schedules.
    pub fn cron(&self) -> Option<&str> {
        match self {
            Trigger::Schedule { cron } => Some(cron),
            Trigger::Webhook => None,
        }
    }
}

/// A service: pulls one entity type from a source system and pushes it to a destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Service {
    pub id: u64,
    pub group_id: u64,
    pub name: String,
    pub service_type: ServiceType,
    pub status: Status,
    pub source: Endpoint,
    pub destination: Endpoint,
    pub trigger: Trigger,
    pub alerts_enabled: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// The last run's outcome and when, and the failed runs of the last 24 hours.
    #[serde(default)]
    pub health: Health,
}

/// How a service has been doing, as the list shows it in every row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// The latest run's status; `None`: it never ran.
    #[serde(default)]
    pub last_run_status: Option<crate::run::RunStatus>,
    /// RFC 3339 UTC: when the latest run finished, or started, or was queued.
    #[serde(default)]
    pub last_run_at: Option<String>,
    /// Runs that failed in the 24 hours before the answer.
    #[serde(default)]
    pub failed_24h: u32,
}

impl Health {
    /// Whether the latest run failed (what the "Last run failed" filter keeps).
    pub fn last_run_failed(&self) -> bool {
        self.last_run_status == Some(crate::run::RunStatus::Failed)
    }
}

/// A row of the services list: the service, its latest run and its next scheduled run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceSummary {
    #[serde(flatten)]
    pub service: Service,
    pub last_run: Option<crate::run::RunSummary>,
    /// RFC 3339 UTC; `None` for webhook-triggered or inactive services.
    pub next_run_at: Option<String>,
}

/// One service with everything its page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceDetail {
    #[serde(flatten)]
    pub service: Service,
    pub notes: String,
    pub alerts: AlertSettings,
    pub last_run: Option<crate::run::RunSummary>,
    pub next_run_at: Option<String>,
}

/// Whether a failed sync sends an alert, and to whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AlertSettings {
    pub enabled: bool,
    /// A notification group of the company; needed when `enabled`.
    #[serde(default, deserialize_with = "crate::rules::whole::option_u64")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::rules::schema::id_or_null))]
    pub notification_group_id: Option<u64>,
}

/// Who gets an alert: a user of the company, or any email address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recipient {
    User {
        user_id: u64,
        name: String,
        email: String,
    },
    Email {
        email: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationGroup {
    pub id: u64,
    pub name: String,
    pub recipients: Vec<Recipient>,
}

/// A system services connect to, and the entities it offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemInfo {
    pub name: String,
    pub entities: Vec<String>,
}

/// Service names: 1–120 characters, not only white space, no control characters; trimmed
/// (see [`crate::rules::check_text`]).
pub fn validate_name(name: &str) -> Result<String, String> {
    use crate::rules::{check_text, TextError, NAME_MAX_CHARS};
    match check_text(name, NAME_MAX_CHARS) {
        Ok(trimmed) => Ok(trimmed.to_string()),
        Err(TextError::Blank) => Err("A service name can't be empty.".into()),
        Err(TextError::TooLong(length)) => Err(format!(
            "A service name can have at most {NAME_MAX_CHARS} characters; this one has {length}."
        )),
        Err(TextError::Control) => Err(
            "A service name can't contain control characters such as tabs or line breaks.".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_serialises_with_lowercase_enums_and_tagged_trigger() {
        let service = Service {
            id: 7,
            group_id: 1,
            name: "Shopify orders to NetSuite".into(),
            service_type: ServiceType::Sweeper,
            status: Status::Inactive,
            source: Endpoint::new("Shopify", "orders"),
            destination: Endpoint::new("NetSuite", "orders"),
            trigger: Trigger::Schedule {
                cron: "*/15 * * * *".into(),
            },
            alerts_enabled: true,
            created_at: "2026-01-02T03:04:05Z".into(),
            updated_at: "2026-01-02T03:04:05Z".into(),
            health: Default::default(),
        };
        let json = serde_json::to_value(&service).unwrap();
        assert_eq!(json["service_type"], "sweeper");
        assert_eq!(json["status"], "inactive");
        assert_eq!(json["trigger"]["kind"], "schedule");
        assert_eq!(json["trigger"]["cron"], "*/15 * * * *");
        assert_eq!(json["source"]["system"], "Shopify");
        let back: Service = serde_json::from_value(json).unwrap();
        assert_eq!(back, service);
    }

    #[test]
    fn names_are_trimmed_and_limited() {
        assert_eq!(validate_name("  Orders sync ").unwrap(), "Orders sync");
        assert!(validate_name("   ").unwrap_err().contains("empty"));
        assert_eq!(
            validate_name(&"ä".repeat(120)).unwrap().chars().count(),
            120
        );
        assert!(validate_name(&"ä".repeat(121)).unwrap_err().contains("121"));
        assert!(validate_name("a\tb").unwrap_err().contains("control"));
        assert!(validate_name("a\u{7}b").is_err());
    }

    #[test]
    fn summary_flattens_the_service() {
        let summary = ServiceSummary {
            service: Service {
                id: 1,
                group_id: 1,
                name: "n".into(),
                service_type: ServiceType::Standard,
                status: Status::Active,
                source: Endpoint::new("Shopify", "orders"),
                destination: Endpoint::new("NetSuite", "orders"),
                trigger: Trigger::Webhook,
                alerts_enabled: false,
                created_at: "2026-01-01T00:00:00Z".into(),
                updated_at: "2026-01-01T00:00:00Z".into(),
                health: Default::default(),
            },
            last_run: None,
            next_run_at: None,
        };
        let json = serde_json::to_value(&summary).unwrap();
        assert_eq!(json["id"], 1);
        assert!(json["last_run"].is_null());
        let back: ServiceSummary = serde_json::from_value(json).unwrap();
        assert_eq!(back, summary);
    }

    #[test]
    fn webhook_trigger_has_no_cron() {
        let json = serde_json::to_string(&Trigger::Webhook).unwrap();
        assert_eq!(json, r#"{"kind":"webhook"}"#);
    }

    #[test]
    fn enum_words_round_trip() {
        for t in ServiceType::ALL {
            assert_eq!(ServiceType::parse(t.as_str()), Some(t));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("Active"), None);
    }
}
