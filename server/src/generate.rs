//! The load generator (`services-server generate`): fills a company group with realistic
//! services — the demo data's flows, types, statuses and schedules, names made unique with a
//! qualifier and a number — and one finished run for most of them, on either store, for
//! benchmarks and tests.

use crate::db::{Db, DbError};
use crate::repo;
use crate::repo::services::ServiceRecord;
use crate::seed::{random_service, Lcg, QUALIFIERS};
use services_model::{RunStatus, Service};

/// What to generate.
#[derive(Clone, Debug)]
pub struct Plan {
    pub group_id: u64,
    pub services: u64,
    /// The same seed makes the same services.
    pub seed: u64,
    /// Percent of the services that get a finished run in the last day.
    pub with_runs: u64,
    /// Unix seconds: runs are in the day before.
    pub now: i64,
}

/// The new services' ids, first and last, and how many runs were made.
#[derive(Debug, PartialEq, Eq)]
pub struct Generated {
    pub first_id: u64,
    pub last_id: u64,
    pub runs: u64,
}

/// Adds `plan.services` services to the group in one transaction. Fails with
/// [`DbError::Unusable`] if the group does not exist.
pub async fn generate(db: &Db, plan: &Plan) -> Result<Generated, DbError> {
    if repo::groups::find_any(db, plan.group_id).await?.is_none() {
        return Err(DbError::Unusable(format!(
            "company group {} does not exist (create it with create-company or create-group)",
            plan.group_id
        )));
    }
    let existing = repo::groups::size(db, plan.group_id).await?;
    let mut rng = Lcg(plan.seed ^ 0x9E37_79B9_7F4A_7C15);
    let mut tx = db.begin().await?;
    let mut first_id = 0;
    let mut last_id = 0;
    let mut runs = 0;
    let batch = 5000;
    let mut n = 0;
    while n < plan.services {
        let size = batch.min(plan.services - n);
        let records: Vec<ServiceRecord> = (0..size)
            .map(|i| ServiceRecord {
                service: service(&mut rng, plan.group_id, existing + n + i),
                notes: String::new(),
                alert_group_id: None,
            })
            .collect();
        let ids = repo::services::insert_many(&mut tx, &records).await?;
        if first_id == 0 {
            first_id = ids.first().copied().unwrap_or(0);
        }
        last_id = ids.last().copied().unwrap_or(last_id);
        let mut finished = Vec::new();
        for id in ids {
            if rng.chance(plan.with_runs) {
                let failed = rng.chance(15);
                let pulled = 1 + rng.below(240) as u64;
                let at = crate::clock::format(plan.now - 60 * (10 + rng.below(23 * 60) as i64));
                let status = if failed {
                    RunStatus::Failed
                } else {
                    RunStatus::Ok
                };
                let pushed = if failed { pulled / 2 } else { pulled };
                finished.push((id, status, at, pulled, pushed));
            }
        }
        runs += finished.len() as u64;
        repo::runs::insert_finished_many(&mut tx, &finished).await?;
        n += size;
    }
    tx.commit().await?;
    Ok(Generated {
        first_id,
        last_id,
        runs,
    })
}

/// The `index`-th generated service of a group: the demo data's kind of service, named
/// "<flow> (<qualifier> <index>)".
fn service(rng: &mut Lcg, group_id: u64, index: u64) -> Service {
    random_service(
        rng,
        0,
        group_id,
        |rng, base| {
            format!(
                "{base} ({} {index})",
                QUALIFIERS[rng.below(QUALIFIERS.len())]
            )
        },
        |rng| {
            let stamp = format!(
                "2026-{:02}-{:02}T{:02}:00:00Z",
                rng.below(10) + 1,
                rng.below(28) + 1,
                rng.below(24)
            );
            (stamp.clone(), stamp)
        },
    )
}
