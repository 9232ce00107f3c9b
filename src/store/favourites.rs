//! The services the signed-in user starred: asked for once per sign-in (`GET /favourites`),
//! changed at once when a star is clicked and put back, with a message, if the server refuses.
//! The list's Favourites filter reads [`Starred::ids`].

use crate::api;
use crate::components::Toasts;
use crate::session::Session;
use leptos::prelude::*;
use services_model::Favourites;

#[derive(Clone, Copy)]
pub struct Starred {
    session: Session,
    toasts: Toasts,
    ids: RwSignal<Favourites>,
}

impl Starred {
    pub fn new(session: Session, toasts: Toasts) -> Starred {
        Starred {
            session,
            toasts,
            ids: RwSignal::new(Favourites::new()),
        }
    }

    /// The starred ids (tracked).
    pub fn ids(&self) -> ReadSignal<Favourites> {
        self.ids.read_only()
    }

    pub fn is_starred(&self, id: u64) -> bool {
        self.ids.with(|ids| ids.contains(&id))
    }

    /// Asks the server (again, after a sign-in).
    pub fn load(&self) {
        let this = *self;
        let client = self.session.client();
        leptos::task::spawn_local(async move {
            match api::favourites(&client).await {
                Ok(ids) => {
                    this.ids.try_set(ids.into_iter().collect());
                }
                Err(e) => this.session.check(&e),
            }
        });
    }

    /// Stars or unstars `id` (named `name` in a message if that fails).
    pub fn toggle(&self, id: u64, name: String) {
        let starred = !self.ids.with_untracked(|ids| ids.contains(&id));
        self.set(id, starred);
        let this = *self;
        let client = self.session.client();
        leptos::task::spawn_local(async move {
            if let Err(e) = api::set_favourite(&client, id, starred).await {
                this.session.check(&e);
                this.set(id, !starred);
                let verb = if starred { "star" } else { "unstar" };
                this.toasts
                    .error(format!("Could not {verb} “{name}”: {e} Try again."));
            }
        });
    }

    fn set(&self, id: u64, starred: bool) {
        self.ids.try_update(|ids| {
            if starred {
                ids.insert(id);
            } else {
                ids.remove(&id);
            }
        });
    }
}
