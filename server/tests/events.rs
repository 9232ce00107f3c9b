//! Live updates (`GET /api/v1/events`): authentication, tenant isolation, every kind of change,
//! replay from `Last-Event-ID`, the reset for an id no longer kept, bounds, the switch that turns
//! streams off, heartbeats, the open-streams gauge and graceful shutdown.

#[macro_use]
mod common;

use common::sse::{open_raw, EventStream};
use common::{Store, TestServer};
use reqwest::Method;
use serde_json::json;
use services_model::{EventKind, Role, StreamItem};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// The first service of company 2 (as its admin sees it).
async fn company_two_service(t: &TestServer) -> (String, u64) {
    let token = t.token(2, Role::Admin);
    let groups = t.get_as(&token, "/api/v1/company-groups").await;
    let group = groups.body["items"][0]["id"].as_u64().unwrap();
    let list = t
        .get_as(&token, &format!("/api/v1/company-groups/{group}/services"))
        .await;
    (token, list.body["items"][0]["id"].as_u64().unwrap())
}

async fn rename(t: &TestServer, token: &str, id: u64, name: &str) {
    let reply = t
        .call(
            Method::PATCH,
            &format!("/api/v1/services/{id}"),
            Some(token),
            Some(json!({ "name": name })),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

async fn streams_need_a_valid_token(store: Store) {
    let t = TestServer::start(store).await;
    let base = t.server.url();
    let none = open_raw(&base, None, None).await;
    assert_eq!(none.status(), 401);
    let body: serde_json::Value = none.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    let wrong = open_raw(&base, Some("pw_1_not-a-real-token-at-all-0000000000"), None).await;
    assert_eq!(wrong.status(), 401);
    // A Last-Event-ID that is not an id is refused with the reason.
    let odd = open_raw(&base, Some(&t.admin()), Some("yesterday")).await;
    assert_eq!(odd.status(), 400);
    let body: serde_json::Value = odd.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Last-Event-ID"));
    t.stop().await;
}

async fn a_stream_carries_its_companys_service_changes_and_no_other(store: Store) {
    let t = TestServer::start(store).await;
    let base = t.server.url();
    let mut ours = EventStream::open(&base, &t.admin(), None).await;
    let (their_token, their_service) = company_two_service(&t).await;
    let mut theirs = EventStream::open(&base, &their_token, None).await;

    // Company 2 changes first: company 1's stream must not see it.
    rename(&t, &their_token, their_service, "Theirs renamed").await;
    let event = theirs.event(WAIT).await;
    assert_eq!(
        (event.kind, event.service_id),
        (EventKind::ServiceChanged, their_service)
    );

    let ours_id = t.a_service("active").await;
    rename(&t, &t.admin(), ours_id, "Ours renamed").await;
    let event = ours.event(WAIT).await;
    assert_eq!(
        (event.kind, event.service_id, event.group_id),
        (EventKind::ServiceChanged, ours_id, 1),
        "the first event company 1 sees is its own"
    );
    assert_eq!(ours.last_id(), Some(event.id.to_string()));

    // Created (a clone) and removed.
    let clone = t
        .call(
            Method::POST,
            &format!("/api/v1/services/{ours_id}/clone"),
            Some(&t.admin()),
            None,
        )
        .await;
    assert_eq!(clone.status, 201, "{}", clone.body);
    let clone_id = clone.body["id"].as_u64().unwrap();
    let event = ours.event(WAIT).await;
    assert_eq!(
        (event.kind, event.service_id),
        (EventKind::ServiceCreated, clone_id)
    );
    let removed = t
        .call(
            Method::DELETE,
            &format!("/api/v1/services/{clone_id}"),
            Some(&t.admin()),
            None,
        )
        .await;
    assert_eq!(removed.status, 204, "{}", removed.body);
    let event = ours.event(WAIT).await;
    assert_eq!(
        (event.kind, event.service_id, event.group_id),
        (EventKind::ServiceRemoved, clone_id, 1)
    );
    // Nothing of company 1 reached company 2.
    assert_eq!(theirs.item(Duration::from_millis(700)).await, None);
    t.stop().await;
}

async fn a_run_is_streamed_queued_started_logged_and_finished(store: Store) {
    let t = TestServer::start(store).await;
    let mut stream = EventStream::open(&t.server.url(), &t.admin(), None).await;
    let service = t.a_service("active").await;
    let run = t.start_run(service).await;
    let seen = stream
        .until(WAIT, |e| {
            e.kind == EventKind::RunFinished && e.run_id == Some(run)
        })
        .await;
    let kinds: Vec<EventKind> = seen
        .iter()
        .filter(|e| e.run_id == Some(run))
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds.first(), Some(&EventKind::RunQueued), "{seen:?}");
    assert_eq!(kinds.get(1), Some(&EventKind::RunStarted), "{seen:?}");
    assert!(kinds.contains(&EventKind::RunLog), "{seen:?}");
    assert!(seen
        .iter()
        .all(|e| e.service_id == service && e.group_id == 1));
    let ids: Vec<u64> = seen.iter().map(|e| e.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");
    t.stop().await;
}

async fn a_reconnect_with_last_event_id_replays_what_was_missed(store: Store) {
    let t = TestServer::start(store).await;
    let base = t.server.url();
    let stream = EventStream::open(&base, &t.admin(), None).await;
    let last = stream
        .last_id()
        .expect("ready carries the stream's position");
    drop(stream);
    let ids = t.service_ids(1).await;
    rename(&t, &t.admin(), ids[0], "Missed one").await;
    let (their_token, their_service) = company_two_service(&t).await;
    rename(&t, &their_token, their_service, "Not ours").await;
    rename(&t, &t.admin(), ids[1], "Missed two").await;

    let mut again = EventStream::open(&base, &t.admin(), Some(&last)).await;
    let first = again.event(WAIT).await;
    let second = again.event(WAIT).await;
    assert_eq!(
        [
            (first.kind, first.service_id),
            (second.kind, second.service_id)
        ],
        [
            (EventKind::ServiceChanged, ids[0]),
            (EventKind::ServiceChanged, ids[1])
        ]
    );
    // Replayed once, not again from the live feed.
    assert_eq!(again.item(Duration::from_millis(700)).await, None);
    // Reconnecting from the last one replays nothing.
    let mut caught_up = EventStream::open(&base, &t.admin(), Some(&second.id.to_string())).await;
    assert_eq!(caught_up.item(Duration::from_millis(500)).await, None);
    t.stop().await;
}

async fn an_id_no_longer_kept_gets_a_reset(store: Store) {
    let t = TestServer::start(store).await;
    let base = t.server.url();
    let stream = EventStream::open(&base, &t.admin(), None).await;
    let old = stream.last_id().unwrap();
    drop(stream);
    let ids = t.service_ids(1).await;
    rename(&t, &t.admin(), ids[0], "Purged away").await;
    // Everything recorded up to now is purged (as the retention job does after its hours).
    let now = services_server::clock::now_unix() + 10;
    let purged = services_server::retention::purge_events(&t.server.db, now, Duration::ZERO)
        .await
        .unwrap();
    assert!(purged >= 1);
    let mut late = EventStream::open(&base, &t.admin(), Some(&old)).await;
    assert_eq!(late.item(WAIT).await, Some(StreamItem::Reset));
    // The reset's id is where the stream goes on from, and live events follow.
    let continued = late.last_id().unwrap();
    assert!(continued.parse::<u64>().unwrap() > old.parse::<u64>().unwrap());
    rename(&t, &t.admin(), ids[1], "After the reset").await;
    let event = late.event(WAIT).await;
    assert_eq!(event.service_id, ids[1]);
    // An id from the future (another database) is a reset too.
    let mut unknown = EventStream::open(&base, &t.admin(), Some("999999999")).await;
    assert_eq!(unknown.item(WAIT).await, Some(StreamItem::Reset));
    t.stop().await;
}

async fn streams_are_bounded_per_user_counted_and_can_be_turned_off(store: Store) {
    let t = TestServer::start_with(store, |c| {
        c.events.max_per_user = 2;
        c.metrics_token = Some("scrape".into());
    })
    .await;
    let base = t.server.url();
    let gauge = || async {
        let text = reqwest::Client::new()
            .get(format!("{base}/metrics"))
            .bearer_auth("scrape")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("services_event_streams_open "))
            .map(|v| v.trim().to_string())
    };
    let one = EventStream::open(&base, &t.admin(), None).await;
    let two = EventStream::open(&base, &t.admin(), None).await;
    assert_eq!(gauge().await.as_deref(), Some("2"));
    let third = open_raw(&base, Some(&t.admin()), None).await;
    assert_eq!(third.status(), 429);
    assert!(third.headers().contains_key("retry-after"));
    // Another user of the company still gets one.
    let manager = EventStream::open(&base, &t.token(1, Role::Manager), None).await;
    drop((one, manager));
    let mut freed = false;
    for _ in 0..50 {
        if gauge().await.as_deref() == Some("1") {
            freed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(freed, "a closed stream gives its slot back");
    let _again = EventStream::open(&base, &t.admin(), None).await;
    drop(two);
    t.stop().await;

    let off = TestServer::start_with(store, |c| c.events.enabled = false).await;
    let refused = open_raw(&off.server.url(), Some(&off.admin()), None).await;
    assert_eq!(refused.status(), 503);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "stream_disabled");
    off.stop().await;
}

async fn idle_streams_get_heartbeats_and_shutdown_ends_them(store: Store) {
    let t = TestServer::start_with(store, |c| {
        c.events.heartbeat = Duration::from_millis(200);
    })
    .await;
    let mut stream = EventStream::open(&t.server.url(), &t.admin(), None).await;
    assert_eq!(stream.item(Duration::from_millis(900)).await, None);
    assert!(
        stream.raw.matches(": keep-alive").count() >= 2,
        "{:?}",
        stream.raw
    );
    // A graceful stop does not wait for the open stream: it ends it.
    let stopped = tokio::time::timeout(Duration::from_secs(10), t.server.stop()).await;
    assert!(stopped.is_ok(), "shutdown waited for an open stream");
    let ended = tokio::time::timeout(Duration::from_secs(5), stream.response.chunk()).await;
    assert!(
        matches!(ended, Ok(Ok(None)) | Ok(Err(_))),
        "the stream ended with the server"
    );
}

on_both_stores!(
    streams_need_a_valid_token,
    a_stream_carries_its_companys_service_changes_and_no_other,
    a_run_is_streamed_queued_started_logged_and_finished,
    a_reconnect_with_last_event_id_replays_what_was_missed,
    an_id_no_longer_kept_gets_a_reset,
    streams_are_bounded_per_user_counted_and_can_be_turned_off,
    idle_streams_get_heartbeats_and_shutdown_ends_them,
);
