//! Browser tests of the list components: search, filters, and the actions menu.

use leptos::prelude::*;
use leptos::task::tick;
use services_list::session::Session;
use services_list::state::RowContext;
use services_list::store::RowHandle;
use services_list::store::ServicesStore;
use services_list::{MenuAction, ServiceCards, ServicesList, Toasts};
use services_model::{
    CompanyGroup, Endpoint, Facets, ListQuery, Role, Service, ServiceList, ServiceSummary,
    ServiceType, SortKey, Status, Trigger,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> (Element, impl Drop) {
    let container = document().create_element("section").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone().unchecked_into(), view);
    (container, handle)
}

fn service(
    id: u64,
    name: &str,
    kind: ServiceType,
    status: Status,
    system: &str,
    entity: &str,
) -> ServiceSummary {
    ServiceSummary {
        service: Service {
            id,
            group_id: 1,
            name: name.into(),
            service_type: kind,
            status,
            source: Endpoint::new(system, entity),
            destination: Endpoint::new("NetSuite", "sales orders"),
            trigger: Trigger::Schedule {
                cron: "*/15 * * * *".into(),
            },
            alerts_enabled: id.is_multiple_of(2),
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
            health: Default::default(),
        },
        last_run: None,
        next_run_at: None,
    }
}

fn sample() -> Vec<ServiceSummary> {
    use ServiceType::*;
    use Status::*;
    vec![
        service(
            2001,
            "Shopify orders to NetSuite",
            Standard,
            Active,
            "Shopify",
            "orders",
        ),
        service(
            2002,
            "Stock levels ÄRGER",
            Standard,
            Inactive,
            "Peoplevox",
            "stock",
        ),
        service(
            2003,
            "Sweep failed refunds",
            Sweeper,
            Active,
            "Shopify",
            "refunds",
        ),
        service(
            3104,
            "Products nightly",
            Standard,
            Active,
            "Brightpearl",
            "products",
        ),
    ]
}

fn texts(root: &Element, css: &str) -> Vec<String> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap())
        .collect()
}

fn element(root: &Element, css: &str) -> HtmlElement {
    root.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("no {css}"))
        .unchecked_into()
}

