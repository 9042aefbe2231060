use leptos::prelude::*;

/// A button that adds `increment` to its count on each click.
#[component]
pub fn Button(#[prop(default = 1)] increment: i32) -> impl IntoView {
    let (count, set_count) = signal(0);
    let add = move |_| set_count.update(|count| *count += increment);
    view! {
        <button on:click=add>"Click me: " {count}</button>
    }
}
