//! The signed-in user's saved views (`GET/POST/DELETE /views`): a name and the list URL's query
//! string. Asked for once, when the Views menu first opens.

use crate::api::{self, ApiError};
use crate::session::Session;
use leptos::prelude::*;
use services_model::{NewView, SavedView};

/// The views, once asked for: `None` while loading, or why they could not be loaded.
pub type ViewsState = Option<Result<Vec<SavedView>, String>>;

#[derive(Clone, Copy)]
pub struct SavedViews {
    session: Session,
    items: RwSignal<ViewsState>,
    asked: StoredValue<bool>,
}

impl SavedViews {
    pub fn new(session: Session) -> SavedViews {
        SavedViews {
            session,
            items: RwSignal::new(None),
            asked: StoredValue::new(false),
        }
    }

    /// Forgets them: another user signed in.
    pub fn reset(&self) {
        self.asked.set_value(false);
        self.items.set(None);
    }

    pub fn items(&self) -> ReadSignal<ViewsState> {
        self.items.read_only()
    }

    /// Loads the views the first time (or again after a failure).
    pub fn ensure_loaded(&self) {
        let failed = self.items.with_untracked(|i| matches!(i, Some(Err(_))));
        if self.asked.get_value() && !failed {
            return;
        }
        self.asked.set_value(true);
        self.items.set(None);
        let this = *self;
        let client = self.session.client();
        leptos::task::spawn_local(async move {
            let result = api::saved_views(&client).await;
            if let Err(e) = &result {
                this.session.check(e);
            }
            this.items.try_set(Some(result.map_err(|e| e.to_string())));
        });
    }

    /// Saves the view; the server's refusal (a taken name, too long) comes back as the error.
    pub async fn save(self, name: String, query: String) -> Result<SavedView, ApiError> {
        let client = self.session.client();
        let saved = api::save_view(&client, &NewView { name, query }).await;
        match &saved {
            Ok(view) => {
                self.items.try_update(|items| {
                    if let Some(Ok(list)) = items {
                        list.push(view.clone());
                        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
                    }
                });
            }
            Err(e) => self.session.check(e),
        }
        saved
    }

    pub async fn remove(self, id: u64) -> Result<(), ApiError> {
        let client = self.session.client();
        let done = api::remove_view(&client, id).await;
        match &done {
            // Gone already is gone.
            Ok(()) | Err(ApiError::Status { status: 404, .. }) => {
                self.items.try_update(|items| {
                    if let Some(Ok(list)) = items {
                        list.retain(|v| v.id != id);
                    }
                });
                Ok(())
            }
            Err(e) => {
                self.session.check(e);
                done
            }
        }
    }
}