fn press(target: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// A store with no server behind it, in context (with the session and toasts it needs).
fn provide_store() -> ServicesStore {
    let session = Session::default();
    let toasts = Toasts::new();
    provide_context(session);
    provide_context(toasts);
    let store = ServicesStore::new(session, toasts);
    provide_context(store);
    provide_context(RowContext::new(Signal::stored(Role::Admin)));
    store
}

/// Group 1's services as a load gives them to the store.
fn group_list(items: Vec<ServiceSummary>) -> ServiceList {
    ServiceList {
        group: CompanyGroup {
            id: 1,
            name: "Retail UK".into(),
        },
        total: items.len(),
        facets: Facets::default(),
        items,
    }
}

/// The list of group 1 with its data, a query signal it drives, and the store.
fn mount_list() -> (Element, impl Drop, RwSignal<ListQuery>, ServicesStore) {
    let query = RwSignal::new(ListQuery::default());
    let store = RwSignal::new_local(None::<ServicesStore>);
    let (root, handle) = mount(move || {
        let s = provide_store();
        s.receive(group_list(sample()));
        store.set(Some(s));
        view! {
            <ServicesList
                group=Signal::stored(Some(1u64))
                query=query
                on_query=move |(q, _replace): (ListQuery, bool)| query.set(q)
                group_name="Retail UK"
                on_action=|_| {}
                on_open=|_| {}
                on_retry=|_| {}
            />
        }
    });
    (root, handle, query, store.get_untracked().unwrap())
}

fn row_ids(root: &Element) -> Vec<String> {
    texts(root, "span.id")
}

async fn type_search(root: &Element, text: &str) {
    let input: HtmlInputElement = element(root, "input[type=search]").unchecked_into();
    input.set_value(text);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    tick().await;
}

#[wasm_bindgen_test]
async fn search_narrows_by_id_type_and_name_case_insensitively() {
    let (root, _h, query, _) = mount_list();
    tick().await;
    assert_eq!(row_ids(&root), vec!["2001", "2002", "2003", "3104"]);
    assert_eq!(texts(&root, "p.count"), vec!["4 services"]);

    type_search(&root, "SHOPIFY").await;
    assert_eq!(row_ids(&root), vec!["2001"], "name, any case");
    assert_eq!(texts(&root, "p.count"), vec!["1 of 4 services"]);
    assert_eq!(
        texts(&root, "mark"),
        vec!["Shopify"],
        "the match is highlighted"
    );

    type_search(&root, "ärger").await;
    assert_eq!(row_ids(&root), vec!["2002"], "Unicode-aware");
    type_search(&root, "sweeper").await;
    assert_eq!(row_ids(&root), vec!["2003"], "type");
    type_search(&root, "310").await;
    assert_eq!(row_ids(&root), vec!["3104"], "id");
    assert_eq!(texts(&root, "span.id mark"), vec!["310"]);

    type_search(&root, "nothing like it").await;
    assert!(row_ids(&root).is_empty());
    assert!(root
        .text_content()
        .unwrap()
        .contains("No services match “nothing like it”."));
    element(&root, "div.empty button").click();
    tick().await;
    assert_eq!(row_ids(&root).len(), 4, "Clear search and filters");

    type_search(&root, "orders").await;
    let input = element(&root, "input[type=search]");
    press(&input, "Escape");
    tick().await;
    assert_eq!(query.get_untracked().search, "", "Esc clears");
    assert_eq!(row_ids(&root).len(), 4);
}

#[wasm_bindgen_test]
async fn slash_focuses_the_search_from_anywhere() {
    let (root, _h, _query, _) = mount_list();
    tick().await;
    let body = document().body().unwrap();
    body.focus().ok();
    press(&body, "/");
    let focused = document().active_element().unwrap();
    assert_eq!(focused.get_attribute("type").as_deref(), Some("search"));
    drop(root);
}

#[wasm_bindgen_test]
async fn filters_show_counts_chips_and_clear() {
    let (root, _h, query, _) = mount_list();
    tick().await;
    let toggle = element(&root, "button[aria-controls=filter-panel]");
    assert_eq!(toggle.text_content().unwrap(), "Filters");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(element(&root, "#filter-panel").has_attribute("hidden"));
    toggle.click();
    tick().await;
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert!(!element(&root, "#filter-panel").has_attribute("hidden"));
    let labels = texts(&root, "#filter-panel label");
    assert!(labels.contains(&"Active(3)".to_string()), "{labels:?}");
    assert!(labels.contains(&"Inactive(1)".to_string()), "{labels:?}");
    assert!(labels.contains(&"Shopify(2)".to_string()), "{labels:?}");

    // Tick "Shopify": the status counts follow it; the system counts don't.
    let shopify = root.query_selector_all("#filter-panel label").unwrap();
    let shopify: HtmlElement = (0..shopify.length())
        .map(|i| shopify.item(i).unwrap().unchecked_into::<HtmlElement>())
        .find(|l| l.text_content().unwrap().starts_with("Shopify"))
        .unwrap();
    shopify
        .query_selector("input")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    tick().await;
    assert_eq!(row_ids(&root), vec!["2001", "2003"]);
    let labels = texts(&root, "#filter-panel label");
    assert!(
        labels.contains(&"Active(2)".to_string()) && labels.contains(&"Inactive(0)".to_string()),
        "{labels:?}"
    );
    assert!(labels.contains(&"Peoplevox(1)".to_string()), "{labels:?}");
    assert_eq!(toggle.text_content().unwrap(), "Filters (1 active)");
    assert_eq!(
        texts(&root, "ul.chips button"),
        vec!["Source system: Shopify ×"]
    );
    assert_eq!(
        element(&root, "ul.chips button")
            .get_attribute("aria-label")
            .as_deref(),
        Some("Remove filter: Source system = Shopify")
    );
    assert_eq!(texts(&root, "p.count"), vec!["2 of 4 services"]);

    // The search narrows the counts too.
    type_search(&root, "refunds").await;
    let labels = texts(&root, "#filter-panel label");
    assert!(labels.contains(&"Active(1)".to_string()), "{labels:?}");

    element(&root, "ul.chips button").click();
    tick().await;
    assert!(
        query.get_untracked().active_filters().is_empty(),
        "the chip removed its filter"
    );
    assert_eq!(row_ids(&root), vec!["2003"]);
    press(&element(&root, "#filter-panel"), "Escape");
    tick().await;
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false"),
        "Esc closes the panel"
    );
    assert_eq!(
        document().active_element().unwrap().text_content().unwrap(),
        "Filters",
        "focus returns"
    );
}

