//! Browser tests: components mounted in headless Chromium by wasm-bindgen-test.

use leptos::prelude::*;
use leptos::task::tick;
use services_list::api::DemoUser;
use services_list::host_token::{TokenProvider, TOKEN_ANSWER};
use services_list::state::RowContext;
use services_list::store::{BulkSelection, RowHandle};
use services_list::{
    DemoUserList, GroupTabs, LoadError, MenuAction, ServiceCards, ServiceTable, ToastRegion, Toasts,
};
use services_model::{
    Company, CompanyGroup, Endpoint, GroupSummary, ListQuery, Me, Role, Service, ServiceSummary,
    ServiceType, Status, Trigger,
};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in the page; the returned handle keeps the view mounted.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> (Element, impl Drop) {
    let container = document().create_element("section").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone().unchecked_into(), view);
    (container, handle)
}

fn groups() -> Vec<GroupSummary> {
    [
        (1, "Retail UK", 64),
        (2, "Retail EU", 52),
        (3, "Wholesale", 34),
    ]
    .into_iter()
    .map(|(id, name, count)| GroupSummary {
        group: CompanyGroup {
            id,
            name: name.into(),
        },
        service_count: count,
    })
    .collect()
}

fn tabs(root: &Element) -> Vec<HtmlElement> {
    let list = root.query_selector_all("[role=tab]").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn selected_names(root: &Element) -> Vec<String> {
    tabs(root)
        .into_iter()
        .filter(|t| t.get_attribute("aria-selected").as_deref() == Some("true"))
        .map(|t| t.text_content().unwrap())
        .collect()
}

fn press(target: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

fn focused_text() -> String {
    document()
        .active_element()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn group_tabs_show_each_group_with_its_count_and_select_on_click() {
    let selected = RwSignal::new(Some(1u64));
    let (root, _handle) = mount(move || {
        view! {
            <GroupTabs groups=groups() selected=selected on_select=move |id| selected.set(Some(id)) panel_id="panel"/>
        }
    });
    tick().await;
    let all = tabs(&root);
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].text_content().unwrap(), "Retail UK, 64 services");
    assert!(selected_names(&root)[0].starts_with("Retail UK"));
    assert_eq!(
        all[0].get_attribute("aria-controls").as_deref(),
        Some("panel")
    );
    assert_eq!(all[0].get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(all[1].get_attribute("tabindex").as_deref(), Some("-1"));

    all[2].click();
    tick().await;
    assert_eq!(selected.get_untracked(), Some(3));
    assert_eq!(
        selected_names(&root),
        vec!["Wholesale, 34 services".to_string()]
    );
    assert_eq!(all[2].get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(all[0].get_attribute("tabindex").as_deref(), Some("-1"));
}

#[wasm_bindgen_test]
async fn group_tabs_arrow_keys_move_focus_without_selecting() {
    let selected = RwSignal::new(Some(1u64));
    let (root, _handle) = mount(move || {
        view! {
            <GroupTabs groups=groups() selected=selected on_select=move |id| selected.set(Some(id)) panel_id="panel"/>
        }
    });
    tick().await;
    let all = tabs(&root);
    all[0].focus().unwrap();
    press(&all[0], "ArrowRight");
    assert!(focused_text().starts_with("Retail EU"));
    press(&all[1], "ArrowRight");
    press(&all[2], "ArrowRight");
    assert!(
        focused_text().starts_with("Retail UK"),
        "ArrowRight wraps to the first tab"
    );
    press(&all[0], "ArrowLeft");
    assert!(
        focused_text().starts_with("Wholesale"),
        "ArrowLeft wraps to the last tab"
    );
    press(&all[2], "Home");
    assert!(focused_text().starts_with("Retail UK"));
    press(&all[0], "End");
    assert!(focused_text().starts_with("Wholesale"));
    tick().await;
    assert_eq!(
        selected.get_untracked(),
        Some(1),
        "moving focus does not select (manual activation)"
    );
}

#[wasm_bindgen_test]
async fn group_tabs_keep_one_tab_focusable_when_the_group_in_the_url_is_unknown() {
    let (root, _handle) = mount(move || {
        view! { <GroupTabs groups=groups() selected=Some(999u64) on_select=|_| {} panel_id="panel"/> }
    });
    tick().await;
    let focusable: Vec<String> = tabs(&root)
        .into_iter()
        .filter(|t| t.get_attribute("tabindex").as_deref() == Some("0"))
        .map(|t| t.text_content().unwrap())
        .collect();
    assert_eq!(
        focusable,
        vec!["Retail UK, 64 services".to_string()],
        "Tab still reaches the tablist"
    );
    assert!(selected_names(&root).is_empty(), "none is selected");
}

fn service(id: u64, name: &str, status: Status) -> ServiceSummary {
    ServiceSummary {
        service: Service {
            id,
            group_id: 1,
            name: name.into(),
            service_type: ServiceType::Standard,
            status,
            source: Endpoint::new("Shopify", "orders"),
            destination: Endpoint::new("NetSuite", "sales orders"),
            trigger: Trigger::Schedule {
                cron: "0 2 * * *".into(),
            },
            alerts_enabled: true,
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
            health: Default::default(),
        },
        last_run: None,
        next_run_at: None,
    }
}

#[wasm_bindgen_test]
async fn service_table_rows_show_every_field_and_sort_headers_say_their_order() {
    // The first failed 2 hours ago (twice in 24 h); the second never ran.
    let mut failed = service(2001, "Shopify orders to NetSuite", Status::Active);
    let two_hours_ago = js_sys::Date::now() - (2.0 * 3600.0 + 30.0) * 1000.0;
    failed.service.health = services_model::Health {
        last_run_status: Some(services_model::RunStatus::Failed),
        last_run_at: js_sys::Date::new(&two_hours_ago.into())
            .to_iso_string()
            .as_string(),
        failed_24h: 2,
    };
    let items = RwSignal::new(vec![
        RowHandle::new(failed),
        RowHandle::new(service(2002, "Second", Status::Inactive)),
    ]);
    let query = RwSignal::new(ListQuery::default());
    let opened = RwSignal::new(None::<u64>);
    let (root, _handle) = mount(move || {
        provide_context(RowContext::new(Signal::stored(Role::Admin)));
        view! {
            <ServiceTable
                rows=items
                query=query
                on_query=move |q| query.set(q)
                terms=Signal::stored(Vec::<String>::new())
                on_action=|_| {}
                on_open=move |id| opened.set(Some(id))
                caption="Services in Retail UK"
            />
        }
    });
    tick().await;
    let headers: Vec<String> = {
        let list = root.query_selector_all("thead th").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert_eq!(
        headers,
        vec![
            "Source system↕",
            "ID▲",
            "Status↕",
            "Type",
            "Name↕",
            "Flow",
            "Schedule",
            "Last run↕",
            "Next run",
            "Alerts",
            "Actions"
        ]
    );
    let sorted: Vec<String> = {
        let list = root.query_selector_all("th[aria-sort]").unwrap();
        (0..list.length())
            .map(|i| {
                list.item(i)
                    .unwrap()
                    .unchecked_into::<Element>()
                    .get_attribute("aria-sort")
                    .unwrap()
            })
            .collect()
    };
    assert_eq!(
        sorted,
        vec!["ascending"],
        "only the sorted column has aria-sort"
    );

    let rows = root.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 2);
    let first: Element = rows.item(0).unwrap().unchecked_into();
    let text = first.text_content().unwrap();
    for part in [
        "Shopify",
        "2001",
        "Active",
        "Standard",
        "Shopify orders to NetSuite",
        "Shopify orders",
        "NetSuite sales orders",
        "Daily at 02:00 UTC",
        "Cron (UTC): 0 2 * * *",
        "Failed 2 h ago",
        "2 failed in 24 h",
        "On",
    ] {
        assert!(text.contains(part), "{part:?} missing from {text:?}");
    }
    let second = rows.item(1).unwrap().text_content().unwrap();
    assert!(
        second.contains("○Inactive"),
        "status is text plus an icon: {second}"
    );
    assert!(second.contains("Never run"), "{second}");
    let next: Vec<String> = (0..2)
        .map(|i| {
            let row: Element = rows.item(i).unwrap().unchecked_into();
            row.query_selector("td.next-run")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert!(
        next[0].starts_with("in "),
        "an active schedule's next run: {next:?}"
    );
    assert_eq!(next[1], "—", "an inactive service has none");
    let alerts: Element = first
        .query_selector("a[href$='tab=alerts']")
        .unwrap()
        .unwrap();
    assert_eq!(
        alerts.get_attribute("aria-label").as_deref(),
        Some("Alerts on: alert settings for Shopify orders to NetSuite")
    );
    assert_eq!(
        first
            .query_selector("a.name")
            .unwrap()
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("/services/2001")
    );
    assert_eq!(
        root.query_selector("caption")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Services in Retail UK"
    );

    // A click on a plain cell opens the service; a click on a control does not.
    first
        .query_selector("td:nth-child(6)")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    assert_eq!(opened.get_untracked(), Some(2001));
    opened.set(None);
    first
        .query_selector("button.copy")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    assert_eq!(opened.get_untracked(), None);

    // Sorting by name: ascending, then descending.
    let name_header: HtmlElement = root
        .query_selector_all("thead th button")
        .unwrap()
        .item(3)
        .unwrap()
        .unchecked_into();
    name_header.click();
    tick().await;
    assert_eq!(query.get_untracked().to_query(), "sort=name");
    name_header.click();
    tick().await;
    assert_eq!(query.get_untracked().to_query(), "sort=-name");
    let name_th = name_header.parent_element().unwrap();
    assert_eq!(
        name_th.get_attribute("aria-sort").as_deref(),
        Some("descending")
    );

    items.set(vec![RowHandle::new(service(
        2003,
        "Only one",
        Status::Active,
    ))]);
    tick().await;
    assert_eq!(root.query_selector_all("tbody tr").unwrap().length(), 1);
    assert!(root.text_content().unwrap().contains("Only one"));
}

#[wasm_bindgen_test]
async fn load_error_says_what_failed_and_retries() {
    let retries = RwSignal::new(0);
    let (root, _handle) = mount(move || {
        view! { <LoadError what="services" message="The server answered 503." on_retry=move |_| retries.update(|n| *n += 1)/> }
    });
    tick().await;
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    let text = alert.text_content().unwrap();
    assert!(text.contains("Could not load services."), "{text}");
    assert!(text.contains("The server answered 503."), "{text}");
    let button: HtmlElement = alert
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Retry");
    button.click();
    button.click();
    assert_eq!(retries.get_untracked(), 2);
}

fn demo_user(id: u64, name: &str, role: Role, company: (u64, &str)) -> DemoUser {
    DemoUser {
        user: Me {
            id,
            name: name.into(),
            email: format!("{id}@example.com"),
            role,
            company: Company {
                id: company.0,
                name: company.1.into(),
            },
        },
        token: format!("pw_{id}_secret"),
    }
}

#[wasm_bindgen_test]
async fn demo_user_list_groups_users_by_company_and_signs_in_the_one_chosen() {
    let chosen = RwSignal::new(None::<String>);
    let users = vec![
        demo_user(1, "Ada Morgan", Role::Admin, (1, "Northwind")),
        demo_user(4, "Dan Hughes", Role::ReadOnly, (1, "Northwind")),
        demo_user(5, "Eve Lindqvist", Role::Admin, (2, "Contoso")),
    ];
    let (root, _handle) = mount(move || {
        view! { <DemoUserList users=users on_choose=move |u: DemoUser| chosen.set(Some(u.token))/> }
    });
    tick().await;
    let headings: Vec<String> = {
        let list = root.query_selector_all("h2").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert_eq!(headings, vec!["Northwind", "Contoso"]);
    let buttons = root.query_selector_all("button").unwrap();
    assert_eq!(buttons.length(), 3);
    let dan: HtmlElement = buttons.item(1).unwrap().unchecked_into();
    assert_eq!(
        dan.text_content().unwrap(),
        "Sign in as Dan Hughesread-only"
    );
    dan.click();
    assert_eq!(chosen.get_untracked().as_deref(), Some("pw_4_secret"));
}

#[wasm_bindgen_test]
async fn dialog_traps_tab_cancels_on_escape_and_returns_focus() {
    let open = RwSignal::new(false);
    let cancelled = RwSignal::new(0);
    let (root, _handle) = mount(move || {
        view! {
            <button id="opener" on:click=move |_| open.set(true)>"Open"</button>
            <Show when=move || open.get()>
                <services_list::Dialog title="Confirm" on_cancel=move |_| { cancelled.update(|n| *n += 1); open.set(false); }>
                    <button id="first">"First"</button>
                    <button id="last">"Last"</button>
                </services_list::Dialog>
            </Show>
        }
    });
    tick().await;
    let opener: HtmlElement = root
        .query_selector("#opener")
        .unwrap()
        .unwrap()
        .unchecked_into();
    opener.focus().unwrap();
    opener.click();
    tick().await;
    let dialog = root
        .query_selector("[role=dialog]")
        .unwrap()
        .expect("a dialog");
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let title_id = dialog.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        document()
            .get_element_by_id(&title_id)
            .unwrap()
            .text_content()
            .unwrap(),
        "Confirm"
    );
    assert_eq!(focused_text(), "First", "focus moves into the dialog");

    let last: HtmlElement = root
        .query_selector("#last")
        .unwrap()
        .unwrap()
        .unchecked_into();
    last.focus().unwrap();
    press(&last, "Tab");
    assert_eq!(
        focused_text(),
        "First",
        "Tab from the last control wraps to the first"
    );
    let init = KeyboardEventInit::new();
    init.set_key("Tab");
    init.set_shift_key(true);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let first = document().active_element().unwrap();
    first
        .dispatch_event(
            &KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
        )
        .unwrap();
    assert_eq!(
        focused_text(),
        "Last",
        "Shift+Tab from the first wraps to the last"
    );

    press(&document().active_element().unwrap(), "Escape");
    tick().await;
    assert_eq!(cancelled.get_untracked(), 1);
    assert!(root.query_selector("[role=dialog]").unwrap().is_none());
    assert_eq!(focused_text(), "Open", "focus returns to the opener");
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn toasts_go_by_themselves_and_wait_while_pointed_at_or_focused() {
    let toasts = Rc::new(Cell::new(None::<Toasts>));
    let held = toasts.clone();
    let (root, _handle) = mount(move || {
        let t = Toasts::with_lifetimes(Duration::from_millis(200), Duration::from_millis(400));
        provide_context(t);
        held.set(Some(t));
        view! { <ToastRegion/> }
    });
    let toasts = toasts.get().unwrap();
    let shown = || {
        let list = root.query_selector_all("div.toast").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect::<Vec<_>>()
    };

    // Errors stay longer than messages, but they go too.
    toasts.error("It broke.");
    tick().await;
    sleep(300).await;
    assert_eq!(shown().len(), 1, "still there after 300 ms");
    sleep(250).await;
    assert!(shown().is_empty(), "gone after its 400 ms: {:?}", shown());

    // A toast with a link waits while focus is on the link.
    toasts.show(
        "Run 7 started.",
        Some((
            "View its log".into(),
            "/services/1?tab=summary&run=7".into(),
        )),
    );
    tick().await;
    let link: HtmlElement = root
        .query_selector("div.toast a")
        .unwrap()
        .unwrap()
        .unchecked_into();
    link.focus().unwrap();
    sleep(450).await;
    assert_eq!(shown().len(), 1, "kept while focused");
    link.blur().unwrap();
    sleep(350).await;
    assert!(shown().is_empty(), "gone once focus left");

    // …and while the pointer is on it.
    toasts.show("Cloned.", None);
    tick().await;
    let toast: Element = root.query_selector("div.toast").unwrap().unwrap();
    toast
        .dispatch_event(&web_sys::Event::new("mouseenter").unwrap())
        .unwrap();
    sleep(450).await;
    assert_eq!(shown().len(), 1, "kept while pointed at");
    toast
        .dispatch_event(&web_sys::Event::new("mouseleave").unwrap())
        .unwrap();
    sleep(350).await;
    assert!(shown().is_empty(), "gone once the pointer left");
}

#[wasm_bindgen_test]
async fn a_token_request_that_times_out_leaves_no_listener_behind() {
    let provider = TokenProvider::Parent(Rc::new(vec!["https://dashboard.example".into()]));
    let result = provider.token_within(30).await;
    assert!(result.is_err(), "nobody answered: {result:?}");

    let errors = Rc::new(Cell::new(0));
    let counted = errors.clone();
    let on_error = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
        counted.set(counted.get() + 1)
    });
    window()
        .add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref())
        .unwrap();
    let answer = js_sys::Object::new();
    js_sys::Reflect::set(&answer, &"type".into(), &TOKEN_ANSWER.into()).unwrap();
    js_sys::Reflect::set(&answer, &"token".into(), &"late".into()).unwrap();
    let init = web_sys::MessageEventInit::new();
    init.set_data(&answer);
    init.set_origin("https://dashboard.example");
    let late = web_sys::MessageEvent::new_with_event_init_dict("message", &init).unwrap();
    window().dispatch_event(&late).unwrap();
    window()
        .remove_event_listener_with_callback("error", on_error.as_ref().unchecked_ref())
        .unwrap();
    assert_eq!(
        errors.get(),
        0,
        "a later message must not reach a dropped listener"
    );
}

fn row_part(root: &Element, id: u64, selector: &str) -> Option<HtmlElement> {
    root.query_selector(&format!("[data-row-id='{id}'] {selector}"))
        .unwrap()
        .map(|e| e.unchecked_into())
}

/// A table row is HTML with no listeners of its own: its checkbox and menu button work through
/// the table body, its live parts change in place (the same elements, focus kept), and the
/// checkbox column appears when the role allows it.
#[wasm_bindgen_test]
async fn table_rows_controls_work_through_the_table_body_and_change_in_place() {
    rows_controls_work_through_the_list_and_change_in_place(false).await;
}

/// The same for cards (the phone layout): a card is HTML too, its checkbox (first in its head)
/// exists only while the role allows it.
#[wasm_bindgen_test]
async fn card_controls_work_through_the_card_list_and_change_in_place() {
    rows_controls_work_through_the_list_and_change_in_place(true).await;
}

async fn rows_controls_work_through_the_list_and_change_in_place(cards: bool) {
    let items = vec![
        RowHandle::new(service(3001, "First", Status::Active)),
        RowHandle::new(service(3002, "Second <b>", Status::Active)),
        RowHandle::new(service(3003, "Third", Status::Inactive)),
    ];
    let second = items[1].summary.clone();
    let role = RwSignal::new(Role::ReadOnly);
    let selection = BulkSelection::new();
    selection.set_page(vec![3001, 3002, 3003]);
    let chosen = RwSignal::new(Vec::<(MenuAction, u64)>::new());
    let (root, _handle) = mount(move || {
        provide_context(RowContext::new(role.into()));
        provide_context(selection);
        let rows = Signal::stored(items);
        let on_action = move |a| chosen.update(|c| c.push(a));
        let (query, terms) = (
            Signal::stored(ListQuery::default()),
            Signal::stored(Vec::<String>::new()),
        );
        if cards {
            view! { <ServiceCards rows query on_query=|_| {} terms on_action on_open=|_| {} caption="Services"/> }
                .into_any()
        } else {
            view! { <ServiceTable rows query on_query=|_| {} terms on_action on_open=|_| {} caption="Services"/> }
                .into_any()
        }
    });
    tick().await;

    // A role that may only look: no checkboxes (a table's column hidden).
    assert!(row_part(&root, 3001, "input[data-select]").is_none());
    if cards {
        assert_eq!(
            row_part(&root, 3001, "div.card-head")
                .unwrap()
                .child_element_count(),
            2,
            "the source and the menu button"
        );
    } else {
        assert!(row_part(&root, 3001, "td.select")
            .unwrap()
            .has_attribute("hidden"));
    }
    role.set(Role::Admin);
    tick().await;
    if cards {
        let head = row_part(&root, 3001, "div.card-head").unwrap();
        assert_eq!(
            head.first_element_child()
                .and_then(|e| e.get_attribute("data-select"))
                .as_deref(),
            Some("3001"),
            "the checkbox comes first in the card's head"
        );
        assert_eq!(head.child_element_count(), 3);
    } else {
        assert!(!row_part(&root, 3001, "td.select")
            .unwrap()
            .has_attribute("hidden"));
    }
    let checkbox = row_part(&root, 3002, "input[data-select]").expect("a checkbox");
    assert_eq!(
        checkbox.get_attribute("aria-label").as_deref(),
        Some("Select Second <b> (ID 3002)")
    );

    // A click selects; the checkbox stays the same element, with focus.
    checkbox.focus().unwrap();
    checkbox.click();
    tick().await;
    assert_eq!(selection.ids(), vec![3002]);
    let row = root
        .query_selector("[data-row-id='3002']")
        .unwrap()
        .unwrap();
    assert!(row.class_list().contains("selected"));
    let input = checkbox
        .clone()
        .unchecked_into::<web_sys::HtmlInputElement>();
    assert!(input.checked() && input.is_connected());
    assert_eq!(document().active_element(), Some(checkbox.clone().into()));
    // Shift+click: the range from the last one clicked.
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_shift_key(true);
    let shift_click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    row_part(&root, 3003, "input[data-select]")
        .unwrap()
        .dispatch_event(&shift_click)
        .unwrap();
    tick().await;
    assert_eq!(selection.ids(), vec![3002, 3003]);
    assert!(row_part(&root, 3003, "input[data-select]")
        .unwrap()
        .unchecked_into::<web_sys::HtmlInputElement>()
        .checked());
    selection.clear();
    tick().await;
    assert!(!input.checked() && !row.class_list().contains("selected"));

    // The menu button: ↓ opens the list's one menu in this row, focus on its first item.
    let button = row_part(&root, 3002, "[data-actions-for] > button").unwrap();
    assert_eq!(
        button.get_attribute("aria-label").as_deref(),
        Some("Actions for Second <b> (ID 3002)")
    );
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    button.focus().unwrap();
    press(&button, "ArrowDown");
    tick().await;
    tick().await;
    let menu = row_part(&root, 3002, "[data-actions-for] [role=menu]").expect("the menu");
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert_eq!(button.get_attribute("aria-controls"), Some(menu.id()));
    assert_eq!(focused_text(), "View logs");
    assert_eq!(root.query_selector_all("[role=menu]").unwrap().length(), 1);
    // Another row's button moves it there.
    row_part(&root, 3001, "[data-actions-for] > button")
        .unwrap()
        .click();
    tick().await;
    tick().await;
    assert!(row_part(&root, 3002, "[role=menu]").is_none());
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(button.get_attribute("aria-controls").is_none());
    assert!(row_part(&root, 3001, "[role=menu]").is_some());
    // Esc closes it and gives focus back to its button; Enter on an item chooses it.
    press(&document().active_element().unwrap(), "Escape");
    tick().await;
    assert!(root.query_selector("[role=menu]").unwrap().is_none());
    let first_button = row_part(&root, 3001, "[data-actions-for] > button").unwrap();
    assert_eq!(
        document().active_element(),
        Some(first_button.clone().into())
    );
    press(&first_button, "ArrowUp");
    tick().await;
    tick().await;
    assert_eq!(focused_text(), "Remove…");
    press(&document().active_element().unwrap(), "Home");
    tick().await;
    press(&document().active_element().unwrap(), "Enter");
    tick().await;
    assert_eq!(chosen.get_untracked(), vec![(MenuAction::ViewLogs, 3001)]);
    assert!(root.query_selector("[role=menu]").unwrap().is_none());

    // A change to the service changes the row in place; a focused checkbox keeps focus.
    let second_checkbox = row_part(&root, 3002, "input[data-select]").unwrap();
    second_checkbox.focus().unwrap();
    second.update(|s| s.service.name = "Renamed".into());
    tick().await;
    assert_eq!(
        document().active_element(),
        Some(second_checkbox.clone().into()),
        "a rename keeps focus on the row's checkbox"
    );
    assert_eq!(
        button.get_attribute("aria-label").as_deref(),
        Some("Actions for Renamed (ID 3002)")
    );
    assert!(row.is_connected());
    assert_eq!(
        row_part(&root, 3002, "a.name")
            .unwrap()
            .text_content()
            .unwrap(),
        "Renamed"
    );
    assert_eq!(
        row_part(&root, 3002, "input[data-select]")
            .unwrap()
            .get_attribute("aria-label")
            .as_deref(),
        Some("Select Renamed (ID 3002)")
    );
    // So does a focused menu button.
    button.focus().unwrap();
    second.update(|s| s.service.name = "Again".into());
    tick().await;
    assert_eq!(document().active_element(), Some(button.clone().into()));
    assert_eq!(
        button.get_attribute("aria-label").as_deref(),
        Some("Actions for Again (ID 3002)")
    );

    // A role that may only look takes the checkboxes away; one that may select brings them
    // back, checked as selected.
    selection.click(3002, false);
    role.set(Role::ReadOnly);
    tick().await;
    assert!(row_part(&root, 3002, "input[data-select]").is_none());
    role.set(Role::Admin);
    tick().await;
    let again = row_part(&root, 3002, "input[data-select]").expect("the checkbox again");
    assert!(again
        .clone()
        .unchecked_into::<web_sys::HtmlInputElement>()
        .checked());
    assert_eq!(
        again.get_attribute("aria-label").as_deref(),
        Some("Select Again (ID 3002)")
    );

    // Esc on a schedule hides its cron tooltip (handled by the list).
    let schedule = row_part(&root, 3001, "span.schedule").expect("a cron schedule");
    press(&schedule, "Escape");
    assert!(schedule.class_list().contains("dismissed"));
}
