use super::html_row::{At, HtmlRow, Write};
use crate::format::role_label;
use crate::state::RowContext;
use crate::store::RowHandle;
use leptos::html;
use leptos::prelude::*;
use services_model::{Service, Status};
use stylers::style;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

/// What a user can do to a service from its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MenuAction {
    ViewLogs,
    RunManually,
    Clone,
    ToggleStatus,
    AlertSettings,
    Remove,
}

/// How many items the menu has (some may be disabled, none is ever left out).
const ITEMS: usize = 6;

struct Item {
    action: MenuAction,
    label: String,
    /// Why it can't be chosen, if it can't.
    blocked: Option<String>,
}

fn items(service: &Service, can_manage: bool, role: &str) -> Vec<Item> {
    let no_role = (!can_manage).then(|| format!("Your role ({role}) can only view services"));
    let item = |action, label: &str, blocked: Option<String>| Item {
        action,
        label: label.to_string(),
        blocked,
    };
    vec![
        item(MenuAction::ViewLogs, "View logs", None),
        item(
            MenuAction::RunManually,
            "Run manually",
            no_role.clone().or_else(|| {
                (service.status != Status::Active)
                    .then(|| "Only active services can run".to_string())
            }),
        ),
        item(MenuAction::Clone, "Clone", no_role.clone()),
        item(
            MenuAction::ToggleStatus,
            if service.status == Status::Active {
                "Deactivate"
            } else {
                "Activate"
            },
            no_role.clone(),
        ),
        item(MenuAction::AlertSettings, "Alert settings", None),
        item(MenuAction::Remove, "Remove…", no_role),
    ]
}

/// The menu's scoped style (rows write their menu button as HTML with this class).
// stylers' build collects only `let … = style! {…}` statements into the stylesheet.
#[allow(clippy::let_and_return)]
fn menu_style() -> &'static str {
    let class = style! {
        div {
            position: relative;
            display: inline-block;
        }
        button {
            font: inherit;
            font-size: 1.25rem;
            line-height: 1;
            width: 2.25rem;
            height: 2.25rem;
            border: 1px solid transparent;
            border-radius: var(--pw-radius);
            background: none;
            color: var(--pw-color-text);
            cursor: pointer;
        }
        button:hover {
            border-color: var(--pw-color-border-strong);
        }
        button[aria-expanded="true"] {
            border-color: var(--pw-color-accent);
            background: var(--pw-color-accent-surface);
        }
        ul {
            position: absolute;
            right: 0;
            top: calc(100% + 4px);
            z-index: 10;
            min-width: 15rem;
            list-style: none;
            margin: 0;
            padding: var(--pw-space-1) 0;
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            box-shadow: 0 8px 24px rgba(0, 0, 0, 0.18);
            text-align: left;
        }
        li {
            padding: var(--pw-space-2) var(--pw-space-3);
            cursor: pointer;
            color: var(--pw-color-text);
        }
        li:focus {
            outline: 2px solid var(--pw-color-focus);
            outline-offset: -2px;
            background: var(--pw-color-accent-surface);
        }
        li[aria-disabled="true"] {
            cursor: not-allowed;
            color: var(--pw-color-text-muted);
        }
        li.separator {
            padding: 0;
            margin: var(--pw-space-1) 0;
            border-top: 1px solid var(--pw-color-border);
        }
        span.reason {
            display: block;
            font-size: var(--pw-font-size-small);
        }
    };
    class
}

/// The menu button's accessible name.
pub(crate) fn trigger_label(name: &str, id: u64) -> String {
    format!("Actions for {name} (ID {id})")
}

/// Closes the menu and gives focus back to its button.
#[derive(Clone, Copy)]
struct Close {
    rows: RowContext,
    list: ListElement,
    id: u64,
}

impl Close {
    fn run(&self) {
        self.rows.open_menu.set(None);
        if let Some(button) = trigger(self.list, self.id) {
            let _ = button.focus();
        }
    }
}

/// The list's own element (table body or card list), once it is in the page.
type ListElement = Signal<Option<web_sys::Element>, LocalStorage>;

/// The menu button of service `id` in the list.
fn trigger(list: ListElement, id: u64) -> Option<HtmlElement> {
    list.try_get_untracked()
        .flatten()?
        .query_selector(&format!("[data-actions-for='{id}'] > button"))
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<HtmlElement>().ok())
}

