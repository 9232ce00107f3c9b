//! Services for the crate's unit tests.

use crate::service::{Endpoint, Service, ServiceType, Status, Trigger};

/// A webhook service of group 1; ids divisible by 5 are sweepers.
pub fn service(id: u64, name: &str, status: Status, system: &str, entity: &str) -> Service {
    Service {
        id,
        group_id: 1,
        name: name.into(),
        service_type: if id.is_multiple_of(5) {
            ServiceType::Sweeper
        } else {
            ServiceType::Standard
        },
        status,
        source: Endpoint::new(system, entity),
        destination: Endpoint::new("NetSuite", entity),
        trigger: Trigger::Webhook,
        alerts_enabled: false,
        created_at: "2026-01-01T00:00:00Z".into(),
        updated_at: "2026-01-01T00:00:00Z".into(),
        health: Default::default(),
    }
}
