//! Live updates, the server side: one reader per instance follows the `events` table (written
//! by triggers in the transaction of each change, so an event made on any instance is seen by
//! all) and fans what it reads out to this instance's streams through a bounded broadcast
//! channel. PostgreSQL wakes the reader with `NOTIFY services_events`; both stores are also read
//! every [`POLL`]. The streams themselves are `api/events.rs`.
//!
//! PostgreSQL hands out identity values in insertion order, not commit order: id 11 may be
//! readable before id 10 commits. The reader therefore sends each event once as soon as it sees
//! it, but moves its cursor only over contiguous ids, waiting up to [`GAP_WAIT`] for a missing
//! one (a rolled-back insert leaves a gap for ever).

use crate::db::Db;
use crate::repo::events::{self, StoredEvent};
use prometheus::{IntCounter, IntGauge};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, watch, Notify};

/// How often the reader looks at the table when nothing woke it.
pub const POLL: Duration = Duration::from_millis(250);
/// How long the reader waits for a missing id before it takes the gap as a rollback.
pub const GAP_WAIT: Duration = Duration::from_secs(5);
/// Events read per query.
const BATCH: u32 = 500;
/// The PostgreSQL channel the `events` trigger notifies.
pub const CHANNEL: &str = "services_events";

/// The bounds of the live-update streams (flags of the server binary).
#[derive(Clone, Copy, Debug)]
pub struct StreamSettings {
    /// Serve `GET /api/v1/events`; when off it answers 503 and clients poll instead.
    pub enabled: bool,
    /// A comment line this often keeps proxies from closing an idle stream.
    pub heartbeat: Duration,
    /// Open streams per user (token) and per company.
    pub max_per_user: usize,
    pub max_per_company: usize,
    /// Events a stream may have waiting to be written before it is told to reload instead.
    pub buffer: usize,
    /// Events a reconnecting stream is replayed at most; further behind, it is told to reload.
    pub max_replay: u32,
    /// Events are kept this long for replays (the retention job purges older ones).
    pub retention: Duration,
}

impl Default for StreamSettings {
    fn default() -> Self {
        StreamSettings {
            enabled: true,
            heartbeat: Duration::from_secs(15),
            max_per_user: 6,
            max_per_company: 200,
            buffer: 256,
            max_replay: 1000,
            retention: Duration::from_secs(24 * 3600),
        }
    }
}

/// Why a stream could not get a slot.
#[derive(Debug, PartialEq, Eq)]
pub enum SlotRefused {
    User(usize),
    Company(usize),
}

#[derive(Default)]
struct Open {
    per_user: HashMap<u64, usize>,
    per_company: HashMap<u64, usize>,
}

/// This instance's streams: the broadcast of new events, the open-stream counts and the signal
/// that ends every stream at shutdown.
#[derive(Clone)]
pub struct EventHub {
    pub settings: StreamSettings,
    sender: broadcast::Sender<Arc<StoredEvent>>,
    open: Arc<Mutex<Open>>,
    gauge: IntGauge,
    replayed: IntCounter,
    closing: watch::Sender<bool>,
    /// Moves to end every open stream without shutting down (fault injection's disconnect).
    kick: watch::Sender<u64>,
    wake: Arc<Notify>,
}

/// An open stream's place in the counts; given back when dropped.
pub struct Slot {
    hub: EventHub,
    user: u64,
    company: u64,
}

impl Drop for Slot {
    fn drop(&mut self) {
        fn give_back(map: &mut HashMap<u64, usize>, key: u64) {
            if let Some(n) = map.get_mut(&key) {
                *n -= 1;
                if *n == 0 {
                    map.remove(&key);
                }
            }
        }
        let mut open = self.hub.open.lock().unwrap_or_else(|e| e.into_inner());
        let open = &mut *open;
        give_back(&mut open.per_user, self.user);
        give_back(&mut open.per_company, self.company);
        self.hub.gauge.dec();
    }
}