fn mount_menu(
    role: Role,
    status: Status,
) -> (Element, impl Drop, RwSignal<Vec<(MenuAction, u64)>>) {
    let chosen = RwSignal::new(Vec::new());
    let (root, handle) = mount(move || {
        provide_context(RowContext::new(Signal::stored(role)));
        let s = service(
            2001,
            "Shopify orders to NetSuite",
            ServiceType::Standard,
            status,
            "Shopify",
            "orders",
        );
        // A card's menu button: HTML in the card, its events handled by the card list.
        view! {
            <ServiceCards
                rows=Signal::stored(vec![RowHandle::new(s)])
                query=Signal::stored(ListQuery::default())
                on_query=|_| {}
                terms=Signal::stored(Vec::<String>::new())
                on_action=move |a| chosen.update(|c| c.push(a))
                on_open=|_| {}
                caption="Services"
            />
        }
    });
    (root, handle, chosen)
}

/// Lets the list's menu mount (an effect) and take focus (the menu's own effect).
async fn settle() {
    tick().await;
    tick().await;
}

fn focused_item() -> String {
    let el = document().active_element().unwrap();
    assert_eq!(
        el.get_attribute("role").as_deref(),
        Some("menuitem"),
        "focus is on a menu item"
    );
    el.text_content().unwrap()
}

#[wasm_bindgen_test]
async fn actions_menu_follows_the_menu_button_keyboard_contract() {
    let (root, _h, chosen) = mount_menu(Role::Admin, Status::Active);
    settle().await;
    let button = element(&root, "button[aria-haspopup=menu]");
    assert_eq!(
        button.get_attribute("aria-label").as_deref(),
        Some("Actions for Shopify orders to NetSuite (ID 2001)")
    );
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(root.query_selector("[role=menu]").unwrap().is_none());

    press(&button, "ArrowDown");
    settle().await;
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let menu = element(&root, "[role=menu]");
    assert_eq!(button.get_attribute("aria-controls"), Some(menu.id()));
    assert_eq!(
        texts(&root, "[role=menuitem]"),
        vec![
            "View logs",
            "Run manually",
            "Clone",
            "Deactivate",
            "Alert settings",
            "Remove…"
        ]
    );
    assert_eq!(
        root.query_selector_all("[role=separator]")
            .unwrap()
            .length(),
        1
    );
    assert_eq!(focused_item(), "View logs");
    press(&menu, "ArrowUp");
    settle().await;
    assert_eq!(focused_item(), "Remove…", "wraps to the last");
    press(&menu, "ArrowDown");
    settle().await;
    assert_eq!(focused_item(), "View logs", "wraps to the first");
    press(&menu, "End");
    settle().await;
    assert_eq!(focused_item(), "Remove…");
    press(&menu, "Home");
    settle().await;
    press(&menu, "c");
    settle().await;
    assert_eq!(focused_item(), "Clone", "a letter jumps");
    press(&menu, "Escape");
    settle().await;
    assert!(
        root.query_selector("[role=menu]").unwrap().is_none(),
        "Esc closes"
    );
    assert_eq!(
        document().active_element().unwrap(),
        button.clone().unchecked_into::<Element>(),
        "focus returns"
    );

    press(&button, "ArrowUp");
    settle().await;
    assert_eq!(focused_item(), "Remove…", "↑ opens at the last item");
    press(&element(&root, "[role=menu]"), "Tab");
    settle().await;
    assert!(
        root.query_selector("[role=menu]").unwrap().is_none(),
        "Tab closes"
    );
    assert_eq!(
        document().active_element().unwrap(),
        button.clone().unchecked_into::<Element>()
    );

    button.click();
    settle().await;
    assert_eq!(
        focused_item(),
        "View logs",
        "a click opens at the first item"
    );
    press(&element(&root, "[role=menu]"), "Enter");
    settle().await;
    assert_eq!(chosen.get_untracked(), vec![(MenuAction::ViewLogs, 2001)]);
    assert!(
        root.query_selector("[role=menu]").unwrap().is_none(),
        "choosing closes"
    );
}

