//! `GET /api/v1/events`: the caller's company's changes as server-sent events (see
//! `crate::events` for where they come from). A reconnecting client sends `Last-Event-ID` and
//! is replayed what it missed, or told to reload (`event: reset`) when that is no longer kept.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::events::{EventHub, Slot, SlotRefused};
use crate::repo::events::{self as stored, StoredEvent};
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use services_model::event::{READY, RESET};
use services_model::{EventKind, LiveEvent, StreamReset};
use std::collections::HashSet;
use std::convert::Infallible;
use tokio::sync::{broadcast, mpsc};
use utoipa::IntoParams;

/// How long a client waits before reconnecting (the SSE `retry:` field).
const RETRY_MS: u64 = 2000;

/// The headers of `GET /events`.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct EventHeaders {
    /// The `id` of the last event received: the stream first replays the company's events
    /// after it (or sends `reset` when they are no longer kept).
    #[param(rename = "Last-Event-ID", value_type = Option<String>, pattern = "^[0-9]{1,18}$")]
    last_event_id: Option<String>,
}

/// The company's live updates as `text/event-stream`: `ready` once connected, then one message
/// per change (`event` is the [`EventKind`], `id` its id, `data` a [`LiveEvent`]), and `reset`
/// (data: a [`StreamReset`]) when events were missed and the client must reload. A comment
/// line every 15 seconds keeps proxies from closing it. Browsers' `EventSource` cannot send the
/// bearer token: read it with `fetch`.
#[utoipa::path(get, path = "/api/v1/events", tag = "events",
    params(EventHeaders),
    responses(
        (status = 200, description = "The stream (it stays open)", content_type = "text/event-stream", body = String),
        (status = 400, body = ErrorResponse, description = "A Last-Event-ID that is not an id"),
        (status = 401, body = ErrorResponse),
        (status = 429, body = ErrorResponse, description = "Too many open streams for this user or company"),
        (status = 503, body = ErrorResponse, description = "Live updates are off on this server: poll instead")))]
pub async fn event_stream(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let hub = state.events.clone();
    if !hub.settings.enabled {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "stream_disabled",
            "Live updates are turned off on this server; the list refreshes itself instead.",
        ));
    }
    let last = match headers.get("last-event-id") {
        None => None,
        Some(value) => {
            let text = value.to_str().unwrap_or("").trim();
            match text.parse::<u64>() {
                Ok(id) if text.len() <= 18 => Some(id),
                _ if text.is_empty() => None,
                _ => {
                    return Err(ApiError::bad_request(
                        "Last-Event-ID must be the id of an event this stream sent.",
                    ))
                }
            }
        }
    };
    let slot = hub
        .open_slot(user.user_id, user.company_id)
        .map_err(|refused| {
            let message = match refused {
                SlotRefused::User(n) => format!(
                    "You have {n} live-update streams open already (one per open tab). Close one and try again."
                ),
                SlotRefused::Company(n) => format!(
                    "Your company has {n} live-update streams open already. Try again later."
                ),
            };
            ApiError::too_many(message, 30)
        })?;
    // Subscribe before reading the table, so nothing falls between the replay and the live part.
    let live = hub.subscribe();
    let (head, purged) = stored::bounds(&state.db).await?;
    let opening = match last {
        None => Opening::Fresh { head },
        Some(last) if last < purged || last > head => Opening::Reset {
            head,
            reason: "The events since your last one are no longer kept.",
        },
        Some(last) => {
            let limit = hub.settings.max_replay;
            let missed = stored::replay(&state.db, user.company_id, last, limit + 1).await?;
            if missed.len() > limit as usize {
                Opening::Reset {
                    head,
                    reason: "Too much changed since your last event.",
                }
            } else {
                Opening::Replay(missed)
            }
        }
    };
    let (tx, rx) = mpsc::channel::<Event>(hub.settings.buffer.max(1));
    tokio::spawn(forward(
        hub.clone(),
        slot,
        user.company_id,
        opening,
        live,
        tx,
    ));
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|event| (Ok::<_, Infallible>(event), rx))
    });
    let mut response = Sse::new(stream)
        .keep_alive(
            KeepAlive::new()
                .interval(hub.settings.heartbeat)
                .text("keep-alive"),
        )
        .into_response();
    let headers = response.headers_mut();
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    // nginx and the like buffer responses unless told not to.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

enum Opening {
    Fresh { head: u64 },
    Replay(Vec<StoredEvent>),
    Reset { head: u64, reason: &'static str },
}

fn message(event: &StoredEvent) -> Option<Event> {
    let kind = EventKind::parse(&event.kind)?;
    let data = LiveEvent {
        id: event.id,
        kind,
        group_id: event.group_id,
        service_id: event.service_id,
        run_id: event.run_id,
    };
    Event::default()
        .id(event.id.to_string())
        .event(kind.as_str())
        .json_data(&data)
        .ok()
}

fn reset(head: u64, reason: &str) -> Event {
    Event::default()
        .event(RESET)
        .json_data(StreamReset {
            reason: reason.into(),
        })
        .unwrap_or_default()
        .id(head.to_string())
}

/// Writes one stream: its opening, then the company's live events, until the client goes, the
/// server shuts down, or the client falls so far behind that it is told to reload.
async fn forward(
    hub: EventHub,
    _slot: Slot,
    company: u64,
    opening: Opening,
    mut live: broadcast::Receiver<std::sync::Arc<StoredEvent>>,
    tx: mpsc::Sender<Event>,
) {
    let mut closing = hub.closing();
    let mut kicked = hub.kicked();
    kicked.mark_unchanged();
    let ready = Event::default()
        .event(READY)
        .data("{}")
        .retry(std::time::Duration::from_millis(RETRY_MS));
    let mut replayed = HashSet::new();
    let mut first = vec![];
    match opening {
        Opening::Fresh { head } => first.push(ready.id(head.to_string())),
        Opening::Replay(events) => {
            hub.replayed().inc_by(events.len() as u64);
            first.push(ready);
            for event in &events {
                replayed.insert(event.id);
                first.extend(message(event));
            }
        }
        Opening::Reset { head, reason } => {
            first.push(ready);
            first.push(reset(head, reason));
        }
    }
    for event in first {
        if tx.send(event).await.is_err() {
            return;
        }
    }
    loop {
        let next = tokio::select! {
            next = live.recv() => next,
            _ = closing.wait_for(|c| *c) => return,
            _ = kicked.changed() => return,
            () = tx.closed() => return,
        };
        let event = match next {
            Ok(event) if event.company_id != company || replayed.contains(&event.id) => continue,
            Ok(event) => match message(&event) {
                Some(event) => event,
                None => continue,
            },
            // The client reads slower than changes come: it reloads instead (the next events
            // carry on from here).
            Err(broadcast::error::RecvError::Lagged(_)) => Event::default()
                .event(RESET)
                .json_data(StreamReset {
                    reason: "Too much changed too quickly.".into(),
                })
                .unwrap_or_default(),
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let sent = tokio::select! {
            sent = tx.send(event) => sent,
            _ = closing.wait_for(|c| *c) => return,
        };
        if sent.is_err() {
            return;
        }
    }
}
