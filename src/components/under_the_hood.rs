use leptos::prelude::*;
use leptos::task::spawn_local;
use rules::under_the_hood::{
    Entry, FIRST_NUMBER, Names, NumberError, Renaming, Transfer, describe_cost, describe_crossing,
    describe_module, describe_raw, group_imports, result_line, whole_number,
};

use crate::console;
use crate::fetch::fetch_text;
use crate::raw_module;
use crate::reflection::{
    last_crossing, memory_pages, module_entries, module_url, mounted_at, transfers,
};

/// What the section read when first opened: the module's exports and imports, and the cost;
/// then what the names file said. (One signal for all: each signal type costs the module code.)
struct Facts {
    exports: Vec<Entry>,
    imports: Vec<Entry>,
    costs: Vec<Transfer>,
    names: Names,
    /// What the raw module showed, empty until it has.
    raw: String,
}

/// The section's summary, always shown.
const SUMMARY: &str = "Under the hood";

/// The raw module's number field: its id, its label, and the number it starts with
/// ([`FIRST_NUMBER`], written out).
const NUMBER_ID: &str = "double-it";
const NUMBER_LABEL: &str = "A number for double_it";
const FIRST_NUMBER_TEXT: &str = "12";

/// "Under the hood": how the last name crossed from JavaScript into Rust, what the module
/// exports and imports, what it cost, and the article's first example, a raw module without
/// wasm-bindgen, with a field to double any number with it. Nothing runs until it is first
/// opened; then the module and the cost are read once, the names file and the raw module
/// are fetched once, and the crossing follows each new greeting.
#[component]
pub fn UnderTheHood() -> impl IntoView {
    let facts = RwSignal::new(None::<Facts>);
    // What the field last doubled: text, in a signal of a type the page has anyway.
    let doubled = RwSignal::new(String::new());
    let on_toggle = move |event: leptos::ev::Event| {
        let details = event_target::<leptos::web_sys::Element>(&event);
        if details.has_attribute("open") && facts.with_untracked(Option::is_none) {
            let raw_url = details
                .query_selector("a[download]")
                .ok()
                .flatten()
                .and_then(|link| link.get_attribute("href"));
            spawn_local(async move {
                let raw = match raw_module::load(raw_url).await {
                    Ok(module) => {
                        console::log(&result_line(FIRST_NUMBER, module.doubled));
                        doubled.set(double_text(Ok(FIRST_NUMBER)));
                        describe_raw(&module)
                    }
                    Err(error) => {
                        let error = error.to_string();
                        console::warn(&format!("Under the hood: {error}"));
                        error + "\n"
                    }
                };
                facts.update(|facts| {
                    if let Some(facts) = facts {
                        facts.raw = raw;
                    }
                });
            });
            let (exports, imports) = module_entries();
            let costs = transfers();
            // The imports' groups need the names file; they are shown once it has come, or
            // could not.
            let show = move |settled: Names| {
                facts.update(|facts| {
                    if let Some(facts) = facts {
                        show_groups(&details, group_imports(&facts.imports, &settled));
                        facts.names = settled;
                    }
                });
            };
            facts.set(Some(Facts {
                exports,
                imports,
                costs,
                names: Names::Loading,
                raw: String::new(),
            }));
            match module_url() {
                Some(url) => spawn_local(async move { show(fetch_names(&url).await) }),
                None => {
                    console::warn(
                        "Under the hood: the page has no preload link for its module, so its names file cannot be found; showing the short names alone.",
                    );
                    show(Names::Unavailable);
                }
            }
        }
    };
    // The crossing and the exports; the imports, a group each, opened on demand; what
    // loading cost and the raw module.
    let text = move || {
        facts.with(|facts| {
            let Facts {
                exports,
                imports,
                names,
                ..
            } = facts.as_ref()?;
            let crossing = last_crossing().map_or_else(
                || "Greet someone to see their name cross into Rust.\n".to_owned(),
                |crossing| describe_crossing(&crossing, memory_pages()),
            );
            let module = describe_module(exports, imports, names);
            Some(format!("{crossing}\n{module}"))
        })
    };
    let after = move || {
        facts.with(|facts| {
            let Facts { costs, raw, .. } = facts.as_ref()?;
            let without_bindgen = match raw.is_empty() {
                true => "Without wasm-bindgen: raw.wasm is loading.\n",
                false => raw,
            };
            Some(format!(
                "{}\n{without_bindgen}",
                describe_cost(costs, mounted_at())
            ))
        })
    };
    let on_number = move |event: leptos::ev::Event| {
        let field = event_target::<leptos::web_sys::HtmlInputElement>(&event);
        doubled.set(double_text(whole_number(field.value_as_number())));
    };

    view! {
        <details class="under-the-hood" data-testid="under-the-hood" on:toggle=on_toggle>
            // A value, not a literal: see `TITLE` in app.rs.
            <summary>{SUMMARY}</summary>
            <pre>{text}</pre>
            // Here go the imports' groups (see `show_groups`).
            <pre>{after}</pre>
            <p class="raw-module">
                <label for=NUMBER_ID>{NUMBER_LABEL}</label>
                <input id=NUMBER_ID type="number" value=FIRST_NUMBER_TEXT step="1" on:input=on_number />
                <output for=NUMBER_ID data-testid="doubled">{doubled}</output>
                <a href={raw_module::FILE} download={raw_module::FILE}>{raw_module::FILE}</a>
            </p>
        </details>
    }
}

/// Puts the imports' groups into the opened `section`, before its second `<pre>`: for each
/// group a `<details>` whose summary is its title and count, and whose `<pre>` lists it. They
/// are made once and never change, so they are made with the DOM rather than as a Leptos
/// view: a view of the list measured 652 bytes more (BENCHMARKS.md, 2026-11-30).
fn show_groups(section: &leptos::web_sys::Element, groups: Vec<(String, String)>) {
    let document = document();
    let Ok(Some(before)) = section.query_selector("pre + pre") else {
        return;
    };
    for (title, lines) in groups {
        let (Ok(group), Ok(summary), Ok(pre)) = (
            document.create_element("details"),
            document.create_element("summary"),
            document.create_element("pre"),
        ) else {
            return;
        };
        group.set_class_name("imports");
        summary.set_text_content(Some(&title));
        pre.set_text_content(Some(&lines));
        let _ = group.insert_before(&summary, None);
        let _ = group.insert_before(&pre, None);
        let _ = section.insert_before(&group, Some(&before));
    }
}

/// What the raw module's field shows for what it holds.
fn double_text(number: Result<i32, NumberError>) -> String {
    let n = match number {
        Ok(n) => n,
        Err(error) => return error.to_string(),
    };
    match raw_module::double(n) {
        Some(doubled) => format!("double_it({n}) = {doubled}"),
        None => "The raw module is not instantiated.".to_owned(),
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