#[wasm_bindgen_test]
async fn actions_the_role_or_state_forbids_are_disabled_with_a_reason() {
    let (root, _h, chosen) = mount_menu(Role::Admin, Status::Inactive);
    settle().await;
    element(&root, "button[aria-haspopup=menu]").click();
    settle().await;
    let items = root.query_selector_all("[role=menuitem]").unwrap();
    let run: HtmlElement = items.item(1).unwrap().unchecked_into();
    assert_eq!(run.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert!(run
        .text_content()
        .unwrap()
        .contains("Only active services can run"));
    assert_eq!(
        texts(&root, "[role=menuitem]")[3],
        "Activate",
        "inactive services offer Activate"
    );
    run.click();
    settle().await;
    assert!(
        chosen.get_untracked().is_empty(),
        "a disabled item does nothing"
    );
    drop(root);

    let (root, _h, chosen) = mount_menu(Role::ReadOnly, Status::Active);
    settle().await;
    element(&root, "button[aria-haspopup=menu]").click();
    settle().await;
    let items = texts(&root, "[role=menuitem]");
    let disabled = texts(&root, "[role=menuitem][aria-disabled=true]");
    assert_eq!(disabled.len(), 4, "{items:?}");
    assert!(
        disabled
            .iter()
            .all(|d| d.contains("Your role (read-only) can only view services")),
        "{disabled:?}"
    );
    assert!(
        items[0] == "View logs" && items[4] == "Alert settings",
        "viewing stays allowed"
    );
    let menu = element(&root, "[role=menu]");
    press(&menu, "Enter");
    settle().await;
    assert_eq!(chosen.get_untracked(), vec![(MenuAction::ViewLogs, 2001)]);
}

#[wasm_bindgen_test]
async fn an_empty_group_says_so_and_loading_shows_skeleton_rows() {
    let store = RwSignal::new_local(None::<ServicesStore>);
    let (root, _h) = mount(move || {
        store.set(Some(provide_store()));
        view! {
            <ServicesList
                group=Signal::stored(Some(1u64))
                query=Signal::stored(ListQuery::default())
                on_query=|_| {}
                group_name="Empty"
                on_action=|_| {}
                on_open=|_| {}
                on_retry=|_| {}
            />
        }
    });
    tick().await;
    assert_eq!(texts(&root, "p.count"), vec!["Loading services…"]);
    assert_eq!(
        root.query_selector_all("div.skeleton div.bar")
            .unwrap()
            .length(),
        6
    );
    store
        .get_untracked()
        .unwrap()
        .receive(group_list(Vec::new()));
    tick().await;
    assert!(root
        .text_content()
        .unwrap()
        .contains("No services in this group yet."));
    assert_eq!(texts(&root, "p.count"), vec!["0 services"]);
    assert!(root.query_selector("div.skeleton").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_changed_service_updates_its_row_in_place() {
    let (root, _h, query, store) = mount_list();
    tick().await;
    // Rows are table rows or cards, depending on the test window's width.
    let first: Element = root.query_selector("[data-row-id]").unwrap().unwrap();
    let link: HtmlElement = first
        .query_selector("a.name")
        .unwrap()
        .unwrap()
        .unchecked_into();
    link.focus().unwrap();
    assert!(first.text_content().unwrap().contains("●Active"));

    // The server's answer to a reload says 2001 is inactive now and renamed.
    let mut items = sample();
    items[0].service.status = Status::Inactive;
    items[0].service.name = "Shopify orders (paused)".into();
    store.receive(group_list(items));
    tick().await;
    let now: Element = root.query_selector("[data-row-id]").unwrap().unwrap();
    assert!(now.is_same_node(Some(&first)), "the same row element");
    let text = now.text_content().unwrap();
    assert!(
        text.contains("○Inactive") && text.contains("Shopify orders (paused)"),
        "{text}"
    );
    assert_eq!(
        document().active_element().unwrap(),
        link.clone().unchecked_into::<Element>(),
        "focus stays on its link"
    );

    // Sorting and typing move rows, never rebuild them.
    query.update(|q| *q = q.sorted_by(SortKey::Id));
    tick().await;
    assert_eq!(row_ids(&root), vec!["3104", "2003", "2002", "2001"]);
    let moved = root
        .query_selector("[data-row-id='2001']")
        .unwrap()
        .unwrap();
    assert!(moved.is_same_node(Some(&first)), "2001's row, moved");
    type_search(&root, "2001").await;
    assert_eq!(row_ids(&root), vec!["2001"]);
    assert!(root
        .query_selector("[data-row-id]")
        .unwrap()
        .unwrap()
        .is_same_node(Some(&first)));
}

/// Waits (up to 2 s, a frame at a time) until `done` holds; whether it did.
async fn wait_until(done: impl Fn() -> bool) -> bool {
    for _ in 0..120 {
        if done() {
            return true;
        }
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            window().request_animation_frame(&resolve).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
    done()
}

fn counts_shown(root: &Element) -> Vec<String> {
    texts(root, "#filter-panel span.count")
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect()
}

#[wasm_bindgen_test]
async fn the_rows_come_first_and_the_filter_counts_right_after_them_never_wrong() {
    let (root, _h, _query, _) = mount_list();
    tick().await;
    assert_eq!(row_ids(&root).len(), 4, "the rows are drawn");
    let panel = element(&root, "#filter-panel");
    assert_eq!(
        panel.get_attribute("aria-busy").as_deref(),
        Some("true"),
        "the counts are not made yet: the panel says it is busy"
    );
    assert!(
        counts_shown(&root).is_empty(),
        "no count before it is made: {:?}",
        counts_shown(&root)
    );
    // Once the rows have been painted, the counts follow, with the panel still closed.
    assert!(
        wait_until(|| panel.get_attribute("aria-busy").is_none()).await,
        "the counts are made after the first paint"
    );
    let labels = texts(&root, "#filter-panel label");
    assert!(labels.contains(&"Active(3)".to_string()), "{labels:?}");
    assert!(labels.contains(&"Shopify(2)".to_string()), "{labels:?}");
    assert!(panel.has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn opening_the_filters_before_the_first_paint_counts_at_once() {
    let (root, _h, _query, _) = mount_list();
    tick().await;
    let panel = element(&root, "#filter-panel");
    assert_eq!(panel.get_attribute("aria-busy").as_deref(), Some("true"));
    element(&root, "button[aria-controls=filter-panel]").click();
    tick().await;
    assert!(!panel.has_attribute("hidden"));
    assert_eq!(panel.get_attribute("aria-busy"), None);
    let labels = texts(&root, "#filter-panel label");
    assert!(labels.contains(&"Inactive(1)".to_string()), "{labels:?}");
    assert!(
        labels.contains(&"Last run failed(0)".to_string()),
        "{labels:?}"
    );
}
