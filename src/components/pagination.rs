use leptos::prelude::*;
use services_model::query::page_window;
use services_model::{ListQuery, PAGE_SIZES};
use stylers::style;

/// Previous / page numbers / Next, and the rows-per-page choice.
#[component]
pub fn Pagination(
    #[prop(into)] query: Signal<ListQuery>,
    #[prop(into)] page_count: Signal<u32>,
    #[prop(into)] on_change: Callback<ListQuery>,
) -> impl IntoView {
    let styler_class = style! {
        nav {
            display: flex;
            flex-wrap: wrap;
            justify-content: space-between;
            align-items: center;
            gap: var(--pw-space-3);
            padding: var(--pw-space-3) 0;
        }
        ul {
            display: flex;
            flex-wrap: wrap;
            gap: var(--pw-space-1);
            list-style: none;
            margin: 0;
            padding: 0;
        }
        button {
            font: inherit;
            min-width: 2.25rem;
            padding: var(--pw-space-1) var(--pw-space-2);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
            cursor: pointer;
        }
        button[aria-current="page"] {
            background: var(--pw-color-accent);
            border-color: var(--pw-color-accent);
            color: var(--pw-color-on-accent);
            font-weight: 700;
        }
        button[aria-disabled="true"] {
            cursor: not-allowed;
            color: var(--pw-color-text-muted);
            border-color: var(--pw-color-border);
        }
        span.gap {
            padding: var(--pw-space-1);
            color: var(--pw-color-text-muted);
        }
        label {
            display: flex;
            align-items: center;
            gap: var(--pw-space-2);
        }
        select {
            font: inherit;
            padding: var(--pw-space-1);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
        }
    };
    let current = move || query.with(|q| q.page.number.min(page_count.get()).max(1));
    let go = move |n: u32| on_change.run(query.get_untracked().on_page(n));
    let at_first = move || current() <= 1;
    let at_last = move || current() >= page_count.get();
    // The buttons stay in place (keyed by page number) and Previous and Next are only marked
    // disabled, never `disabled`: the button just used keeps focus.
    let window = Memo::new(move |_| {
        page_window(current(), page_count.get())
            .into_iter()
            .enumerate()
            .map(|(slot, p)| p.ok_or(slot))
            .collect::<Vec<Result<u32, usize>>>()
    });
    view! { class = styler_class,
        <nav aria-label="Pages">
            <ul>
                <li>
                    <button
                        type="button"
                        aria-disabled=move || at_first().then_some("true")
                        on:click=move |_| {
                            if !at_first() {
                                go(current() - 1)
                            }
                        }
                    >
                        "Previous"
                    </button>
                </li>
                <For
                    each=move || window.get()
                    key=|entry| *entry
                    children=move |entry| match entry {
                        Ok(n) => {
                            let is_current = move || n == current();
                            view! { class = styler_class,
                                <li>
                                    <button
                                        type="button"
                                        aria-label=format!("Page {n}")
                                        aria-current=move || is_current().then_some("page")
                                        on:click=move |_| go(n)
                                    >
                                        {n}
                                    </button>
                                </li>
                            }
                            .into_any()
                        }
                        Err(_) => view! { class = styler_class, <li><span class="gap" aria-hidden="true">"…"</span></li> }.into_any(),
                    }
                />
                <li>
                    <button
                        type="button"
                        aria-disabled=move || at_last().then_some("true")
                        on:click=move |_| {
                            if !at_last() {
                                go(current() + 1)
                            }
                        }
                    >
                        "Next"
                    </button>
                </li>
            </ul>
            <label>
                "Rows per page"
                <select on:change:target=move |ev| {
                    if let Ok(size) = ev.target().value().parse::<u32>() {
                        on_change.run(query.get_untracked().with_page_size(size));
                    }
                }>
                    {PAGE_SIZES
                        .into_iter()
                        .map(|size| {
                            view! { class = styler_class,
                                <option value=size.to_string() selected=move || query.with(|q| q.page.size == size)>
                                    {size}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        </nav>
    }
}
