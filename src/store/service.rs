//! What the service page reads: one service's detail (kept per service, so going from one
//! service to another never shows the previous one), its runs, a run's log, its alert settings.

use super::ServicesStore;
use crate::api::{self, ApiError};
use leptos::prelude::*;
use services_model::{AlertSettings, LogPage, NotificationGroup, Run, Service, ServiceDetail};

/// A service page's data: `None` while it first loads, then the service or why it failed.
pub type DetailState = Option<Result<ServiceDetail, String>>;

impl ServicesStore {
    /// The signal holding service `id`'s detail, created (empty) on first use.
    pub fn detail(&self, id: u64) -> ArcRwSignal<DetailState> {
        self.details
            .try_update_value(|d| d.entry(id).or_default().clone())
            .unwrap_or_default()
    }

    pub(super) fn detail_value(&self, id: u64) -> Option<ServiceDetail> {
        self.details
            .try_with_value(|d| d.get(&id).cloned())
            .flatten()
            .and_then(|d| d.get_untracked().and_then(Result::ok))
    }

    pub(super) fn set_detail(&self, detail: ServiceDetail) {
        let id = detail.service.id;
        if let Some(Some(entry)) = self.details.try_with_value(|d| d.get(&id).cloned()) {
            entry.set(Some(Ok(detail)));
        }
    }

    /// An open service page shows a row's change made elsewhere (say, from the list).
    pub(super) fn sync_detail(&self, id: u64, service: &Service) {
        let Some(Some(entry)) = self.details.try_with_value(|d| d.get(&id).cloned()) else {
            return;
        };
        // The list's lean view has no timestamps: the page keeps the ones it loaded.
        let merged = |detail: &Service| Service {
            created_at: if service.created_at.is_empty() {
                detail.created_at.clone()
            } else {
                service.created_at.clone()
            },
            updated_at: if service.updated_at.is_empty() {
                detail.updated_at.clone()
            } else {
                service.updated_at.clone()
            },
            ..service.clone()
        };
        let differs = entry.with_untracked(
            |d| matches!(d, Some(Ok(detail)) if detail.service != merged(&detail.service)),
        );
        if differs {
            entry.update(|d| {
                if let Some(Ok(detail)) = d {
                    detail.service = merged(&detail.service);
                }
            });
        }
    }

    /// Loads (or reloads) service `id`'s detail into [`ServicesStore::detail`]; the list's row
    /// takes it too. A failed reload keeps what was shown.
    pub fn load_detail(&self, id: u64) {
        let entry = self.detail(id);
        let store = *self;
        let client = self.session.client();
        let generation = self.generation();
        leptos::task::spawn_local(async move {
            let result = api::service(&client, id).await;
            if !store.current(generation) {
                return;
            }
            match result {
                Ok(detail) => {
                    if let Some(changes) = store.cache.try_update_value(|c| c.saved(&detail)) {
                        store.apply(changes);
                    }
                    entry.set(Some(Ok(detail)));
                }
                Err(e) => {
                    store.session.check(&e);
                    let shown = entry.with_untracked(|d| matches!(d, Some(Ok(_))));
                    if !shown {
                        entry.set(Some(Err(e.to_string())));
                    }
                }
            }
            store.mark_answered();
        });
    }

    /// The service's runs of the last 24 hours, newest first.
    pub async fn recent_runs(self, id: u64) -> Result<Vec<Run>, ApiError> {
        let client = self.session.client();
        self.checked(api::recent_runs(&client, id).await)
    }

    /// A run's log lines after `after` (a page of at most [`api::LOG_PAGE`]).
    pub async fn run_log(self, run: u64, after: u64) -> Result<LogPage, ApiError> {
        let client = self.session.client();
        self.checked(api::run_log(&client, run, after).await)
    }

    pub async fn alert_settings(self, id: u64) -> Result<AlertSettings, ApiError> {
        let client = self.session.client();
        self.checked(api::alert_settings(&client, id).await)
    }

    pub async fn notification_groups(self) -> Result<Vec<NotificationGroup>, ApiError> {
        let client = self.session.client();
        self.checked(api::notification_groups(&client).await)
    }

    fn checked<T>(&self, result: Result<T, ApiError>) -> Result<T, ApiError> {
        if let Err(e) = &result {
            self.session.check(e);
        }
        result
    }
}
