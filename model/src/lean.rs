//! The lean whole-group view: what the list shows of every service of a group, in columns, with
//! repeated strings stored once. The SPA downloads it once per group (compressed, cached by
//! ETag) and searches, filters, sorts and pages it locally with [`crate::ListQuery`].
//!
//! A group larger than the server's limit (20,000 services by default) is not sent whole: the
//! answer says `"mode": "per_query"`, and the SPA asks the list endpoint per query instead.
//!
//! The JSON (format 1) for a group of two services:
//!
//! ```json
//! {"mode": "whole", "format": 1, "group": {"id": 1, "name": "Retail UK"}, "count": 2, "limit": 20000,
//!  "services": {
//!    "strings": ["Shopify", "orders", "NetSuite", "sales orders", "*/15 * * * *"],
//!    "id": [2001, 1],                   // ascending; the first as is, then differences
//!    "name": ["Shopify orders to NetSuite", "Shopify orders to NetSuite (outlet)"],
//!    "service_type": [0, 1],            // index into ServiceType::ALL (standard, sweeper)
//!    "status": [0, 1],                  // index into Status::ALL (active, inactive)
//!    "source_system": [0, 0], "source_entity": [1, 1],            // indexes into strings
//!    "destination_system": [2, 2], "destination_entity": [3, 3],
//!    "schedule": [4, null],             // the cron expression's index; null: a webhook
//!    "alerts": [1, 0],                  // alerts on (1) or off (0)
//!    "last_run_status": [3, null],      // the latest run: index into RunStatus::ALL; null: never
//!    "last_run_at": ["2026-11-29T10:00:00Z", null],   // when it finished, started or was queued
//!    "failed_24h": [2, 0]               // runs failed in the last 24 hours
//!  }}
//! ```
//!
//! Arrays of small numbers parse quickly in the browser, and the id differences (mostly 1) and
//! repeated indexes compress well. [`LeanView::services`] turns it back into [`Service`]s
//! (without `created_at`/`updated_at`, which the list doesn't show: they are empty).

use crate::lean_numbers;
use crate::run::RunStatus;
use crate::service::{CompanyGroup, Endpoint, Health, Service, ServiceType, Status, Trigger};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const LEAN_FORMAT: u32 = 1;