impl EventHub {
    pub fn new(settings: StreamSettings) -> EventHub {
        let (sender, _) = broadcast::channel(settings.buffer.max(16) * 4);
        let gauge = IntGauge::new(
            "services_event_streams_open",
            "Live-update streams (GET /api/v1/events) open on this instance",
        )
        .expect("a valid gauge");
        let replayed = IntCounter::new(
            "services_events_replayed_total",
            "Events replayed to streams that reconnected with Last-Event-ID",
        )
        .expect("a valid counter");
        EventHub {
            settings,
            sender,
            open: Arc::default(),
            gauge,
            replayed,
            closing: watch::Sender::new(false),
            kick: watch::Sender::new(0),
            wake: Arc::new(Notify::new()),
        }
    }

    /// The open-streams gauge, for the metrics registry.
    pub fn gauge(&self) -> IntGauge {
        self.gauge.clone()
    }

    /// The replayed-events counter, for the metrics registry.
    pub fn replayed(&self) -> IntCounter {
        self.replayed.clone()
    }

    /// Ends every open stream now; clients reconnect (the tests' stand-in for a dropped
    /// connection, through `/api/test/event-streams/disconnect`).
    pub fn disconnect_all(&self) {
        self.kick.send_modify(|n| *n += 1);
    }

    /// Changes when [`EventHub::disconnect_all`] is called.
    pub fn kicked(&self) -> watch::Receiver<u64> {
        self.kick.subscribe()
    }

