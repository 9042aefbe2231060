use leptos::prelude::*;
use leptos::task::spawn_local;
use rules::under_the_hood::{
    Entry, Names, Renaming, Transfer, describe_cost, describe_crossing, describe_module,
};

use crate::console;
use crate::fetch::fetch_text;
use crate::reflection::{last_crossing, memory_pages, module_entries, mounted_at, transfers};

/// What the section read when first opened: the module's exports and imports, and the cost.
struct Facts {
    exports: Vec<Entry>,
    imports: Vec<Entry>,
    costs: Vec<Transfer>,
}

/// The section's summary, always shown.
const SUMMARY: &str = "Under the hood";

/// "Under the hood": how the last name crossed from JavaScript into Rust, what the module
/// exports and imports, and what it cost. Nothing runs until it is first opened; then the
/// module and the cost are read once, the names file is fetched once, and the crossing
/// follows each new greeting.
#[component]
pub fn UnderTheHood() -> impl IntoView {
    let facts = RwSignal::new(None::<Facts>);
    let names = RwSignal::new(if cfg!(debug_assertions) {
        Names::Originals
    } else {
        Names::Loading
    });
    let on_toggle = move |event: leptos::ev::Event| {
        let open = event_target::<leptos::web_sys::Element>(&event).has_attribute("open");
        if open && facts.with_untracked(Option::is_none) {
            let (exports, imports) = module_entries();
            let (costs, module_url) = transfers();
            facts.set(Some(Facts {
                exports,
                imports,
                costs,
            }));
            match (cfg!(debug_assertions), module_url) {
                (true, _) => {}
                (false, Some(url)) => {
                    spawn_local(async move { names.set(fetch_names(&url).await) })
                }
                (false, None) => {
                    console::warn(
                        "Under the hood: Resource Timing lists no module (its buffer was full or cleared), so its names file cannot be found; showing the short names alone.",
                    );
                    names.set(Names::Unavailable);
                }
            }
        }
    };
    let text = move || {
        facts.with(|facts| {
            let Facts {
                exports,
                imports,
                costs,
            } = facts.as_ref()?;
            let crossing = last_crossing().map_or_else(
                || "Greet someone to see their name cross into Rust.\n".to_owned(),
                |crossing| describe_crossing(&crossing, memory_pages()),
            );
            let module = names.with(|names| describe_module(exports, imports, names));
            Some(format!(
                "{crossing}\n{module}\n{}",
                describe_cost(costs, mounted_at())
            ))
        })
    };

    view! {
        <details class="under-the-hood" data-testid="under-the-hood" on:toggle=on_toggle>
            // A value, not a literal: see `TITLE` in app.rs.
            <summary>{SUMMARY}</summary>
            <pre>{text}</pre>
        </details>
    }
}

/// The names file beside the module; without it, the short names show alone.
async fn fetch_names(module_url: &str) -> Names {
    let parsed = fetch_text(&format!("{module_url}.names"))
        .await
        .map_err(|error| format!("the interface names file cannot be used, as {error}"))
        .and_then(|text| Renaming::parse(&text).map_err(|error| error.to_string()));
    match parsed {
        Ok(renaming) => Names::Renamed(renaming),
        Err(why) => {
            console::warn(&format!(
                "Under the hood: {why}; showing the short names alone."
            ));
            Names::Unavailable
        }
    }
}
