use leptos::prelude::*;
use services_model::Service;
use stylers::style;

/// The services of one group as a table: ID, name and flow. (The full row design is ServiceRow's.)
#[component]
pub fn ServiceList(
    #[prop(into)] services: Signal<Vec<Service>>,
    /// Names the table for screen readers, e.g. "Services in Northwind Retail UK".
    #[prop(into)]
    caption: Signal<String>,
) -> impl IntoView {
    let styler_class = style! {
        table {
            width: 100%;
            border-collapse: collapse;
        }
        th {
            text-align: left;
            font-weight: 600;
            color: var(--color-text-muted);
            padding: var(--space-2);
            border-bottom: 1px solid var(--color-border);
        }
        td {
            padding: var(--space-2);
            border-bottom: 1px solid var(--color-border);
            vertical-align: top;
        }
        td.id {
            font-variant-numeric: tabular-nums;
            white-space: nowrap;
        }
        span.arrow {
            color: var(--color-text-muted);
            padding: 0 var(--space-1);
        }
    };

    view! { class = styler_class,
        <table>
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"ID"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Flow"</th>
                </tr>
            </thead>
            <tbody>
                <For
                    each=move || services.get()
                    key=|s| (s.id, s.updated_at.clone(), s.name.clone())
                    children=move |s| {
                        view! { class = styler_class,
                            <tr data-service-id=s.id>
                                <td class="id">{s.id}</td>
                                <td class="name">{s.name}</td>
                                <td class="flow">
                                    {format!("{} {}", s.source.system, s.source.entity)}
                                    <span class="arrow" aria-label="to">"→"</span>
                                    {format!("{} {}", s.destination.system, s.destination.entity)}
                                </td>
                            </tr>
                        }
                    }
                />
            </tbody>
        </table>
    }
}
