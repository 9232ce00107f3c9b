//! A client of `GET /api/v1/events` for the tests: reads the stream as it arrives and parses it
//! with the SPA's parser (`services_model::SseParser`).

use services_model::{LiveEvent, SseMessage, SseParser, StreamItem};
use std::collections::VecDeque;
use std::time::Duration;

pub struct EventStream {
    pub response: reqwest::Response,
    parser: SseParser,
    queued: VecDeque<SseMessage>,
    /// Everything read, as text (heartbeat comments included).
    pub raw: String,
}

/// Opens the stream at `base` with `token` (and `Last-Event-ID` when given); the response as it
/// came, for the tests of refusals.
pub async fn open_raw(base: &str, token: Option<&str>, last_id: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!("{base}/api/v1/events"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(id) = last_id {
        request = request.header("Last-Event-ID", id);
    }
    request.send().await.expect("the server answers")
}

impl EventStream {
    /// Opens the stream and reads up to its `ready` message.
    pub async fn open(base: &str, token: &str, last_id: Option<&str>) -> EventStream {
        let response = open_raw(base, Some(token), last_id).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        let mut stream = EventStream {
            response,
            parser: SseParser::new(last_id.map(String::from)),
            queued: VecDeque::new(),
            raw: String::new(),
        };
        let first = stream.next(Duration::from_secs(10)).await.expect("ready");
        assert_eq!(first.event, "ready", "{first:?}");
        stream
    }

    /// The last id the stream set.
    pub fn last_id(&self) -> Option<String> {
        self.parser.last_id.clone()
    }

    /// The next message, or `None` when none comes within `wait` or the stream ended.
    pub async fn next(&mut self, wait: Duration) -> Option<SseMessage> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(message) = self.queued.pop_front() {
                return Some(message);
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .ok()??;
            self.raw.push_str(&String::from_utf8_lossy(&chunk));
            self.queued.extend(self.parser.push(&chunk));
        }
    }

    /// The next item (event, reset) within `wait`.
    pub async fn item(&mut self, wait: Duration) -> Option<StreamItem> {
        let message = self.next(wait).await?;
        message.item(|data| serde_json::from_str(data).ok())
    }

    /// The next change event within `wait`, skipping nothing: panics on anything else.
    pub async fn event(&mut self, wait: Duration) -> LiveEvent {
        match self.item(wait).await {
            Some(StreamItem::Event(event)) => event,
            other => panic!("expected an event, got {other:?}"),
        }
    }

    /// Events until one matches `wanted` (within `wait` in all); every event read, in order.
    pub async fn until(
        &mut self,
        wait: Duration,
        wanted: impl Fn(&LiveEvent) -> bool,
    ) -> Vec<LiveEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.item(left).await {
                Some(StreamItem::Event(event)) => {
                    let done = wanted(&event);
                    seen.push(event);
                    if done {
                        return seen;
                    }
                }
                Some(_) => {}
                None => panic!("the wanted event did not come; saw {seen:?}"),
            }
        }
    }
}
