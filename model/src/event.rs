//! Live updates: the events `GET /api/v1/events` streams (server-sent events), and the parser of
//! that stream the SPA reads with `fetch` (plain Rust, so it is tested without a browser).

use serde::{Deserialize, Serialize};

/// What changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    #[serde(rename = "service.created")]
    ServiceCreated,
    #[serde(rename = "service.changed")]
    ServiceChanged,
    #[serde(rename = "service.removed")]
    ServiceRemoved,
    #[serde(rename = "run.queued")]
    RunQueued,
    #[serde(rename = "run.started")]
    RunStarted,
    #[serde(rename = "run.finished")]
    RunFinished,
    /// New log lines of a live run.
    #[serde(rename = "run.log")]
    RunLog,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::ServiceCreated,
        EventKind::ServiceChanged,
        EventKind::ServiceRemoved,
        EventKind::RunQueued,
        EventKind::RunStarted,
        EventKind::RunFinished,
        EventKind::RunLog,
    ];

    /// The SSE `event:` name (as in the JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ServiceCreated => "service.created",
            EventKind::ServiceChanged => "service.changed",
            EventKind::ServiceRemoved => "service.removed",
            EventKind::RunQueued => "run.queued",
            EventKind::RunStarted => "run.started",
            EventKind::RunFinished => "run.finished",
            EventKind::RunLog => "run.log",
        }
    }

    pub fn parse(text: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn is_run(self) -> bool {
        matches!(
            self,
            EventKind::RunQueued
                | EventKind::RunStarted
                | EventKind::RunFinished
                | EventKind::RunLog
        )
    }
}

/// One change of the caller's company: the `data` of an SSE message whose `event` is the kind
/// and whose `id` is `id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveEvent {
    /// Increases with every event of the database (send it back as `Last-Event-ID`).
    pub id: u64,
    pub kind: EventKind,
    pub group_id: u64,
    pub service_id: u64,
    /// For run events.
    pub run_id: Option<u64>,
}

/// The `data` of the `reset` message: the stream cannot replay what the client missed (its
/// `Last-Event-ID` is older than the events kept, or unknown here); reload everything. Its SSE
/// `id` is where the stream continues from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreamReset {
    pub reason: String,
}

/// The SSE `event` names besides the [`EventKind`]s.
pub const READY: &str = "ready";
pub const RESET: &str = "reset";

/// One message of an event stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseMessage {
    /// `None` when the message set no id (the last id stays).
    pub id: Option<String>,
    /// `message` when unnamed.
    pub event: String,
    pub data: String,
}

/// What a stream delivered, for the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamItem {
    /// Connected; live from here.
    Ready,
    Event(LiveEvent),
    /// Reload everything: events were missed.
    Reset,
}

impl SseMessage {
    /// The message as the client uses it, its JSON read by `decode` (this crate has no JSON
    /// parser: the SPA brings its own); `None` for what it does not know (ignored, as the SSE
    /// rules ask).
    pub fn item(&self, decode: impl FnOnce(&str) -> Option<LiveEvent>) -> Option<StreamItem> {
        match self.event.as_str() {
            READY => Some(StreamItem::Ready),
            RESET => Some(StreamItem::Reset),
            name => {
                let kind = EventKind::parse(name)?;
                decode(&self.data)
                    .filter(|e| e.kind == kind)
                    .map(StreamItem::Event)
            }
        }
    }
}

/// Reads `text/event-stream` as it arrives in chunks (the WHATWG rules: lines end in LF, CR or
/// CRLF; `:` starts a comment; a blank line ends a message; one leading space after the colon
/// is dropped; an `id` with NUL is ignored).
#[derive(Debug, Default)]
pub struct SseParser {
    pending: Vec<u8>,
    /// The last `id` the stream set, kept across messages (sent back as `Last-Event-ID`).
    pub last_id: Option<String>,
    /// `retry:` in milliseconds, when the server set one.
    pub retry_ms: Option<u64>,
    event: String,
    data: Vec<String>,
    id: Option<String>,
    skip_lf: bool,
}

impl SseParser {
    pub fn new(last_id: Option<String>) -> SseParser {
        SseParser {
            last_id,
            ..SseParser::default()
        }
    }

    /// Takes a chunk of bytes; returns the messages it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseMessage> {
        let mut done = Vec::new();
        for &byte in chunk {
            if self.skip_lf {
                self.skip_lf = false;
                if byte == b'\n' {
                    continue;
                }
            }
            match byte {
                b'\n' | b'\r' => {
                    self.skip_lf = byte == b'\r';
                    let line = std::mem::take(&mut self.pending);
                    let line = String::from_utf8_lossy(&line).into_owned();
                    if let Some(message) = self.line(&line) {
                        done.push(message);
                    }
                }
                _ => self.pending.push(byte),
            }
        }
        done
    }

    fn line(&mut self, line: &str) -> Option<SseMessage> {
        if line.is_empty() {
            let id = self.id.take();
            if let Some(id) = &id {
                self.last_id = Some(id.clone());
            }
            let event = std::mem::take(&mut self.event);
            if self.data.is_empty() {
                return None;
            }
            let data = std::mem::take(&mut self.data).join("\n");
            return Some(SseMessage {
                id,
                event: if event.is_empty() {
                    "message".into()
                } else {
                    event
                },
                data,
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = value.to_string(),
            "data" => self.data.push(value.to_string()),
            "id" if !value.contains('\0') => self.id = Some(value.to_string()),
            "retry" => {
                if let Ok(ms) = value.parse() {
                    self.retry_ms = Some(ms);
                }
            }
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(data: &str) -> Option<LiveEvent> {
        serde_json::from_str(data).ok()
    }

    #[test]
    fn messages_split_across_chunks_and_line_ends_parse() {
        let mut parser = SseParser::new(None);
        let text = "retry: 3000\n: keep-alive\n\nid: 7\nevent: service.changed\ndata: {\"id\":7,\"kind\":\"service.changed\",\"group_id\":1,\"service_id\":2001,\"run_id\":null}\r\n\r\nevent: ready\ndata:\r\rdata: a\ndata:b\n\n";
        let mut messages = Vec::new();
        for chunk in text.as_bytes().chunks(5) {
            messages.extend(parser.push(chunk));
        }
        assert_eq!(parser.retry_ms, Some(3000));
        assert_eq!(messages.len(), 3);
        assert_eq!(messages[0].id.as_deref(), Some("7"));
        assert_eq!(
            messages[0].item(json),
            Some(StreamItem::Event(LiveEvent {
                id: 7,
                kind: EventKind::ServiceChanged,
                group_id: 1,
                service_id: 2001,
                run_id: None,
            }))
        );
        assert_eq!(messages[1].item(json), Some(StreamItem::Ready));
        assert_eq!(messages[1].data, "");
        assert_eq!(messages[2].event, "message");
        assert_eq!(messages[2].data, "a\nb");
        assert_eq!(messages[2].item(json), None);
        assert_eq!(parser.last_id.as_deref(), Some("7"));
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(EventKind::parse("run.exploded"), None);
    }
}
