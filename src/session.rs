//! Who is signed in, and where the token comes from. Standalone, the user picks a demo user; an
//! embedded app gets its token from the host (see [`TokenProvider`]). The token lives only in
//! memory: never in storage, the URL or logs.

use crate::api::{self, ApiError, DemoUser};
use crate::host_token::TokenProvider;
use futures::future::{ready, LocalBoxFuture, Shared};
use futures::FutureExt;
use leptos::prelude::*;
use services_model::Me;
use std::rc::Rc;

type Renewal = Shared<LocalBoxFuture<'static, Option<String>>>;

#[derive(Clone, Copy)]
pub struct Session {
    pub token: RwSignal<Option<String>>,
    pub user: RwSignal<Option<Me>>,
    /// Why the user is back at the sign-in page, if not by choice.
    pub notice: RwSignal<Option<String>>,
    /// Embedded: the host gave no token the server accepts. The page keeps what it shows and
    /// offers to try again.
    pub expired: RwSignal<bool>,
    /// Embedded: the host is being asked for a token.
    pub connecting: RwSignal<bool>,
    provider: StoredValue<Option<TokenProvider>, LocalStorage>,
    /// The request to the host in flight, shared by every request that met a 401 meanwhile.
    renewal: StoredValue<Option<Renewal>, LocalStorage>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new(None)
    }
}

impl Session {
    /// `provider` is `None` for the standalone sign-in.
    pub fn new(provider: Option<TokenProvider>) -> Session {
        Session {
            token: RwSignal::new(None),
            user: RwSignal::new(None),
            notice: RwSignal::new(None),
            expired: RwSignal::new(false),
            connecting: RwSignal::new(false),
            provider: StoredValue::new_local(provider),
            renewal: StoredValue::new_local(None),
        }
    }

    pub fn is_embedded(&self) -> bool {
        self.provider.with_value(Option::is_some)
    }

    /// What API calls need: the current token, and a way to renew it.
    pub fn client(&self) -> api::Client {
        let token = self.token.get_untracked().unwrap_or_default();
        let session = *self;
        let renew: Option<api::Renew> = self
            .is_embedded()
            .then(|| Rc::new(move |stale: String| session.renew(stale)) as api::Renew);
        api::Client::new(token, renew)
    }

    /// Asks the server who holds the token (`GET /me`): the role it names decides what the UI
    /// offers. An answer for a token that has been replaced meanwhile is dropped.
    pub fn load_user(&self) {
        let session = *self;
        let Some(token) = self.token.get_untracked() else {
            return;
        };
        let client = self.client();
        leptos::task::spawn_local(async move {
            match api::me(&client).await {
                Ok(me) if session.token.try_get_untracked().flatten() == Some(token) => {
                    session.user.set(Some(me))
                }
                Ok(_) => {}
                Err(e) => session.check(&e),
            }
        });
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

    /// Reacts to a refused token. Standalone: back to the sign-in page. Embedded: the client has
    /// already asked the host once, so the session has expired.
    pub fn check(&self, error: &ApiError) {
        if !error.is_unauthorized() {
            return;
        }
        // Answers can arrive after the app was unmounted: then there is nobody to tell.
        let Some(embedded) = self.provider.try_with_value(Option::is_some) else {
            return;
        };
        if embedded {
            self.expired.set(true);
        } else {
            self.sign_out(Some("Your session has expired. Sign in again.".into()));
        }
    }

    /// Embedded: asks the host for a token and starts (or restarts) the session with it. Setting
    /// the token reloads what the page shows.
    pub fn connect(&self) {
        let Some(provider) = self.provider.get_value() else {
            return;
        };
        let session = *self;
        session.connecting.set(true);
        leptos::task::spawn_local(async move {
            let result = provider.token().await;
            let _ = session.connecting.try_set(false);
            match result {
                Ok(token) => {
                    let _ = session.expired.try_set(false);
                    let _ = session.token.try_set(Some(token));
                }
                Err(reason) => {
                    leptos::logging::warn!("services list: no token from the host: {reason}");
                    let _ = session.expired.try_set(true);
                }
            }
        });
    }

    /// A token to repeat a refused request with. Another request may have renewed it already;
    /// otherwise the host is asked, once however many requests are waiting. The new token does
    /// not reload anything: the user should notice nothing.
    fn renew(self, stale: String) -> LocalBoxFuture<'static, Option<String>> {
        let current = self.token.try_get_untracked().flatten();
        if let Some(current) = current.filter(|t| *t != stale) {
            return ready(Some(current)).boxed_local();
        }
        if self.expired.try_get_untracked().unwrap_or(true) {
            return ready(None).boxed_local();
        }
        if let Some(pending) = self.renewal.try_get_value().flatten() {
            return pending.boxed_local();
        }
        let Some(provider) = self.provider.try_get_value().flatten() else {
            return ready(None).boxed_local();
        };
        let session = self;
        let renewal = async move {
            let result = provider.token().await;
            session.renewal.try_set_value(None);
            match result {
                Ok(token) => {
                    session
                        .token
                        .try_update_untracked(|t| *t = Some(token.clone()));
                    Some(token)
                }
                Err(reason) => {
                    leptos::logging::warn!("services list: the host gave no new token: {reason}");
                    None
                }
            }
        }
        .boxed_local()
        .shared();
        self.renewal.set_value(Some(renewal.clone()));
        renewal.boxed_local()
    }
}
