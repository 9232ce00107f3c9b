//! Live updates, the client side. The app reads `GET /api/v1/events` (server-sent events of the
//! company) with `fetch` and a stream reader, since `EventSource` cannot send the bearer token;
//! it parses with `services_model::SseParser` and reconnects with `Last-Event-ID`, so the server
//! replays what was missed (or says `reset`, and everything held is loaded again; a group whose
//! copy held is still current is answered 304 to its ETag and not decoded again). It opens once the page's first
//! answer has been painted, so the first rows come before its work.
//!
//! Each event is applied to the store as an answer would be: the service is asked for once
//! (several events for one service while that request is out make one more request, not many)
//! and taken into the [`ListCache`](services_model::ListCache), so its row updates in place
//! through its signal and focus, scroll, selection and open menus stay. A row that leaves the
//! list's view is announced. The service page's runs and log follow [`LiveFeed::service`] and
//! [`LiveFeed::run`].
//!
//! While the stream cannot be opened (a proxy blocks it, the server has it off) the state is
//! [`LiveState::Polling`]: the list reloads its group, and the runs and log poll, every
//! [`POLL_EVERY`], and the stream is tried again with a growing pause.

use super::ServicesStore;
use crate::announce::Announcer;
use crate::api;
use crate::state::RowContext;
use leptos::prelude::*;
use services_model::{EventKind, LiveEvent, SseParser, StreamItem};
use std::collections::HashMap;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// How often what the stream would have updated is asked for while it is not connected.
pub const POLL_EVERY: Duration = Duration::from_secs(5);
const RETRY_FIRST: Duration = Duration::from_secs(1);
/// How long the stream waits for the page's first answer before it opens anyway.
const FIRST_ANSWER_WAIT: Duration = Duration::from_secs(2);
const RETRY_MAX: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveState {
    /// Not started (signed out), or opening.
    Connecting,
    Live,
    /// The stream could not be opened: polling until it can.
    Polling,
}

/// The list page's part: the group it shows, its rows (to tell whether a row left the view),
/// and the announcer.
#[derive(Clone, Copy)]
struct ListWatch {
    group: Signal<Option<u64>>,
    rows: RowContext,
    announcer: Option<Announcer>,
}

/// The live-update state the store keeps.
#[derive(Clone, Copy)]
pub struct LiveFeed {
    state: RwSignal<LiveState>,
    services: StoredValue<HashMap<u64, ArcRwSignal<u64>>, LocalStorage>,
    runs: StoredValue<HashMap<u64, ArcRwSignal<u64>>, LocalStorage>,
    last_id: StoredValue<Option<String>>,
    list: StoredValue<Option<ListWatch>, LocalStorage>,
    /// Services being asked for; `true`: ask again when the answer comes.
    refreshing: StoredValue<HashMap<u64, bool>>,
}

impl LiveFeed {
    pub fn new() -> LiveFeed {
        LiveFeed {
            state: RwSignal::new(LiveState::Connecting),
            services: StoredValue::new_local(HashMap::new()),
            runs: StoredValue::new_local(HashMap::new()),
            last_id: StoredValue::new(None),
            list: StoredValue::new_local(None),
            refreshing: StoredValue::new(HashMap::new()),
        }
    }

    pub fn state(&self) -> ReadSignal<LiveState> {
        self.state.read_only()
    }

    /// Whether updates arrive by themselves (no need to poll).
    pub fn is_live(&self) -> bool {
        self.state.try_get_untracked() == Some(LiveState::Live)
    }

    /// Moves with every event of service `id` (and when everything is reloaded).
    pub fn service(&self, id: u64) -> ArcRwSignal<u64> {
        self.services
            .try_update_value(|m| m.entry(id).or_default().clone())
            .unwrap_or_default()
    }

    /// Moves with every event of run `id` (new log lines, its status).
    pub fn run(&self, id: u64) -> ArcRwSignal<u64> {
        self.runs
            .try_update_value(|m| m.entry(id).or_default().clone())
            .unwrap_or_default()
    }

