//! Where an embedded app gets its bearer token: the host's `getToken` function, or the parent
//! window of an iframe answering a `postMessage`. Both are asked again when the server refuses
//! the token. The token is only ever held in memory.

use futures::channel::oneshot;
use futures::future::{select, Either};
use js_sys::{Function, Object, Promise, Reflect};
use services_model::embed::origin_allowed;
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The message an iframe sends its parent to ask for a token, and the type of the answer.
pub const TOKEN_REQUEST: &str = "patchworks:services-list:token-request";
pub const TOKEN_ANSWER: &str = "patchworks:services-list:token";

/// How long the host may take to answer before the app says the session has expired.
const ANSWER_WITHIN_MS: i32 = 15_000;

#[derive(Clone)]
pub enum TokenProvider {
    /// `getToken` from `mountServicesList`: returns a token, or a promise of one.
    Host(Function),
    /// The parent window, from one of these origins only.
    Parent(Rc<Vec<String>>),
}

impl TokenProvider {
    /// A fresh token, or why there is none (for the console of the host's developers; the user
    /// sees "Your session has expired").
    pub async fn token(&self) -> Result<String, String> {
        self.token_within(ANSWER_WITHIN_MS).await
    }

    /// [`TokenProvider::token`], giving up after `ms` milliseconds.
    pub async fn token_within(&self, ms: i32) -> Result<String, String> {
        let token = match self {
            TokenProvider::Host(get_token) => within_time(from_function(get_token), ms).await,
            TokenProvider::Parent(origins) => within_time(from_parent(origins), ms).await,
        }?;
        let token = token.trim().to_string();
        if token.is_empty() {
            Err("the host gave an empty token".into())
        } else {
            Ok(token)
        }
    }
}

async fn from_function(get_token: &Function) -> Result<String, String> {
    let value = get_token
        .call0(&JsValue::NULL)
        .map_err(|e| format!("getToken threw: {}", describe(&e)))?;
    // A plain string and a promise of one both work.
    let value = JsFuture::from(Promise::resolve(&value))
        .await
        .map_err(|e| format!("getToken's promise was rejected: {}", describe(&e)))?;
    value
        .as_string()
        .ok_or_else(|| "getToken did not give a string".into())
}

async fn from_parent(origins: &[String]) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let parent = window
        .parent()
        .ok()
        .flatten()
        .ok_or("the app is not in a frame")?;
    let (sender, answer) = oneshot::channel::<String>();
    let sender = RefCell::new(Some(sender));
    let allowed = origins.to_vec();
    let expected_source = JsValue::from(parent.clone());
    let listener =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if !origin_allowed(&ev.origin(), &allowed) {
                return;
            }
            if ev.source().map(JsValue::from) != Some(expected_source.clone()) {
                return;
            }
            if let Some(token) = token_in(&ev.data()) {
                if let Some(sender) = sender.borrow_mut().take() {
                    let _ = sender.send(token);
                }
            }
        });
    // Removed when this future ends, answered or not: also when the time limit drops it.
    let _listening = Listening::add(&window, "message", listener)?;
    let request = Object::new();
    let _ = Reflect::set(&request, &"type".into(), &TOKEN_REQUEST.into());
    // A target origin that is not the parent's drops the message, so only an allowed parent
    // ever learns that we asked.
    for origin in origins {
        let _ = parent.post_message(&request, origin);
    }
    answer
        .await
        .map_err(|_| "the parent did not answer".to_string())
}

/// An event listener on the window for as long as this value lives. Dropping the closure while
/// it is still registered would make every later event throw.
struct Listening {
    window: web_sys::Window,
    event: &'static str,
    listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Listening {
    fn add(
        window: &web_sys::Window,
        event: &'static str,
        listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
    ) -> Result<Listening, String> {
        window
            .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref())
            .map_err(|e| describe(&e))?;
        Ok(Listening {
            window: window.clone(),
            event,
            listener,
        })
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self.window.remove_event_listener_with_callback(
            self.event,
            self.listener.as_ref().unchecked_ref(),
        );
    }
}

fn token_in(data: &JsValue) -> Option<String> {
    let kind = Reflect::get(data, &"type".into()).ok()?.as_string()?;
    if kind != TOKEN_ANSWER {
        return None;
    }
    Reflect::get(data, &"token".into()).ok()?.as_string()
}

/// Gives up after `ms` milliseconds, and clears its timer either way.
async fn within_time(
    work: impl Future<Output = Result<String, String>>,
    ms: i32,
) -> Result<String, String> {
    let (timer, handle) = sleep(ms);
    let result = match select(Box::pin(work), Box::pin(timer)).await {
        Either::Left((result, _)) => result,
        Either::Right(_) => Err("the host did not answer in time".into()),
    };
    if let (Some(window), Some(handle)) = (web_sys::window(), handle) {
        window.clear_timeout_with_handle(handle);
    }
    result
}

fn sleep(ms: i32) -> (JsFuture, Option<i32>) {
    let handle = Rc::new(RefCell::new(None));
    let slot = handle.clone();
    let promise = Promise::new(&mut |resolve, _| {
        *slot.borrow_mut() = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .ok()
        });
    });
    let id = *handle.borrow();
    (JsFuture::from(promise), id)
}

fn describe(value: &JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            value
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "unknown error".into())
}