/// Groups up to this many services are sent whole by default.
pub const DEFAULT_LEAN_LIMIT: u64 = 20_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeanMode {
    /// `services` holds the whole group.
    Whole,
    /// The group is larger than `limit`: ask the list endpoint per query.
    PerQuery,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeanView {
    pub mode: LeanMode,
    pub format: u32,
    pub group: CompanyGroup,
    /// Services in the group.
    pub count: u64,
    /// The largest group sent whole.
    pub limit: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<LeanColumns>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeanColumns {
    pub strings: Vec<String>,
    #[serde(deserialize_with = "lean_numbers::numbers")]
    pub id: Vec<u64>,
    pub name: Vec<String>,
    #[serde(deserialize_with = "lean_numbers::numbers")]
    pub service_type: Vec<u8>,
    #[serde(deserialize_with = "lean_numbers::numbers")]
    pub status: Vec<u8>,
    #[serde(deserialize_with = "lean_numbers::numbers")]
    pub source_system: Vec<u32>,
    #[serde(deserialize_with = "lean_numbers::numbers")]
    pub source_entity: Vec<u32>,
    #[serde(deserialize_with = "lean_numbers::numbers")]
    pub destination_system: Vec<u32>,
    #[serde(deserialize_with = "lean_numbers::numbers")]
    pub destination_entity: Vec<u32>,
    #[serde(deserialize_with = "lean_numbers::optional_numbers")]
    pub schedule: Vec<Option<u32>>,
    #[serde(deserialize_with = "lean_numbers::numbers")]
    pub alerts: Vec<u8>,
    /// The latest run's status: an index into `RunStatus::ALL`; null: never ran.
    #[serde(default, deserialize_with = "lean_numbers::optional_numbers")]
    pub last_run_status: Vec<Option<u8>>,
    /// When the latest run finished, started or was queued (RFC 3339 UTC).
    #[serde(default)]
    pub last_run_at: Vec<Option<String>>,
    /// Runs that failed in the last 24 hours.
    #[serde(default, deserialize_with = "lean_numbers::numbers")]
    pub failed_24h: Vec<u32>,
}

impl LeanView {
    /// The whole group, from its services in ascending id order.
    pub fn whole(group: CompanyGroup, services: &[Service], limit: u64) -> LeanView {
        LeanView {
            mode: LeanMode::Whole,
            format: LEAN_FORMAT,
            group,
            count: services.len() as u64,
            limit,
            services: Some(LeanColumns::encode(services)),
        }
    }

    /// The marker for a group too large to send whole.
    pub fn per_query(group: CompanyGroup, count: u64, limit: u64) -> LeanView {
        LeanView {
            mode: LeanMode::PerQuery,
            format: LEAN_FORMAT,
            group,
            count,
            limit,
            services: None,
        }
    }

    /// The services, rebuilt; `None` in per-query mode. An error names what is inconsistent.
    pub fn services(&self) -> Option<Result<Vec<Service>, String>> {
        self.services
            .as_ref()
            .map(|columns| columns.decode(self.group.id))
    }

    /// [`LeanView::services`], taking the columns' strings rather than copying them.
    pub fn into_services(self) -> Option<Result<Vec<Service>, String>> {
        let group = self.group.id;
        self.services.map(|columns| columns.into_services(group))
    }
}

struct Strings {
    list: Vec<String>,
    index: HashMap<String, u32>,
}

impl Strings {
    fn of(&mut self, text: &str) -> u32 {
        if let Some(i) = self.index.get(text) {
            return *i;
        }
        let i = self.list.len() as u32;
        self.list.push(text.to_string());
        self.index.insert(text.to_string(), i);
        i
    }
}

fn position<T: PartialEq>(all: &[T], value: &T) -> u8 {
    all.iter().position(|v| v == value).unwrap_or(0) as u8
}

impl LeanColumns {
    /// Columns of `services`, which must be in ascending id order.
    pub fn encode(services: &[Service]) -> LeanColumns {
        let mut strings = Strings {
            list: Vec::new(),
            index: HashMap::new(),
        };
        let mut c = LeanColumns::default();
        let mut previous = 0;
        for s in services {
            c.id.push(s.id - previous);
            previous = s.id;
            c.name.push(s.name.clone());
            c.service_type
                .push(position(&ServiceType::ALL, &s.service_type));
            c.status.push(position(&Status::ALL, &s.status));
            c.source_system.push(strings.of(&s.source.system));
            c.source_entity.push(strings.of(&s.source.entity));
            c.destination_system.push(strings.of(&s.destination.system));
            c.destination_entity.push(strings.of(&s.destination.entity));
            c.schedule
                .push(s.trigger.cron().map(|cron| strings.of(cron)));
            c.alerts.push(u8::from(s.alerts_enabled));
            c.last_run_status.push(
                s.health
                    .last_run_status
                    .map(|r| position(&RunStatus::ALL, &r)),
            );
            c.last_run_at.push(s.health.last_run_at.clone());
            c.failed_24h.push(s.health.failed_24h);
        }
        c.strings = strings.list;
        c
    }

    /// The services of group `group_id` these columns describe.
    pub fn decode(&self, group_id: u64) -> Result<Vec<Service>, String> {
        self.clone().into_services(group_id)
    }

    /// [`LeanColumns::decode`], moving each service's own strings (name, last run) out of the
    /// columns instead of copying them: a group's first load decodes thousands.
    pub fn into_services(mut self, group_id: u64) -> Result<Vec<Service>, String> {
        let n = self.id.len();
        let lengths = [
            ("name", self.name.len()),
            ("service_type", self.service_type.len()),
            ("status", self.status.len()),
            ("source_system", self.source_system.len()),
            ("source_entity", self.source_entity.len()),
            ("destination_system", self.destination_system.len()),
            ("destination_entity", self.destination_entity.len()),
            ("schedule", self.schedule.len()),
            ("alerts", self.alerts.len()),
            ("last_run_status", self.last_run_status.len()),
            ("last_run_at", self.last_run_at.len()),
            ("failed_24h", self.failed_24h.len()),
        ];
        if let Some((column, len)) = lengths.iter().find(|(_, len)| *len != n) {
            return Err(format!("column {column} has {len} values, not {n}"));
        }
        let text = |column: &str, i: u32| -> Result<String, String> {
            self.strings
                .get(i as usize)
                .cloned()
                .ok_or_else(|| format!("{column} names string {i}, which does not exist"))
        };
        let mut out = Vec::with_capacity(n);
        let mut id: u64 = 0;
        let names = std::mem::take(&mut self.name);
        let last_runs = std::mem::take(&mut self.last_run_at);
        for (i, (name, last_run_at)) in names.into_iter().zip(last_runs).enumerate() {
            id = id
                .checked_add(self.id[i])
                .ok_or_else(|| "ids overflow".to_string())?;
            let service_type = *ServiceType::ALL
                .get(self.service_type[i] as usize)
                .ok_or_else(|| format!("unknown service type {}", self.service_type[i]))?;
            let status = *Status::ALL
                .get(self.status[i] as usize)
                .ok_or_else(|| format!("unknown status {}", self.status[i]))?;
            let trigger = match self.schedule[i] {
                Some(cron) => Trigger::Schedule {
                    cron: text("schedule", cron)?,
                },
                None => Trigger::Webhook,
            };
            let last_run_status = match self.last_run_status[i] {
                Some(r) => Some(
                    *RunStatus::ALL
                        .get(r as usize)
                        .ok_or_else(|| format!("unknown run status {r}"))?,
                ),
                None => None,
            };
            out.push(Service {
                id,
                group_id,
                name,
                service_type,
                status,
                source: Endpoint::new(
                    text("source_system", self.source_system[i])?,
                    text("source_entity", self.source_entity[i])?,
                ),
                destination: Endpoint::new(
                    text("destination_system", self.destination_system[i])?,
                    text("destination_entity", self.destination_entity[i])?,
                ),
                trigger,
                alerts_enabled: self.alerts[i] != 0,
                created_at: String::new(),
                updated_at: String::new(),
                health: Health {
                    last_run_status,
                    last_run_at,
                    failed_24h: self.failed_24h[i],
                },
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(id: u64, name: &str, cron: Option<&str>, alerts: bool) -> Service {
        Service {
            id,
            group_id: 3,
            name: name.into(),
            service_type: if id.is_multiple_of(2) {
                ServiceType::Sweeper
            } else {
                ServiceType::Standard
            },
            status: if alerts {
                Status::Active
            } else {
                Status::Inactive
            },
            source: Endpoint::new("Shopify", "orders"),
            destination: Endpoint::new("NetSuite", "sales orders"),
            trigger: match cron {
                Some(c) => Trigger::Schedule { cron: c.into() },
                None => Trigger::Webhook,
            },
            alerts_enabled: alerts,
            created_at: String::new(),
            updated_at: String::new(),
            health: Health {
                last_run_status: id.is_multiple_of(3).then_some(RunStatus::Failed),
                last_run_at: id.is_multiple_of(3).then(|| "2026-11-29T10:00:00Z".into()),
                failed_24h: u32::from(id.is_multiple_of(3)) * 2,
            },
        }
    }

    #[test]
    fn a_group_round_trips_through_the_json() {
        let services = vec![
            service(
                2001,
                "Shopify orders to NetSuite",
                Some("*/15 * * * *"),
                true,
            ),
            service(2002, "Ärger \"quoted\"", None, false),
            service(
                2010,
                "Shopify orders to NetSuite (outlet)",
                Some("*/15 * * * *"),
                true,
            ),
        ];
        let group = CompanyGroup {
            id: 3,
            name: "Retail".into(),
        };
        let view = LeanView::whole(group, &services, 20_000);
        let json = serde_json::to_string(&view).unwrap();
        assert!(json.contains(r#""id":[2001,1,8]"#), "{json}");
        assert!(json.contains(r#""schedule":[4,null,4]"#), "{json}");
        assert_eq!(
            json.matches("Shopify").count(),
            3,
            "Shopify is stored once in strings and twice in names: {json}"
        );
        let back: LeanView = serde_json::from_str(&json).unwrap();
        assert_eq!(back.services().unwrap().unwrap(), services);
    }

    #[test]
    fn too_large_groups_carry_the_marker_without_services() {
        let view = LeanView::per_query(
            CompanyGroup {
                id: 1,
                name: "Big".into(),
            },
            100_000,
            20_000,
        );
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["mode"], "per_query");
        assert_eq!(json["count"], 100_000);
        assert!(json.get("services").is_none());
        let back: LeanView = serde_json::from_value(json).unwrap();
        assert!(back.services().is_none());
    }

    #[test]
    fn inconsistent_columns_are_errors_not_panics() {
        let mut columns = LeanColumns::encode(&[service(1, "a", None, true)]);
        columns.source_system[0] = 99;
        assert!(columns.decode(1).unwrap_err().contains("string 99"));
        columns.name.clear();
        assert!(columns.decode(1).unwrap_err().contains("name"));
        let mut columns = LeanColumns::encode(&[service(1, "a", None, true)]);
        columns.status[0] = 7;
        assert!(columns.decode(1).unwrap_err().contains("status"));
        let mut columns = LeanColumns::encode(&[service(3, "a", None, true)]);
        columns.last_run_status[0] = Some(9);
        assert!(columns.decode(1).unwrap_err().contains("run status 9"));
        columns.failed_24h.clear();
        assert!(columns.decode(1).unwrap_err().contains("failed_24h"));
    }
}