    fn bump(map: StoredValue<HashMap<u64, ArcRwSignal<u64>>, LocalStorage>, id: u64) {
        if let Some(Some(signal)) = map.try_with_value(|m| m.get(&id).cloned()) {
            signal.update(|n| *n += 1);
        }
    }

    fn bump_all(map: StoredValue<HashMap<u64, ArcRwSignal<u64>>, LocalStorage>) {
        let all: Vec<_> = map
            .try_with_value(|m| m.values().cloned().collect())
            .unwrap_or_default();
        for signal in all {
            signal.update(|n| *n += 1);
        }
    }

    pub(super) fn forget(&self) {
        self.last_id.try_set_value(None);
    }
}

impl Default for LiveFeed {
    fn default() -> Self {
        Self::new()
    }
}

impl ServicesStore {
    pub fn live(&self) -> LiveFeed {
        self.live
    }

    /// The list page tells the feed which group it shows, for polling and for announcing rows
    /// that leave; until the page goes.
    pub fn watch_list(&self, group: Signal<Option<u64>>, rows: RowContext) {
        let watch = ListWatch {
            group,
            rows,
            announcer: use_context::<Announcer>(),
        };
        let list = self.live.list;
        list.try_set_value(Some(watch));
        on_cleanup(move || {
            list.try_set_value(None);
        });
    }

    /// Reads the stream while the calling owner lives (the signed-in app); then aborts it.
    pub fn follow_live_updates(&self) {
        let store = *self;
        let Ok(controller) = web_sys::AbortController::new() else {
            return;
        };
        let signal = controller.signal();
        let controller = StoredValue::new_local(Some(controller));
        let timer = StoredValue::new_local(None::<TimeoutHandle>);
        let poll =
            StoredValue::new_local(set_interval_with_handle(move || store.poll(), POLL_EVERY).ok());
        on_cleanup(move || {
            if let Some(Some(c)) = controller.try_update_value(Option::take) {
                c.abort();
            }
            if let Some(Some(t)) = timer.try_update_value(Option::take) {
                t.clear();
            }
            if let Some(Some(p)) = poll.try_update_value(Option::take) {
                p.clear();
            }
        });
        // Rows first: the stream opens (and its first `ready` reloads what is shown, so nothing
        // changed meanwhile is missed) once the first list or service answer has been painted,
        // or after `FIRST_ANSWER_WAIT` on a page that asks for neither.
        let (go, started) = futures::channel::oneshot::channel::<()>();
        let go = StoredValue::new_local(Some(go));
        let start = move || {
            if let Some(Some(go)) = go.try_update_value(Option::take) {
                let _ = go.send(());
            }
        };
        Effect::new(move |_| {
            if store.answered.try_get().unwrap_or(true) {
                request_animation_frame(move || set_timeout(start, Duration::ZERO));
            }
        });
        let fallback =
            StoredValue::new_local(set_timeout_with_handle(start, FIRST_ANSWER_WAIT).ok());
        on_cleanup(move || {
            if let Some(Some(t)) = fallback.try_update_value(Option::take) {
                t.clear();
            }
        });
        leptos::task::spawn_local(async move {
            if started.await.is_err() {
                return;
            }
            let mut pause = RETRY_FIRST;
            loop {
                if signal.aborted() {
                    return;
                }
                let connected = store.read_stream(&signal).await;
                if signal.aborted() {
                    return;
                }
                store.live.state.try_set(LiveState::Polling);
                if connected {
                    pause = RETRY_FIRST;
                }
                if !sleep(timer, pause).await {
                    return;
                }
                pause = (pause * 2).min(RETRY_MAX);
            }
        });
    }

