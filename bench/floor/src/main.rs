//! The least a Leptos app needs to do the plain-JS baseline's work (bench/plain/plain.js, without
//! its extra columns): fetch a group, search every word in id/type/name, count by status, sort by
//! name, show pages of 50 keyed rows with highlights, and a second route. Only built to be weighed.
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_params_map;
use leptos_router::path;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct Service {
    id: u64,
    name: String,
    service_type: String,
    status: String,
    source_system: String,
    destination_system: String,
    schedule: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
struct Page {
    services: Vec<Service>,
}

async fn fetch_group(group: u32) -> Result<Vec<Service>, String> {
    let url = format!("/api/v1/company-groups/{group}/services?limit=1000");
    let response = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    response
        .json::<Page>()
        .await
        .map(|p| p.services)
        .map_err(|e| e.to_string())
}

fn matches(service: &Service, words: &[String]) -> bool {
    let name = service.name.to_lowercase();
    let id = service.id.to_string();
    words
        .iter()
        .all(|w| name.contains(w) || id.contains(w) || service.service_type.contains(w))
}

#[component]
fn Highlight(text: String, words: Vec<String>) -> impl IntoView {
    let lower = text.to_lowercase();
    let hit = words
        .iter()
        .find_map(|w| lower.find(w).map(|at| (at, w.len())));
    match hit {
        Some((at, len)) if text.is_char_boundary(at) && text.is_char_boundary(at + len) => view! {
            <span>{text[..at].to_string()}<mark>{text[at..at + len].to_string()}</mark>{text[at + len..].to_string()}</span>
        }
        .into_any(),
        _ => view! { <span>{text}</span> }.into_any(),
    }
}

#[component]
fn ServicesList() -> impl IntoView {
    let group = LocalResource::new(|| fetch_group(1));
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let words = Memo::new(move |_| {
        search
            .get()
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    });
    let matching = Memo::new(move |_| {
        let words = words.get();
        let mut found: Vec<Service> = group
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|s| matches(s, &words))
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    });
    let active = move || matching.with(|m| m.iter().filter(|s| s.status == "active").count());
    let rows = move || {
        matching.with(|m| {
            m.iter()
                .skip(page.get() * 50)
                .take(50)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <input type="search" aria-label="Search" prop:value=search
            on:input=move |ev| { search.set(event_target_value(&ev)); page.set(0); } />
        <p>{move || matching.with(Vec::len)} " services, " {active} " active"</p>
        <table>
            <tbody>
                <For each=rows key=|s| s.id let:service>
                    <tr>
                        <td>{service.source_system.clone()}</td>
                        <td><A href=format!("/service/{}", service.id)>{service.id}</A></td>
                        <td>{service.status.clone()}</td>
                        <td>{service.service_type.clone()}</td>
                        <td><Highlight text=service.name.clone() words=words.get_untracked() /></td>
                        <td>{service.destination_system.clone()}</td>
                        <td>{service.schedule.clone().unwrap_or_else(|| "webhook".into())}</td>
                    </tr>
                </For>
            </tbody>
        </table>
        <button on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
        <button on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
    }
}

#[component]
fn ServiceDetail() -> impl IntoView {
    let params = use_params_map();
    view! { <h1>"Service " {move || params.with(|p| p.get("id").unwrap_or_default())}</h1> }
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| "Not found">
                <Route path=path!("/") view=ServicesList />
                <Route path=path!("/service/:id") view=ServiceDetail />
            </Routes>
        </Router>
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
