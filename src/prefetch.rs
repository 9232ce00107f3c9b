//! Requests the loader started while the wasm was still loading. `embed.js` asks the host for
//! the first token as soon as `mountServicesList` is called and sends the first GETs the list
//! makes (the user, the company groups and, when the URL names a group, its lean view) with it;
//! the app then takes those answers instead of asking again, so the network works while the
//! wasm compiles. Each answer is used once, and only by a request for the same URL with the same
//! token; anything else goes to the network as usual.

use js_sys::{Map, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// A promise of `{ token, answers: Map<url, Promise<Response>> }` (or `null`).
    static PENDING: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Keeps the loader's `prefetched` option (anything but a promise is ignored).
pub fn set(prefetched: JsValue) {
    let promise = prefetched.dyn_into::<Promise>().ok();
    PENDING.with(|p| *p.borrow_mut() = promise);
}

pub fn clear() {
    PENDING.with(|p| p.borrow_mut().take());
}

/// The loader's answer to `GET url` sent with `token`, if it made that request.
pub async fn take(url: &str, token: &str) -> Option<gloo_net::http::Response> {
    let pending = PENDING.with(|p| p.borrow().clone())?;
    let batch = JsFuture::from(pending).await.ok()?;
    let sent_with = Reflect::get(&batch, &"token".into()).ok()?.as_string();
    let answers = Reflect::get(&batch, &"answers".into())
        .ok()
        .and_then(|a| a.dyn_into::<Map>().ok());
    let (Some(sent_with), Some(answers)) = (sent_with, answers) else {
        clear();
        return None;
    };
    if sent_with != token {
        return None;
    }
    let key = JsValue::from_str(url);
    let answer = answers.get(&key).dyn_into::<Promise>().ok()?;
    answers.delete(&key);
    if answers.size() == 0 {
        clear();
    }
    let response = JsFuture::from(answer).await.ok()?;
    let raw: web_sys::Response = response.dyn_into().ok()?;
    Some(gloo_net::http::Response::from(raw))
}