    /// One connection: opens the stream and applies what it sends until it ends. Whether it
    /// connected.
    async fn read_stream(&self, signal: &web_sys::AbortSignal) -> bool {
        let Some(last) = self.live.last_id.try_get_value() else {
            return false;
        };
        let client = self.session.client();
        let generation = self.generation();
        let body = match api::open_events(&client, last.as_deref(), signal).await {
            Ok(body) => body,
            Err(e) => {
                if self.current(generation) {
                    self.session.check(&e);
                }
                return false;
            }
        };
        let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        let mut parser = SseParser::new(last);
        let mut connected = false;
        loop {
            let Ok(chunk) = wasm_bindgen_futures::JsFuture::from(reader.read()).await else {
                break;
            };
            let done = js_sys::Reflect::get(&chunk, &"done".into())
                .ok()
                .and_then(|d| d.as_bool())
                .unwrap_or(true);
            if done || !self.current(generation) {
                break;
            }
            let Ok(value) = js_sys::Reflect::get(&chunk, &"value".into()) else {
                break;
            };
            let bytes = js_sys::Uint8Array::new(&value).to_vec();
            for message in parser.push(&bytes) {
                let item = message.item(|data| serde_json::from_str::<LiveEvent>(data).ok());
                match item {
                    Some(StreamItem::Ready) => {
                        connected = true;
                        // Changes between the last answer and this connection (or while
                        // polling) are not replayed without an id: load again what is shown.
                        let resumed = parser.last_id.is_some() && message.id.is_none();
                        self.live.state.try_set(LiveState::Live);
                        if !resumed {
                            self.reload_shown();
                        }
                    }
                    Some(StreamItem::Event(event)) => self.on_event(event),
                    Some(StreamItem::Reset) => self.reload_shown(),
                    None => {}
                }
            }
            if self
                .live
                .last_id
                .try_set_value(parser.last_id.clone())
                .is_some()
            {
                break;
            }
        }
        // Awaited (and its refusal ignored): after an abort it rejects, which would otherwise be
        // an unhandled rejection in the page.
        let _ = wasm_bindgen_futures::JsFuture::from(reader.cancel()).await;
        connected
    }

    /// Applies one change to what the store holds.
    fn on_event(&self, event: LiveEvent) {
        let feed = self.live;
        // The service's runs change with every run event but its new log lines.
        if event.kind != EventKind::RunLog {
            LiveFeed::bump(feed.services, event.service_id);
        }
        if let Some(run) = event.run_id {
            LiveFeed::bump(feed.runs, run);
        }
        match event.kind {
            // Only the run's log shows them.
            EventKind::RunLog => {}
            EventKind::ServiceRemoved => self.live_removed(event.group_id, event.service_id),
            _ => self.refresh_service(event.group_id, event.service_id),
        }
    }

    /// Asks for a service again and takes the answer in, unless nothing here shows it.
    fn refresh_service(&self, group: u64, id: u64) {
        let held = self.with_group(group, |_| ()).is_some()
            || self.rows.try_with_value(|r| r.contains_key(&id)) == Some(true)
            || self.details.try_with_value(|d| d.contains_key(&id)) == Some(true);
        if !held {
            return;
        }
        let busy = self
            .live
            .refreshing
            .try_update_value(|r| match r.get_mut(&id) {
                Some(again) => {
                    *again = true;
                    true
                }
                None => {
                    r.insert(id, false);
                    false
                }
            });
        if busy != Some(false) {
            return;
        }
        let store = *self;
        let generation = self.generation();
        leptos::task::spawn_local(async move {
            loop {
                let client = store.session.client();
                let result = api::service(&client, id).await;
                if !store.current(generation) {
                    return;
                }
                match result {
                    Ok(detail) => store.take_live(group, detail),
                    Err(api::ApiError::Status { status: 404, .. }) => {
                        store.live_removed(group, id);
                    }
                    Err(e) => store.session.check(&e),
                }
                let again = store.live.refreshing.try_update_value(|r| {
                    let again = r.get(&id).copied().unwrap_or(false);
                    if again {
                        r.insert(id, false);
                    } else {
                        r.remove(&id);
                    }
                    again
                });
                if again != Some(true) {
                    return;
                }
            }
        });
    }

