//! A bulk action over the selection: the ids in batches of at most 500 (one request each), each
//! result applied to the group the action started in as it arrives, and the failures kept with
//! the service's name and the reason.

use super::ServicesStore;
use crate::api;
use leptos::prelude::*;
use services_model::bulk::batches;
use services_model::{BulkAction, BulkRequest, Edit, Status};

/// A service that could not be changed, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct BulkFailure {
    pub id: u64,
    pub name: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BulkOutcome {
    pub ok: Vec<u64>,
    pub failures: Vec<BulkFailure>,
}

impl ServicesStore {
    /// Every service of a per-query group matching `query` (its search, filters and sort), asked
    /// of the server a page of 1,000 at a time: what "Select all N matching" selects when the
    /// group is too large to hold. `progress` hears how many are known after each page.
    pub async fn matching_ids(
        self,
        group: u64,
        query: services_model::ListQuery,
        progress: impl Fn(usize),
    ) -> Result<Vec<u64>, api::ApiError> {
        let client = self.session.client();
        let size = services_model::rules::LIST_LIMIT_MAX as u32;
        let mut ids = Vec::new();
        let mut number = 1;
        loop {
            let mut page = query.clone();
            page.page = services_model::Page { number, size };
            let list = super::source::page(&client, group, &page)
                .await
                .inspect_err(|e| self.session.check(e))?;
            let got = list.items.len();
            ids.extend(list.items.iter().map(|s| s.service.id));
            progress(ids.len());
            if got < size as usize || ids.len() >= list.total {
                return Ok(ids);
            }
            number += 1;
        }
    }

    /// The names of `ids` as the group shows them ("Service 12" for one not held here).
    pub fn names(&self, group: u64, ids: &[u64]) -> Vec<(u64, String)> {
        ids.iter()
            .map(|id| {
                let name = self
                    .cache
                    .try_with_value(|c| c.shown(group, *id).map(|s| s.service.name))
                    .flatten()
                    .unwrap_or_else(|| format!("Service {id}"));
                (*id, name)
            })
            .collect()
    }

    /// Runs `action` on `targets` (ids with their names, taken when the user confirmed) of
    /// `group`; `progress` hears how many are done after each batch. A batch the server refuses
    /// as a whole (a network failure, a rate limit) fails each of its services with that reason.
    pub async fn run_bulk(
        self,
        group: u64,
        action: BulkAction,
        targets: Vec<(u64, String)>,
        notification_group_id: Option<u64>,
        progress: impl Fn(usize),
    ) -> BulkOutcome {
        let client = self.session.client();
        let ids: Vec<u64> = targets.iter().map(|(id, _)| *id).collect();
        let name_of = |id: u64| {
            targets
                .iter()
                .find(|(t, _)| *t == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| format!("Service {id}"))
        };
        let mut outcome = BulkOutcome::default();
        let mut done = 0;
        for batch in batches(&ids) {
            let request = BulkRequest {
                action,
                ids: batch.clone(),
                notification_group_id,
            };
            match api::bulk(&client, &request).await {
                Ok(answer) => {
                    for result in answer.results {
                        if result.ok {
                            self.applied(group, action, result.id);
                            outcome.ok.push(result.id);
                        } else {
                            // Gone from the server: it leaves the list (and so the selection).
                            if result.error.as_ref().is_some_and(|e| e.code == "not_found") {
                                self.applied(group, BulkAction::Remove, result.id);
                            }
                            outcome.failures.push(BulkFailure {
                                id: result.id,
                                name: name_of(result.id),
                                reason: result
                                    .error
                                    .map(|e| e.message)
                                    .unwrap_or_else(|| "The server did not say why.".into()),
                            });
                        }
                    }
                }
                Err(e) => {
                    self.session.check(&e);
                    let reason = e.to_string();
                    outcome.failures.extend(batch.iter().map(|id| BulkFailure {
                        id: *id,
                        name: name_of(*id),
                        reason: reason.clone(),
                    }));
                }
            }
            done += batch.len();
            progress(done);
        }
        outcome
    }

    /// Shows what the server confirmed for one service.
    fn applied(&self, group: u64, action: BulkAction, id: u64) {
        let changes = self.cache.try_update_value(|c| match action {
            BulkAction::Activate => c.applied(group, id, &Edit::Status(Status::Active)),
            BulkAction::Deactivate => c.applied(group, id, &Edit::Status(Status::Inactive)),
            BulkAction::AlertsOn => c.applied(group, id, &Edit::Alerts(true)),
            BulkAction::AlertsOff => c.applied(group, id, &Edit::Alerts(false)),
            BulkAction::Remove => c.removed(group, id),
        });
        if let Some(changes) = changes {
            self.apply(changes);
        }
        if action == BulkAction::Remove {
            self.details.try_update_value(|d| d.remove(&id));
        }
    }
}
