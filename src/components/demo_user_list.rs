use crate::api::DemoUser;
use leptos::prelude::*;
use stylers::style;

/// The demo users of each company, one button each: the standalone sign-in.
#[component]
pub fn DemoUserList(
    users: Vec<DemoUser>,
    #[prop(into)] on_choose: Callback<DemoUser>,
) -> impl IntoView {
    let styler_class = style! {
        section {
            margin-bottom: var(--pw-space-4);
        }
        h2 {
            font-size: var(--pw-font-size);
            margin: 0 0 var(--pw-space-2) 0;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            display: grid;
            gap: var(--pw-space-2);
        }
        button {
            font: inherit;
            width: 100%;
            text-align: left;
            padding: var(--pw-space-2) var(--pw-space-3);
            border: 1px solid var(--pw-color-border);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
            cursor: pointer;
        }
        button:hover {
            border-color: var(--pw-color-accent);
        }
        span.role {
            color: var(--pw-color-text-muted);
            margin-left: var(--pw-space-2);
        }
    };
    let mut companies: Vec<(String, Vec<DemoUser>)> = Vec::new();
    for user in users {
        match companies
            .iter_mut()
            .find(|(name, _)| *name == user.user.company.name)
        {
            Some((_, list)) => list.push(user),
            None => companies.push((user.user.company.name.clone(), vec![user])),
        }
    }
    companies
        .into_iter()
        .map(|(company, users)| {
            view! { class = styler_class,
                <section>
                    <h2>{company}</h2>
                    <ul>
                        {users
                            .into_iter()
                            .map(|user| {
                                let name = user.user.name.clone();
                                let role = crate::format::role_label(user.user.role);
                                view! { class = styler_class,
                                    <li>
                                        <button type="button" on:click=move |_| on_choose.run(user.clone())>
                                            "Sign in as " {name}
                                            <span class="role">{role}</span>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
}