/// The open menu (a WAI-ARIA menu): its items follow the role and the service's state (items
/// the role or state doesn't allow stay, `aria-disabled`, with the reason). ↓ and ↑ wrap; Home
/// and End; a letter jumps to the next item starting with it; Enter or Space chooses; Esc and
/// Tab close it and return focus to its button.
#[component]
fn MenuList(
    service: Signal<Service>,
    name: Signal<String>,
    focus_at: RwSignal<usize>,
    close: Close,
    on_action: Callback<(MenuAction, u64)>,
    scope: &'static str,
) -> impl IntoView {
    let rows = expect_context::<RowContext>();
    let id = service.with_untracked(|s| s.id);
    let menu_ref = NodeRef::<html::Ul>::new();
    let menu_items = Memo::new(move |_| {
        let role = rows.role.get();
        service
            .with(|s| items(s, role.can_manage_services(), role_label(role)))
            .into_iter()
            .map(|i| (i.action, i.label, i.blocked))
            .collect::<Vec<_>>()
    });
    let count = move || menu_items.with(Vec::len);
    // Focus follows `focus_at` (after the menu renders).
    Effect::new(move |_| {
        let index = focus_at.get();
        let Some(menu) = menu_ref.get() else {
            return;
        };
        // Choosing an item sets `focus_at` and closes the menu in one go: focus is on the
        // button by then, and stays there.
        if rows.open_menu.get_untracked() != Some(id) {
            return;
        }
        if let Ok(list) = menu.query_selector_all("[role=menuitem]") {
            if let Some(item) = list
                .item(index as u32)
                .and_then(|n| n.dyn_into::<HtmlElement>().ok())
            {
                let _ = item.focus();
            }
        }
    });
    let choose = move |index: usize| {
        let Some((action, _, blocked)) = menu_items.with_untracked(|m| m.get(index).cloned())
        else {
            return;
        };
        if blocked.is_some() {
            return;
        }
        close.run();
        on_action.run((action, id));
    };
    let on_menu_keydown = move |ev: KeyboardEvent| {
        let n = count();
        let current = focus_at.get_untracked();
        let key = ev.key();
        match key.as_str() {
            "ArrowDown" => focus_at.set((current + 1) % n),
            "ArrowUp" => focus_at.set((current + n - 1) % n),
            "Home" => focus_at.set(0),
            "End" => focus_at.set(n - 1),
            "Escape" | "Tab" => close.run(),
            "Enter" | " " => choose(current),
            letter if letter.chars().count() == 1 && letter.chars().all(char::is_alphanumeric) => {
                let letter = letter.to_lowercase();
                let next = menu_items.with_untracked(|m| {
                    (1..=n)
                        .map(|step| (current + step) % n)
                        .find(|i| m[*i].1.to_lowercase().starts_with(&letter))
                });
                match next {
                    Some(i) => focus_at.set(i),
                    None => return,
                }
            }
            _ => return,
        }
        ev.prevent_default();
    };
    view! { class = scope,
        <ul
            role="menu"
            id=format!("actions-menu-{id}")
            aria-label=name
            node_ref=menu_ref
            on:keydown=on_menu_keydown
        >
            {move || {
                menu_items
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(index, (action, label, blocked))| {
                        let separator = (action == MenuAction::Remove)
                            .then(|| view! { class = scope, <li role="separator" class="separator"></li> });
                        let disabled = blocked.is_some();
                        view! { class = scope,
                            {separator}
                            <li
                                role="menuitem"
                                tabindex="-1"
                                aria-disabled=disabled.then_some("true")
                                on:click=move |_| {
                                    focus_at.set(index);
                                    choose(index);
                                }
                                on:mousemove=move |_| {
                                    if focus_at.get_untracked() != index {
                                        focus_at.set(index);
                                    }
                                }
                            >
                                {label}
                                {blocked.map(|reason| view! { class = scope, <span class="reason">{reason}</span> })}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

/// A row's "⋯" WAI-ARIA menu button, written into the row's HTML (table row or card): no
/// listeners ([`ListMenu`] handles its events), its accessible name ([`trigger_label`]) a live
/// value of the row. Only the button exists until the menu opens: a row stays cheap to create.
pub(crate) fn write_trigger(html: &mut HtmlRow, id: u64) -> usize {
    let scope = menu_style();
    html.text(format!(
        r#"<div class="{scope}" data-actions-for="{id}"><button type="button" class="{scope}" aria-label=""#
    ));
    let label = html.live(
        Write::Attr("aria-label"),
        At::Select("div[data-actions-for] > button"),
    );
    html.text(format!(
        r#"" aria-haspopup="menu" aria-expanded="false"><span aria-hidden="true" class="{scope}">⋯</span></button></div>"#
    ));
    label
}

/// A list's actions menu: one for all its rows (table rows or cards). The rows' menu buttons
/// are HTML; their clicks and keys come here from the list's element
/// ([`super::service_row::RowEvents`]), and the open menu ([`MenuList`], at most one) is built
/// under an owner of its own and mounted next to its button while open, the button's
/// `aria-expanded` and `aria-controls` following. Enter, Space or ↓ on the button open it at the
/// first item, ↑ at the last.
#[derive(Clone, Copy)]
pub(crate) struct ListMenu {
    rows: RowContext,
    focus_at: RwSignal<usize>,
}

struct Mounted {
    id: u64,
    state: leptos::tachys::view::any_view::AnyViewState,
    owner: Owner,
}

impl ListMenu {
    /// `list` is the list's element (its menu buttons are looked up in it), `rows` the rows of
    /// the page.
    pub(crate) fn new<E>(
        list: NodeRef<E>,
        rows: Signal<Vec<RowHandle>>,
        on_action: Callback<(MenuAction, u64)>,
    ) -> ListMenu
    where
        E: leptos::tachys::html::element::ElementType,
        E::Output: JsCast + Clone + 'static,
    {
        let row = move |id: u64| {
            rows.try_with_untracked(|rows| {
                rows.iter().find(|r| r.id == id).map(|r| r.summary.clone())
            })
            .flatten()
        };
        let rows = expect_context::<RowContext>();
        let list: ListElement =
            Signal::derive_local(move || list.get_untracked().map(JsCast::unchecked_into));
        let focus_at = RwSignal::new(0usize);
        let parent = Owner::current().unwrap_or_default();
        let mounted = std::rc::Rc::new(std::cell::RefCell::new(None::<Mounted>));
        Effect::new(move |_| {
            let open = rows.open_menu.get();
            let mut mounted = mounted.borrow_mut();
            if mounted.as_ref().map(|m| m.id) == open {
                return;
            }
            if let Some(mut old) = mounted.take() {
                use leptos::tachys::view::Mountable;
                old.state.unmount();
                old.owner.cleanup();
                if let Some(button) = trigger(list, old.id) {
                    let _ = button.set_attribute("aria-expanded", "false");
                    let _ = button.remove_attribute("aria-controls");
                }
            }
            let Some(id) = open else {
                return;
            };
            let (Some(row), Some(button)) = (row(id), trigger(list, id)) else {
                return;
            };
            let Some(cell) = button.parent_element() else {
                return;
            };
            let owner = parent.child();
            let mut state = owner.with(|| {
                let service = Signal::derive(move || row.with(|s| s.service.clone()));
                let name = Signal::derive(move || service.with(|s| trigger_label(&s.name, id)));
                let close = Close { rows, list, id };
                view! { <MenuList service=service name=name focus_at=focus_at close=close on_action=on_action scope=menu_style()/> }
                    .into_any()
                    .build()
            });
            {
                use leptos::tachys::view::Mountable;
                state.mount(&cell, None);
            }
            let _ = button.set_attribute("aria-expanded", "true");
            let _ = button.set_attribute("aria-controls", &format!("actions-menu-{id}"));
            *mounted = Some(Mounted { id, state, owner });
        });
        ListMenu { rows, focus_at }
    }

    fn open_at(&self, id: u64, index: usize) {
        self.focus_at.set(index);
        self.rows.open_menu.set(Some(id));
    }

    /// A click (or Enter or Space) on row `id`'s menu button: opens it at the first item, or
    /// closes it.
    pub(crate) fn click(&self, id: u64) {
        if self.rows.open_menu.get_untracked() == Some(id) {
            self.rows.open_menu.set(None);
        } else {
            self.open_at(id, 0);
        }
    }

    /// A key on row `id`'s menu button: ↓ opens it at the first item, ↑ at the last.
    pub(crate) fn keydown(&self, id: u64, ev: &KeyboardEvent) {
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                self.open_at(id, 0);
            }
            "ArrowUp" => {
                ev.prevent_default();
                self.open_at(id, ITEMS - 1);
            }
            _ => {}
        }
    }
}
