//! What a user can do to a service. Each action takes the service (and so its group) as it was
//! when the user chose it, applies the server's answer to that group whenever it arrives, and
//! reports the outcome as a toast, so closing a dialog or leaving the page loses nothing.

use super::ServicesStore;
use crate::api::{self, ApiError};
use crate::components::service_href;
use leptos::prelude::*;
use services_model::{
    AlertSettings, Edit, ListQuery, Run, RunRequest, Service, ServiceDetail, ServicePatch, Status,
};

/// Where a new copy sits in the view the user cloned from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CloneOutcome {
    pub id: u64,
    /// Its place among the services that view shows; `None` if the view hides it.
    pub position: Option<usize>,
}

impl ServicesStore {
    /// Clones `original` into its group. `view` is the list view the user cloned from: the
    /// toast says if it hides the copy, and the outcome says where the copy sits in it.
    pub async fn clone_service(self, original: Service, view: ListQuery) -> Option<CloneOutcome> {
        let client = self.session.client();
        match api::clone_service(&client, original.id).await {
            Ok(copy) => {
                let id = copy.service.id;
                let changes = self.cache.try_update_value(|c| c.created(&copy));
                if let Some(changes) = changes {
                    self.apply(changes);
                }
                let position = self.position_in(original.group_id, id, &view);
                let hidden = if position.is_some() {
                    ""
                } else {
                    " The current search or filters hide it."
                };
                self.toasts.show(
                    format!(
                        "Cloned “{}” as “{}” (ID {id}), inactive.{hidden}",
                        original.name, copy.service.name
                    ),
                    Some(("Open it".into(), service_href(id))),
                );
                Some(CloneOutcome { id, position })
            }
            Err(e) => {
                self.session.check(&e);
                self.toasts.error(format!(
                    "Could not clone “{}”: {e} Nothing was created; try again.",
                    original.name
                ));
                None
            }
        }
    }

    /// Where `id` sits among the services `view` shows of `group`.
    pub fn position_in(&self, group: u64, id: u64, view: &ListQuery) -> Option<usize> {
        self.with_group(group, |d| {
            let index = d.index();
            let hits = index.search(&view.search_terms());
            index
                .matching(
                    &index.order(view.sort),
                    &hits,
                    view,
                    &services_model::Favourites::new(),
                )
                .iter()
                .position(|x| *x == id)
        })
        .flatten()
    }

    /// Activates an inactive service or deactivates an active one. The row changes at once and
    /// rolls back, with a message, if the server refuses.
    pub fn toggle_status(self, service: Service) {
        let was = service.status;
        let next = match was {
            Status::Active => Status::Inactive,
            Status::Inactive => Status::Active,
        };
        let begun = self
            .cache
            .try_update_value(|c| c.begin_edit(service.group_id, service.id, Edit::Status(next)))
            .flatten();
        let ticket = begun.map(|(ticket, changes)| {
            self.apply(changes);
            ticket
        });
        let client = self.session.client();
        leptos::task::spawn_local(async move {
            let patch = ServicePatch {
                status: Some(next),
                ..ServicePatch::default()
            };
            match api::update_service(&client, service.id, &patch).await {
                Ok(saved) => {
                    let changes = self.cache.try_update_value(|c| match ticket {
                        Some(ticket) => c.confirm_edit(ticket, &saved),
                        None => c.saved(&saved),
                    });
                    if let Some(changes) = changes {
                        self.apply(changes);
                    }
                    self.set_detail(saved);
                    self.toasts.show(
                        format!("“{}” is now {}.", service.name, next.as_str()),
                        None,
                    );
                }
                Err(e) => {
                    if let Some(ticket) = ticket {
                        if let Some(changes) = self.cache.try_update_value(|c| c.fail_edit(ticket))
                        {
                            self.apply(changes);
                        }
                    }
                    self.session.check(&e);
                    let verb = match next {
                        Status::Active => "activate",
                        Status::Inactive => "deactivate",
                    };
                    self.toasts.error(format!(
                        "Could not {verb} “{}”: {e} It is still {}.",
                        service.name,
                        was.as_str()
                    ));
                }
            }
        });
    }

    /// Removes a service once the server confirms; until then it stays everywhere.
    pub async fn remove_service(self, service: Service) -> Result<(), ApiError> {
        let client = self.session.client();
        match api::remove_service(&client, service.id).await {
            Ok(()) => {
                let changes = self
                    .cache
                    .try_update_value(|c| c.removed(service.group_id, service.id));
                if let Some(changes) = changes {
                    self.apply(changes);
                }
                self.details.try_update_value(|d| d.remove(&service.id));
                self.toasts.show(
                    format!("Removed “{}” (ID {}).", service.name, service.id),
                    None,
                );
                Ok(())
            }
            Err(e) => {
                self.session.check(&e);
                Err(e)
            }
        }
    }

    /// Starts one manual run; the same `idempotency_key` never starts a second.
    pub async fn start_run(
        self,
        service: Service,
        request: RunRequest,
        idempotency_key: String,
    ) -> Result<Run, ApiError> {
        let client = self.session.client();
        let result = api::start_run(&client, service.id, &request, &idempotency_key).await;
        match &result {
            Ok(run) => self.toasts.show(
                format!("Run {} of “{}” started.", run.id, service.name),
                Some((
                    "View its log".into(),
                    format!("{}?tab=summary&run={}", service_href(service.id), run.id),
                )),
            ),
            Err(e) => self.session.check(e),
        }
        result
    }

    /// Changes a service's name, status or notes (from its settings); the list and the service
    /// page show the saved service.
    pub async fn update_service(
        self,
        id: u64,
        patch: ServicePatch,
    ) -> Result<ServiceDetail, ApiError> {
        let client = self.session.client();
        let result = api::update_service(&client, id, &patch).await;
        match &result {
            Ok(saved) => {
                if let Some(changes) = self.cache.try_update_value(|c| c.saved(saved)) {
                    self.apply(changes);
                }
                self.set_detail(saved.clone());
            }
            Err(e) => self.session.check(e),
        }
        result
    }

    /// Saves a service's alert settings; its row says "On" or "Off" accordingly.
    pub async fn save_alerts(
        self,
        id: u64,
        settings: AlertSettings,
    ) -> Result<AlertSettings, ApiError> {
        let client = self.session.client();
        let result = api::save_alert_settings(&client, id, &settings).await;
        match &result {
            Ok(saved) => {
                let detail = self.detail_value(id).or_else(|| {
                    // No page holds its detail: build one from the row.
                    let row = self.row(id)?;
                    let summary = row.summary.get_untracked();
                    Some(ServiceDetail {
                        service: summary.service,
                        notes: String::new(),
                        alerts: saved.clone(),
                        last_run: summary.last_run,
                        next_run_at: summary.next_run_at,
                    })
                });
                if let Some(mut detail) = detail {
                    detail.alerts = saved.clone();
                    detail.service.alerts_enabled = saved.enabled;
                    if let Some(changes) = self.cache.try_update_value(|c| c.saved(&detail)) {
                        self.apply(changes);
                    }
                    if self.detail_value(id).is_some() {
                        self.set_detail(detail);
                    }
                }
            }
            Err(e) => self.session.check(e),
        }
        result
    }
}
