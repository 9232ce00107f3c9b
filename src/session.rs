//! Who is signed in. The token lives only in memory: never in storage, the URL or logs.

use crate::api::{ApiError, DemoUser};
use leptos::prelude::*;
use services_model::Me;

#[derive(Clone, Copy)]
pub struct Session {
    pub token: RwSignal<Option<String>>,
    pub user: RwSignal<Option<Me>>,
    /// Why the user is back at the sign-in page, if not by choice.
    pub notice: RwSignal<Option<String>>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    pub fn new() -> Session {
        Session {
            token: RwSignal::new(None),
            user: RwSignal::new(None),
            notice: RwSignal::new(None),
        }
    }

    pub fn sign_in(&self, demo: DemoUser) {
        self.notice.set(None);
        self.user.set(Some(demo.user));
        self.token.set(Some(demo.token));
    }

    pub fn sign_out(&self, notice: Option<String>) {
        self.token.set(None);
        self.user.set(None);
        self.notice.set(notice);
    }

    /// Sends the user back to sign in when the server refused the token.
    pub fn check(&self, error: &ApiError) {
        if error.is_unauthorized() {
            self.sign_out(Some("Your session has expired. Sign in again.".into()));
        }
    }
}