    fn take_live(&self, group: u64, detail: services_model::ServiceDetail) {
        let id = detail.service.id;
        let name = detail.service.name.clone();
        let shown_before = self.shown_in_list(id);
        let per_query = self.meta(group).with_untracked(|m| m.per_query);
        let known = self
            .cache
            .try_with_value(|c| c.shown(group, id).is_some())
            .unwrap_or(false);
        if per_query && !known {
            // Perhaps created: the group's count and the list's view are asked for again.
            self.open_group(group);
        } else {
            let changes = self.cache.try_update_value(|c| {
                if known {
                    c.saved(&detail)
                } else {
                    c.created(&detail)
                }
            });
            if let Some(changes) = changes {
                self.apply(changes);
            }
        }
        self.set_detail(detail);
        if shown_before {
            self.announce_if_gone(id, format!("“{name}” changed and left this view."));
        }
    }

    fn live_removed(&self, group: u64, id: u64) {
        let name = self
            .cache
            .try_with_value(|c| c.shown(group, id).map(|s| s.service.name))
            .flatten();
        let shown_before = self.shown_in_list(id);
        if let Some(changes) = self.cache.try_update_value(|c| c.removed(group, id)) {
            self.apply(changes);
        }
        if self.meta(group).with_untracked(|m| m.per_query) {
            self.meta(group).update(|m| m.loads += 1);
        }
        if shown_before {
            let name = name.unwrap_or_else(|| format!("Service {id}"));
            self.announce_if_gone(id, format!("“{name}” was removed."));
        }
    }

    fn shown_in_list(&self, id: u64) -> bool {
        self.live
            .list
            .try_get_value()
            .flatten()
            .is_some_and(|w| w.rows.is_shown(id))
    }

    /// Once the list has drawn the change: if row `id` is no longer on it, says `message`.
    fn announce_if_gone(&self, id: u64, message: String) {
        let list = self.live.list;
        request_animation_frame(move || {
            let Some(Some(watch)) = list.try_get_value() else {
                return;
            };
            if !watch.rows.is_shown(id) {
                if let Some(announcer) = watch.announcer {
                    announcer.say(message);
                }
            }
        });
    }

    /// After a reset (or a connection without an id): everything shown is loaded again.
    fn reload_shown(&self) {
        let loaded: Vec<u64> = self
            .metas
            .try_with_value(|m| {
                m.iter()
                    .filter(|(_, meta)| meta.with_untracked(|m| m.loaded || m.loading))
                    .map(|(g, _)| *g)
                    .collect()
            })
            .unwrap_or_default();
        if !loaded.is_empty() {
            self.load_groups();
        }
        for group in loaded {
            self.open_group(group);
        }
        let details: Vec<u64> = self
            .details
            .try_with_value(|d| d.keys().copied().collect())
            .unwrap_or_default();
        for id in details {
            self.load_detail(id);
        }
        LiveFeed::bump_all(self.live.services);
        LiveFeed::bump_all(self.live.runs);
    }

    /// The fallback: without a stream, the list's group is loaded again every [`POLL_EVERY`].
    fn poll(&self) {
        if self.live.state.try_get_untracked() != Some(LiveState::Polling) {
            return;
        }
        let group = self
            .live
            .list
            .try_get_value()
            .flatten()
            .and_then(|w| w.group.try_get_untracked().flatten());
        if let Some(group) = group {
            self.open_group(group);
        }
    }
}

/// Follows the live updates while mounted (inside the signed-in app).
#[component]
pub fn LiveUpdates() -> impl IntoView {
    expect_context::<ServicesStore>().follow_live_updates();
}

/// Waits `pause` (a timer the owner's cleanup clears); false when it was cleared instead.
async fn sleep(timer: StoredValue<Option<TimeoutHandle>, LocalStorage>, pause: Duration) -> bool {
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    let handle = set_timeout_with_handle(
        move || {
            timer.try_set_value(None);
            let _ = tx.send(());
        },
        pause,
    );
    match handle {
        Ok(handle) => {
            if timer.try_set_value(Some(handle)).is_some() {
                handle.clear();
                return false;
            }
        }
        Err(_) => return false,
    }
    rx.await.is_ok()
}