    /// Takes a slot for a stream of `user` in `company`, unless either is at its limit.
    pub fn open_slot(&self, user: u64, company: u64) -> Result<Slot, SlotRefused> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let by_user = open.per_user.get(&user).copied().unwrap_or(0);
        if by_user >= self.settings.max_per_user {
            return Err(SlotRefused::User(self.settings.max_per_user));
        }
        let by_company = open.per_company.get(&company).copied().unwrap_or(0);
        if by_company >= self.settings.max_per_company {
            return Err(SlotRefused::Company(self.settings.max_per_company));
        }
        *open.per_user.entry(user).or_default() += 1;
        *open.per_company.entry(company).or_default() += 1;
        self.gauge.inc();
        Ok(Slot {
            hub: self.clone(),
            user,
            company,
        })
    }

    /// New events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StoredEvent>> {
        self.sender.subscribe()
    }

    /// Resolves when the server shuts down.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Ends every open stream (graceful shutdown: hyper waits for open responses).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Starts the reader of the `events` table (and, on PostgreSQL, its LISTEN).
    pub fn spawn(&self, db: Db) -> Vec<tokio::task::JoinHandle<()>> {
        let mut tasks = vec![tokio::spawn(read_events(db.clone(), self.clone()))];
        if let Db::Postgres(store) = &db {
            let pool = store.pool.clone();
            let wake = self.wake.clone();
            tasks.push(tokio::spawn(async move {
                loop {
                    let listening = async {
                        let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
                        listener.listen(CHANNEL).await?;
                        loop {
                            listener.recv().await?;
                            wake.notify_one();
                        }
                        #[allow(unreachable_code)]
                        Ok::<(), sqlx::Error>(())
                    };
                    if let Err(error) = listening.await {
                        tracing::warn!(%error, "lost the event notifications; listening again in a second");
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }));
        }
        tasks
    }
}

/// The cursor of the reader: everything up to `through` has been sent; `sent` holds ids above
/// it already sent (after a gap), `gap_since` when the oldest gap was first seen.
#[derive(Debug, Default)]
pub struct Cursor {
    pub through: u64,
    sent: BTreeSet<u64>,
    gap_since: Option<Instant>,
}

impl Cursor {
    pub fn new(through: u64) -> Cursor {
        Cursor {
            through,
            ..Cursor::default()
        }
    }

    /// Takes the events read after `through`; returns those not sent before, and moves over
    /// contiguous ids (and over a gap older than `gap_wait`).
    pub fn take(
        &mut self,
        read: Vec<StoredEvent>,
        now: Instant,
        gap_wait: Duration,
    ) -> Vec<StoredEvent> {
        let fresh: Vec<StoredEvent> = read
            .into_iter()
            .filter(|e| e.id > self.through && self.sent.insert(e.id))
            .collect();
        self.advance();
        if let Some(&first) = self.sent.first() {
            let since = *self.gap_since.get_or_insert(now);
            if now.duration_since(since) >= gap_wait {
                self.through = first - 1;
                self.advance();
                self.gap_since = (!self.sent.is_empty()).then_some(now);
            }
        } else {
            self.gap_since = None;
        }
        fresh
    }

    fn advance(&mut self) {
        while self.sent.remove(&(self.through + 1)) {
            self.through += 1;
        }
    }
}

async fn read_events(db: Db, hub: EventHub) {
    let mut cursor = loop {
        match events::bounds(&db).await {
            Ok((head, _)) => break Cursor::new(head),
            Err(error) => {
                tracing::warn!(%error, "could not read the events table; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    let mut closing = hub.closing();
    loop {
        match events::after(&db, cursor.through, BATCH).await {
            Ok(read) => {
                let full = read.len() as u32 == BATCH;
                let before = cursor.through;
                for event in cursor.take(read, Instant::now(), GAP_WAIT) {
                    // No receiver is not an error: no stream is open.
                    let _ = hub.sender.send(Arc::new(event));
                }
                // More to read, unless a gap holds the cursor (then wait as usual).
                if full && cursor.through > before {
                    continue;
                }
            }
            Err(error) => tracing::warn!(%error, "could not read new events"),
        }
        tokio::select! {
            () = hub.wake.notified() => {}
            () = tokio::time::sleep(POLL) => {}
            _ = closing.wait_for(|c| *c) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: u64) -> StoredEvent {
        StoredEvent {
            id,
            company_id: 1,
            kind: "service.changed".into(),
            group_id: 1,
            service_id: 1,
            run_id: None,
        }
    }

    fn ids(events: &[StoredEvent]) -> Vec<u64> {
        events.iter().map(|e| e.id).collect()
    }

    #[test]
    fn the_cursor_sends_each_event_once_and_waits_for_gaps() {
        let start = Instant::now();
        let wait = Duration::from_secs(5);
        let mut cursor = Cursor::new(9);
        // 11 committed before 10: sent at once, the cursor stays before the gap.
        assert_eq!(ids(&cursor.take(vec![event(11)], start, wait)), [11]);
        assert_eq!(cursor.through, 9);
        // Read again with 10 now there: only 10 is new, and the cursor moves over both.
        let later = start + Duration::from_secs(1);
        assert_eq!(
            ids(&cursor.take(vec![event(10), event(11)], later, wait)),
            [10]
        );
        assert_eq!(cursor.through, 11);
        // A gap that never fills (a rollback) is given up after the wait.
        assert_eq!(ids(&cursor.take(vec![event(13)], later, wait)), [13]);
        assert_eq!(cursor.through, 11);
        assert!(cursor
            .take(vec![event(13)], later + wait / 2, wait)
            .is_empty());
        assert_eq!(cursor.through, 11);
        assert!(cursor.take(vec![event(13)], later + wait, wait).is_empty());
        assert_eq!(cursor.through, 13);
    }

    #[test]
    fn slots_are_bounded_per_user_and_company_and_given_back() {
        let hub = EventHub::new(StreamSettings {
            max_per_user: 2,
            max_per_company: 3,
            ..StreamSettings::default()
        });
        let a = hub.open_slot(1, 1).unwrap();
        let _b = hub.open_slot(1, 1).unwrap();
        assert_eq!(hub.open_slot(1, 1).err(), Some(SlotRefused::User(2)));
        let _c = hub.open_slot(2, 1).unwrap();
        assert_eq!(hub.open_slot(3, 1).err(), Some(SlotRefused::Company(3)));
        assert!(hub.open_slot(4, 2).is_ok());
        assert_eq!(hub.gauge().get(), 3);
        drop(a);
        assert!(hub.open_slot(1, 1).is_ok());
    }
}
