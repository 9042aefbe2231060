//! The end-to-end suite: the release build served by nginx with `deploy/hello-wasm.conf`,
//! used in Chromium, Firefox and WebKit the way a visitor uses it.
//!
//! libtest-mimic runs it (`harness = false`), one trial per test and engine
//! (`chromium::…`, `firefox::…`, `webkit::…`, or `server::…` for a test that uses no browser),
//! so filters, `--exact`, `--skip` and `--list` work as in any Rust test suite. The first
//! trial that runs starts nginx, and the first of each engine its driver; they serve the
//! whole run and are stopped by their guards when it ends, whatever the tests did; a run that
//! runs nothing (`--list`, everything filtered out) starts nothing. Tests run one at a time,
//! each in a fresh browser session.
//!
//! This file is the list of tests (`main`), then the tests, then the page actions they share;
//! the machinery that runs them is in `harness/`, which a reader can skip.

use std::process::ExitCode;
use std::time::Duration;

use e2e::Error;
use e2e::browser::{self, ConsoleLine, eventually, find_test_id};
use e2e::driver::Engine;
use e2e::greetings::{english, greeting_in};
use e2e::http_probe;
use e2e::nginx::Nginx;
use e2e::site::{self, SUB_PATH};
use fantoccini::Client;
use serde_json::{Value, json};

mod harness;

use harness::*;

/// Every test, and where it runs (see [`Runs`]).
fn main() -> ExitCode {
    // ARCHITECTURE.md lists what runs where, and why.
    const CHROMIUM: &[Engine] = &[Engine::Chromium];
    const NOT_WEBKIT: &[Engine] = &[Engine::Chromium, Engine::Firefox];
    let everywhere = tests![
        greets_by_click,
        greets_by_enter,
        shows_an_error_then_recovers,
        greets_many_times_in_a_row,
        refuses_empty_and_whitespace_names,
        counts_the_length_limit_in_characters,
        refuses_a_pasted_10000_character_name,
        renders_html_looking_names_as_text,
        greets_emoji_combining_and_right_to_left_names,
        the_javascript_export_greets_and_throws,
        works_under_a_sub_path,
        the_page_carries_a_strict_csp,
        no_string_reaches_an_html_sink,
        loads_nothing_from_another_origin,
        greets_a_german_preferring_browser_in_german,
        greets_in_arabic_right_to_left_with_the_name_isolated,
        switching_greets_again_and_the_choice_survives_a_reload,
        the_catalogue_is_fetched_once_while_the_wasm_loads,
        each_first_load_file_is_requested_once,
        every_catalogue_failure_leaves_english_and_a_notice,
        the_first_view_comes_with_the_html,
        under_the_hood_shows_the_crossing_the_module_and_the_cost,
        under_the_hood_runs_the_raw_module_without_wasm_bindgen,
        a_repeat_visit_revalidates_only_the_page,
    ]
    .map(|test| (test, Runs::Everywhere));
    // The DevTools Protocol, and (Firefox's and WebKit's windows stop at about 450 px) a
    // 320 px window.
    let in_chromium = tests![
        says_so_when_the_module_cannot_load,
        fits_a_320_pixel_screen_without_scrolling_sideways,
        under_the_hood_without_the_names_file_still_lists_the_module,
        an_ime_composition_survives_the_handover,
        axe_finds_no_violation_with_the_section_open,
        what_trunk_serve_shows_greets_switches_and_opens_the_hood,
        the_npm_package_greets_from_a_page_that_imports_it,
    ]
    .map(|test| (test, Runs::In(CHROMIUM)));
    // WebKit's driver hangs on scripts while a page still loads (the held pages need that),
    // its MiniBrowser keeps no profile between sessions, and it gives no console.
    let not_in_webkit = tests![
        logs_each_greeting_and_warns_each_refusal,
        the_form_takes_typing_before_the_module_and_keeps_it,
        the_handover_keeps_the_focus_on_the_picker_and_the_opened_summary,
        a_language_chosen_before_the_app_is_live_is_kept,
        english_chosen_again_before_the_app_is_live_is_kept_over_a_stored_language,
        the_arrow_keys_move_from_english_in_the_build_time_picker,
        under_the_hood_tells_the_crossing_of_a_name_typed_before_the_app_was_live,
        a_returning_visitor_survives_a_deploy_that_changed_only_the_tools,
        the_hoods_address_is_where_the_allocator_put_the_name_seen_from_outside,
    ]
    .map(|test| (test, Runs::In(NOT_WEBKIT)));
    let on_the_server = tests![
        sends_wasm_with_its_type_caching_and_compression,
        sends_security_headers_and_revalidates_the_page,
        a_missing_file_is_a_404_not_the_page,
        sends_the_catalogue_and_the_names_file_as_compressed_text,
    ]
    .map(|test| (test, Runs::OnTheServer));
    harness::run(
        everywhere
            .into_iter()
            .chain(in_chromium)
            .chain(not_in_webkit)
            .chain(on_the_server),
    )
}

// ---- journeys -----------------------------------------------------------------------------

async fn greets_by_click(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        type_name(client, "Ferris").await?;
        click_say_hello(client).await?;
        wait_for_greeting(client, &english("Ferris")).await?;
        let status = find_test_id(client, "greeting").await?;
        ensure_eq(
            status.attr("role").await?.as_deref(),
            Some("status"),
            "greeting role",
        )
    })
    .await
}

async fn greets_by_enter(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        type_name(client, &format!("  Ada Lovelace {ENTER}")).await?;
        wait_for_greeting(client, &english("Ada Lovelace")).await
    })
    .await
}

async fn shows_an_error_then_recovers(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        click_say_hello(client).await?;
        wait_for_error(client, EMPTY_MESSAGE).await?;
        greet_by_enter(client, "Grace").await?;
        ensure_eq(
            error_count(client).await?,
            0,
            "error messages after recovery",
        )?;
        let input = find_test_id(client, "name-input").await?;
        ensure_eq(
            input.attr("aria-invalid").await?,
            None,
            "aria-invalid after recovery",
        )
    })
    .await
}

async fn greets_many_times_in_a_row(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        for name in [
            "Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances",
        ] {
            greet_by_enter(client, name).await?;
        }
        Ok(())
    })
    .await
}

// ---- bad input ----------------------------------------------------------------------------

async fn refuses_empty_and_whitespace_names(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        // Whitespace first, on a clean form: typing never shows an error, so this one can
        // only come from submitting with Enter.
        // (A tab key would move the focus, so this types only spaces.)
        type_name(client, &format!("     {ENTER}")).await?;
        wait_for_error(client, EMPTY_MESSAGE).await?;
        // A greeting clears the error; then an empty field, clicked, brings it back.
        greet_by_enter(client, "Ada").await?;
        paste_name(client, "").await?;
        ensure_eq(error_count(client).await?, 0, "errors before the click")?;
        click_say_hello(client).await?;
        wait_for_error(client, EMPTY_MESSAGE).await?;
        ensure_eq(greeting(client).await?, String::new(), "greeting")
    })
    .await
}

async fn counts_the_length_limit_in_characters(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        type_name(client, &format!("{}{ENTER}", "a".repeat(101))).await?;
        wait_for_error(client, TOO_LONG_MESSAGE).await?;
        greet_by_enter(client, &"a".repeat(100)).await
    })
    .await
}

async fn refuses_a_pasted_10000_character_name(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        paste_name(client, &"x".repeat(10_000)).await?;
        click_say_hello(client).await?;
        wait_for_error(client, TOO_LONG_MESSAGE).await?;
        // The visitor's text is still there to fix, not thrown away.
        let value = find_test_id(client, "name-input")
            .await?
            .prop("value")
            .await?;
        ensure_eq(value.map(|value| value.len()), Some(10_000), "input length")
    })
    .await
}

async fn renders_html_looking_names_as_text(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        for name in ["<img src=x onerror=window.pwned=1>", "</p><script>window.pwned=1</script>"] {
            greet_by_enter(client, name).await?;
            let parsed = js(
                client,
                "return [document.querySelectorAll('[data-testid=greeting] *:not(bdi)').length, typeof window.pwned]",
                vec![],
            )
            .await?;
            ensure_eq(parsed, json!([0, "undefined"]), "elements parsed from the name, and whether it ran")?;
        }
        Ok(())
    })
    .await
}

async fn greets_emoji_combining_and_right_to_left_names(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}";
        for name in [family, "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308} Alex"] {
            greet_pasted(client, name).await?;
        }
        // 100 family emoji are 100 characters (700 UTF-16 units, 2 500 bytes): accepted; 101
        // are one too many.
        greet_pasted(client, &family.repeat(100)).await?;
        paste_name(client, &family.repeat(101)).await?;
        click_say_hello(client).await?;
        wait_for_error(client, TOO_LONG_MESSAGE).await?;
        for name in ["Zoe\u{301}", "José", "مريم", "שָׁלוֹם", "山田太郎"] {
            greet_by_enter(client, name).await?;
        }
        Ok(())
    })
    .await
}

async fn fits_a_320_pixel_screen_without_scrolling_sideways(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        // The viewport's CSS width, whatever the window adds around it.
        client.set_window_size(320, 640).await?;
        let width = js(client, "return window.innerWidth", vec![]).await?;
        let chrome = width.as_i64().unwrap_or(320) - 320;
        client.set_window_size((320 - chrome) as u32, 640).await?;
        ensure_eq(
            js(client, "return window.innerWidth", vec![]).await?,
            json!(320),
            "viewport width",
        )?;
        let overflow =
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth";
        type_name(client, &format!("{}{ENTER}", "W".repeat(101))).await?;
        wait_for_error(client, TOO_LONG_MESSAGE).await?;
        ensure_eq(
            js(client, overflow, vec![]).await?,
            json!(0),
            "sideways overflow with the error",
        )?;
        greet_by_enter(client, &"W".repeat(100)).await?;
        ensure_eq(
            js(client, overflow, vec![]).await?,
            json!(0),
            "sideways overflow with a long greeting",
        )?;
        // "Under the hood", open: its long lines wrap inside the column, none is cut, and no
        // element of it (the report, the raw module's field and link) is wider than it; at
        // 320 px and at a phone's 390 px.
        open_under_the_hood(client).await?;
        wait_for_under_the_hood(
            client,
            &["The module:", "DOM and events (", "double_it(12) = 24,"],
        )
        .await?;
        for width in [320, 390] {
            client.set_window_size((width - chrome) as u32, 844).await?;
            ensure_eq(
                js(client, "return window.innerWidth", vec![]).await?,
                json!(width),
                "viewport width",
            )?;
            ensure_eq(
                js(client, SECTION_OVERFLOW, vec![]).await?,
                json!([[], 0]),
                &format!("at {width} px, the elements of the open section wider than it, and the page's overflow"),
            )?;
        }
        // On a 390 × 844 phone (the viewport DevTools' device mode gives it), the open
        // section, its groups closed, is at most two screens tall, with a name as people have.
        greet_by_enter(client, "Zoë").await?;
        wait_for_under_the_hood(client, &["holds 5A 6F C3 AB:"]).await?;
        let height = js(client, "return window.innerHeight", vec![]).await?;
        let extra = height.as_i64().unwrap_or(844) - 844;
        client.set_window_size((390 - chrome) as u32, (844 - extra) as u32).await?;
        let screens = js(
            client,
            "const section = document.querySelector('[data-testid=under-the-hood]');
             return [window.innerWidth, window.innerHeight,
                     section.getBoundingClientRect().height / window.innerHeight,
                     [...section.children].map(e => e.localName + ' ' + Math.round(e.getBoundingClientRect().height))];",
            vec![],
        )
        .await?;
        ensure(
            screens[0] == json!(390)
                && screens[1] == json!(844)
                && screens[2].as_f64().is_some_and(|s| s > 0.5 && s <= 2.0),
            || format!("[width, height, screens tall, heights of its parts]: {screens}"),
        )?;
        Ok(())
    })
    .await
}

// ---- console and the JS export ------------------------------------------------------------

async fn logs_each_greeting_and_warns_each_refusal(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        env.readable_console(client).await?;
        greet_by_enter(client, "Ferris").await?;
        greet_by_enter(client, "Ada").await?;
        type_name(client, &format!("  {ENTER}")).await?;
        wait_for_error(client, EMPTY_MESSAGE).await?;
        let lines = env.readable_console(client).await?;
        let with_level = |level: &str| -> Vec<&str> {
            lines
                .iter()
                .filter(|line| line.level == level)
                .map(|line| line.message.as_str())
                .collect()
        };
        let logs = with_level("INFO");
        let warnings = with_level("WARNING");
        ensure(
            logs.len() == 2
                && logs[0].ends_with(&format!("{:?}", english("Ferris")))
                && logs[1].ends_with(&format!("{:?}", english("Ada"))),
            || format!("console.log lines: {logs:?}"),
        )?;
        ensure(
            warnings.len() == 1 && warnings[0].ends_with(&format!("\"{EMPTY_MESSAGE}\"")),
            || format!("console.warn lines: {warnings:?}"),
        )?;
        ensure(errors_in(&lines).is_empty(), || {
            format!("console errors: {lines:?}")
        })
    })
    .await
}

async fn the_javascript_export_greets_and_throws(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        let call = "try { return ['ok', window.wasmBindings.say_hello(arguments[0])]; }
                    catch (error) { return [Object.prototype.toString.call(error).slice(8, -1), error.message]; }";
        ensure_eq(js(client, call, vec![json!("Ferris")]).await?, json!(["ok", english("Ferris")]), "say_hello(\"Ferris\")")?;
        ensure_eq(
            js(client, call, vec![json!("   ")]).await?,
            json!(["Error", EMPTY_MESSAGE]),
            "say_hello(\"   \")",
        )?;
        for control in ["Fer\tris", "Fer\nris", "Fer\u{0}ris", "\u{202E}sirreF"] {
            let thrown = js(client, call, vec![json!(control)]).await?;
            ensure(
                thrown[0] == "Error" && thrown[1].as_str().is_some_and(|message| message.contains("control characters")),
                || format!("say_hello({control:?}) gave {thrown}"),
            )?;
        }
        Ok(())
    })
    .await
}

// ---- the deployment -----------------------------------------------------------------------

async fn works_under_a_sub_path(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, SUB_PATH, async |client| {
        greet_by_enter(client, "Ferris").await?;
        let resources = js(
            client,
            "return performance.getEntriesByType('resource').map(e => e.name)",
            vec![],
        )
        .await?;
        let base = format!("{}{SUB_PATH}", env.origin);
        let resources: Vec<&str> = resources
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        ensure(
            resources.iter().any(|url| url.ends_with(".wasm"))
                && resources.iter().all(|url| url.starts_with(&base)),
            || format!("resources outside {base}: {resources:?}"),
        )?;
        let greeting = js(
            client,
            "return window.wasmBindings.say_hello('Ada')",
            vec![],
        )
        .await?;
        ensure_eq(
            greeting,
            json!(english("Ada")),
            "the export under a sub-path",
        )
    })
    .await
}

async fn the_page_carries_a_strict_csp(env: &Env<'_>) -> Result<(), Error> {
    // with_page fails on any browser error: a blocked inline script or any other violation
    // is reported as one, and the app would not mount at all.
    with_page(env, "/", async |client| {
        let policy = js(
            client,
            "return document.querySelector('meta[http-equiv=Content-Security-Policy]').content",
            vec![],
        )
        .await?;
        let policy = policy.as_str().unwrap_or_default();
        for directive in ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval' 'sha256-", "style-src 'self' 'sha256-", "object-src 'none'", "base-uri 'self'", "form-action 'none'", "require-trusted-types-for 'script'", "trusted-types 'none'"] {
            ensure(policy.contains(directive), || format!("{directive:?} missing from {policy:?}"))?;
        }
        ensure(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"), || format!("loose policy {policy:?}"))?;
        // The policy is enforced, not just present: an injected inline script is refused.
        // Trusted Types refuse its text before `script-src` would refuse to run it.
        let refused = js(
            client,
            "const seen = []; document.addEventListener('securitypolicyviolation', e => seen.push(e.violatedDirective));
             try { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.append(s); }
             catch (error) { seen.push(error.name); }
             return new Promise(done => setTimeout(() => done([typeof window.injected, seen]), 100));",
            vec![],
        )
        .await?;
        ensure_eq(refused[0].clone(), json!("undefined"), "whether an injected script ran")?;
        ensure_eq(
            refused[1].clone(),
            json!(["TypeError", "require-trusted-types-for"]),
            "the error thrown, then the violation reported (an event of its own)",
        )?;
        // That refusal is logged as an error; take it so the final check sees only the app's.
        env.ensure_no_errors(client, |line| line.message.contains("TrustedScript")).await?;
        greet_by_enter(client, "Ferris").await
    })
    .await
}

/// Under Trusted Types with no policy, the page greets, switches language, opens "Under the
/// hood" with no policy violation; and a string set as HTML is refused (the probe that proves
/// the policy is in force, not just written). Chromium 156, Firefox 153 and WebKitGTK 2.50
/// all enforce Trusted Types.
async fn no_string_reaches_an_html_sink(env: &Env<'_>) -> Result<(), Error> {
    // The probe's refusal is the one error the console may show.
    let the_probe = |line: &ConsoleLine| line.message.contains("TrustedHTML");
    if env.engine == Engine::WebKit {
        // Its driver hangs on a script while the page loads: watching starts once it is live.
        return env
            .with_session(async |client| {
                client.goto(&format!("{}/", env.origin)).await?;
                browser::wait_for_app(client).await?;
                watch_policy_violations(client).await?;
                run_the_app_then_probe_the_policy(client).await?;
                env.ensure_no_errors(client, the_probe).await
            })
            .await;
    }
    // Watching from before the module runs, so the handover is watched too.
    with_held_page_expecting(env, "/__held-page/", the_probe, async |client| {
        watch_policy_violations(client).await?;
        let_the_module_through(env, client).await?;
        run_the_app_then_probe_the_policy(client).await
    })
    .await
}

/// Collects the page's policy violations from now on, in `window.violations`.
async fn watch_policy_violations(client: &Client) -> Result<(), Error> {
    js(
        client,
        "window.violations = [];
         document.addEventListener('securitypolicyviolation',
             e => window.violations.push(e.violatedDirective + ' ' + e.sample));",
        vec![],
    )
    .await?;
    Ok(())
}

/// Greets, switches to Arabic and opens "Under the hood", then checks that none of it
/// violated the policy, and that a string set as HTML is refused.
async fn run_the_app_then_probe_the_policy(client: &Client) -> Result<(), Error> {
    wait_for_language(client, "en").await?;
    greet_by_enter(client, "Ferris").await?;
    choose_language(client, "ar").await?;
    open_under_the_hood(client).await?;
    wait_for_under_the_hood(client, &["The module:"]).await?;
    let violations = js(
        client,
        "return new Promise(done => setTimeout(() => done(window.violations), 100))",
        vec![],
    )
    .await?;
    ensure_eq(violations, json!([]), "policy violations while the app ran")?;
    let probe = js(
        client,
        "const div = document.createElement('div');
         try { div.innerHTML = '<b>a string</b>'; } catch (error) { window.refused = error.name; }
         return new Promise(done => setTimeout(
             () => done([window.refused || null, div.childElementCount, window.violations.length]), 100));",
        vec![],
    )
    .await?;
    ensure_eq(
        probe,
        json!(["TypeError", 0, 1]),
        "a string set as innerHTML: the error, the elements it made, the violations",
    )
}

async fn loads_nothing_from_another_origin(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        greet_by_enter(client, "Ferris").await?;
        let urls = js(
            client,
            "return [location.href, ...performance.getEntriesByType('resource').map(e => e.name)]",
            vec![],
        )
        .await?;
        let urls: Vec<&str> = urls
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        ensure(urls.len() >= 3, || {
            format!("too few requests seen: {urls:?}")
        })?;
        let foreign: Vec<_> = urls
            .iter()
            .filter(|url| !url.starts_with(&format!("{}/", env.origin)))
            .collect();
        ensure(foreign.is_empty(), || {
            format!("requests to another origin: {foreign:?}")
        })
    })
    .await
}

fn built_file(env: &Env, extension: &str) -> Result<String, Error> {
    let mut names: Vec<String> = std::fs::read_dir(env.www.path())?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(extension))
        .collect();
    names.sort();
    names
        .pop()
        .ok_or_else(|| format!("no {extension} file in the build").into())
}

async fn sends_wasm_with_its_type_caching_and_compression(env: &Env<'_>) -> Result<(), Error> {
    let wasm = built_file(env, "_bg.wasm")?;
    let js = built_file(env, ".js")?;
    let files = [
        (format!("/{wasm}"), "application/wasm"),
        (format!("{SUB_PATH}{wasm}"), "application/wasm"),
        (format!("/{js}"), "application/javascript"),
        (format!("{SUB_PATH}{js}"), "application/javascript"),
    ];
    let encodings = [
        (Some("gzip, deflate, br"), Some("br")),
        (Some("gzip"), Some("gzip")),
        (None, None),
    ];
    for (path, content_type) in &files {
        let size = std::fs::metadata(env.www.path().join(path.trim_start_matches('/')))?.len();
        for (accept, encoding) in encodings {
            let response = http_probe::get(env.port, path, accept).await?;
            let what = format!("{path} with Accept-Encoding {accept:?}");
            ensure_eq(response.status, 200, &format!("{what}: status"))?;
            ensure(
                response
                    .header("content-type")
                    .is_some_and(|t| t.starts_with(content_type)),
                || format!("{what}: Content-Type {:?}", response.header("content-type")),
            )?;
            ensure_eq(
                response.header("content-encoding"),
                encoding,
                &format!("{what}: Content-Encoding"),
            )?;
            ensure_eq(
                response.header("cache-control"),
                Some("public, max-age=31536000, immutable"),
                &format!("{what}: Cache-Control"),
            )?;
            let body = response.body.len() as u64;
            if encoding.is_none() {
                ensure_eq(body, size, &format!("{what}: body size"))?;
            } else {
                ensure(body < size / 2, || {
                    format!("{what}: {body} of {size} bytes")
                })?;
            }
        }
    }
    Ok(())
}

async fn sends_security_headers_and_revalidates_the_page(env: &Env<'_>) -> Result<(), Error> {
    for path in ["/", "/index.html", SUB_PATH] {
        let response = http_probe::get(env.port, path, Some("br")).await?;
        ensure_eq(response.status, 200, &format!("{path}: status"))?;
        ensure(
            response
                .header("content-type")
                .is_some_and(|t| t.starts_with("text/html")),
            || format!("{path}: Content-Type"),
        )?;
        ensure_eq(
            response.header("cache-control"),
            Some("no-cache"),
            &format!("{path}: Cache-Control"),
        )?;
        ensure_eq(
            response.header("x-content-type-options"),
            Some("nosniff"),
            &format!("{path}: nosniff"),
        )?;
        ensure_eq(
            response.header("referrer-policy"),
            Some("no-referrer"),
            &format!("{path}: Referrer-Policy"),
        )?;
        ensure_eq(
            response.header("x-frame-options"),
            Some("DENY"),
            &format!("{path}: X-Frame-Options"),
        )?;
        let csp = response
            .header("content-security-policy")
            .unwrap_or_default();
        ensure(csp.contains("frame-ancestors 'none'"), || {
            format!("{path}: CSP header {csp:?}")
        })?;
    }
    Ok(())
}

async fn a_missing_file_is_a_404_not_the_page(env: &Env<'_>) -> Result<(), Error> {
    for path in [
        "/missing.wasm",
        "/hello-wasm-0000000000000000_bg.wasm",
        "/apps/hello/missing.js",
        "/no/such/page",
    ] {
        let response = http_probe::get(env.port, path, Some("br")).await?;
        ensure_eq(response.status, 404, &format!("{path}: status"))?;
        // Not cached: a file missing for a moment (index.html deployed before its assets)
        // must not stay missing in caches for a year because its name looks hashed.
        ensure_eq(
            response.header("cache-control"),
            Some("no-cache"),
            &format!("{path}: Cache-Control"),
        )?;
        ensure(
            response.header("content-type") != Some("application/wasm")
                && !String::from_utf8_lossy(&response.body).contains("Look, Ma!"),
            || format!("{path}: served something other than a 404 page"),
        )?;
    }
    Ok(())
}

async fn says_so_when_the_module_cannot_load(env: &Env<'_>) -> Result<(), Error> {
    // Not `with_page`: the app never mounts here, and the blocked request is an expected error.
    env.with_session(async |client| {
        browser::devtools(client, "Network.enable", json!({})).await?;
        browser::devtools(
            client,
            "Network.setBlockedURLs",
            json!({ "urls": ["*.wasm"] }),
        )
        .await?;
        client.goto(&format!("{}/", env.origin)).await?;
        let notice = find_test_id(client, "load-stalled").await?;
        ensure(!notice.is_displayed().await?, || {
            "the stalled-load notice showed at once".to_owned()
        })?;
        eventually("the stalled-load notice", || async {
            Ok(notice.is_displayed().await?.then_some(()))
        })
        .await?;
        ensure_eq(error_count(client).await?, 0, "form errors")?;
        // The build-time form is there, and its button stays disabled: nothing is live.
        let button = find_test_id(client, "say-hello").await?;
        ensure_eq(
            button.prop("disabled").await?.as_deref(),
            Some("true"),
            "the button without the module",
        )
    })
    .await
}

// ---- languages ----------------------------------------------------------------------------

/// The language the picker shows, once the catalogue has arrived (more than one option).
async fn wait_for_language(client: &Client, expected: &str) -> Result<(), Error> {
    eventually(
        &format!("the language {expected:?} to be chosen"),
        || async move {
            let state = js(
                client,
                "const select = document.querySelector('[data-testid=language]');
             return [select.options.length, select.value];",
                vec![],
            )
            .await?;
            Ok((state[0].as_u64() > Some(1) && state[1] == json!(expected)).then_some(()))
        },
    )
    .await
}

/// The `localStorage` key under which the app keeps the chosen language's tag.
const LANGUAGE_KEY: &str = "hello-wasm.language";

/// Stores `tag` as if chosen on an earlier visit.
async fn store_language(client: &Client, tag: &str) -> Result<(), Error> {
    js(
        client,
        "localStorage.setItem(arguments[0], arguments[1])",
        vec![json!(LANGUAGE_KEY), json!(tag)],
    )
    .await
    .map(drop)
}

/// The tag stored as the visitor's choice, if any; the storage is cleared for the next test.
async fn take_stored_language(client: &Client) -> Result<Value, Error> {
    js(
        client,
        "const stored = localStorage.getItem(arguments[0]);
         localStorage.clear();
         return stored;",
        vec![json!(LANGUAGE_KEY)],
    )
    .await
}

async fn choose_language(client: &Client, tag: &str) -> Result<(), Error> {
    find_test_id(client, "language")
        .await?
        .select_by_value(tag)
        .await?;
    Ok(())
}

/// The greeting's `lang` and `dir`, and the text of the `<bdi>` around the name.
async fn greeting_language(client: &Client) -> Result<Value, Error> {
    js(
        client,
        "const greeting = document.querySelector('[data-testid=greeting]');
         const name = greeting.querySelector('bdi');
         return [greeting.lang, greeting.dir, name && name.textContent];",
        vec![],
    )
    .await
}

async fn greets_a_german_preferring_browser_in_german(env: &Env<'_>) -> Result<(), Error> {
    for path in ["/", SUB_PATH] {
        let german = browser::Options {
            language: "de-AT",
            ..Default::default()
        };
        env.session(german, async |client| {
            client.goto(&format!("{}{path}", env.origin)).await?;
            browser::wait_for_app(client).await?;
            // de-AT is not in the catalogue: it falls back to de.
            wait_for_language(client, "de").await?;
            type_name(client, "Ada").await?;
            click_say_hello(client).await?;
            wait_for_greeting(client, &greeting_in("de", "Ada")).await?;
            ensure_eq(
                greeting_language(client).await?,
                json!(["de", "ltr", "Ada"]),
                "lang, dir and the isolated name",
            )?;
            // A corrupt or unknown stored choice is ignored: the browser's language wins.
            for stored in ["\\u0000<garbage>", "tlh"] {
                store_language(client, stored).await?;
                client.refresh().await?;
                browser::wait_for_app(client).await?;
                wait_for_language(client, "de").await?;
            }
            env.ensure_no_errors(client, |_| false).await
        })
        .await
        .map_err(|error| format!("{path}: {error}"))?;
    }
    Ok(())
}

async fn greets_in_arabic_right_to_left_with_the_name_isolated(env: &Env<'_>) -> Result<(), Error> {
    with_page(env, "/", async |client| {
        wait_for_language(client, "en").await?;
        choose_language(client, "ar").await?;
        type_name(client, "Ada").await?;
        click_say_hello(client).await?;
        wait_for_greeting(client, "مرحبًا يا Ada!").await?;
        ensure_eq(
            greeting_language(client).await?,
            json!(["ar", "rtl", "Ada"]),
            "lang, dir and the isolated name",
        )?;
        // And a right-to-left name in a left-to-right greeting.
        choose_language(client, "en").await?;
        paste_name(client, "مريم").await?;
        click_say_hello(client).await?;
        wait_for_greeting(client, &english("مريم")).await?;
        ensure_eq(
            greeting_language(client).await?,
            json!(["en", "ltr", "مريم"]),
            "lang, dir and the isolated name",
        )
    })
    .await
}

async fn switching_greets_again_and_the_choice_survives_a_reload(
    env: &Env<'_>,
) -> Result<(), Error> {
    for path in ["/", SUB_PATH] {
        with_page(env, path, async |client| {
            wait_for_language(client, "en").await?;
            greet_by_enter(client, "Ada").await?;
            // A change greets the same name again at once, without a submit.
            choose_language(client, "ja").await?;
            wait_for_greeting(client, "Adaさん、こんにちは！").await?;
            client.refresh().await?;
            browser::wait_for_app(client).await?;
            wait_for_language(client, "ja").await?;
            type_name(client, &format!("Ada{ENTER}")).await?;
            wait_for_greeting(client, "Adaさん、こんにちは！").await?;
            js(client, "localStorage.clear()", vec![]).await.map(drop)
        })
        .await
        .map_err(|error| format!("{path}: {error}"))?;
    }
    Ok(())
}

async fn the_catalogue_is_fetched_once_while_the_wasm_loads(env: &Env<'_>) -> Result<(), Error> {
    let name = built_file(env, ".txt")?;
    for path in ["/", SUB_PATH] {
        let catalogue = format!("{path}{name}");
        let before = env.nginx.requests_for(&catalogue)?;
        with_page(env, path, async |client| {
            wait_for_language(client, "en").await?;
            // The preload starts the request before the wasm has finished downloading.
            let timing = js(
                client,
                "const entries = performance.getEntriesByType('resource');
                 const catalogue = entries.filter(e => e.name.endsWith('/' + arguments[0]));
                 const wasm = entries.find(e => e.name.endsWith('.wasm'));
                 return [catalogue.length, catalogue[0].initiatorType,
                         catalogue[0].startTime < wasm.responseEnd];",
                vec![json!(name)],
            )
            .await?;
            ensure_eq(
                timing,
                json!([1, "link", true]),
                "catalogue entries, who started it, and whether it started before the wasm was in",
            )
        })
        .await
        .map_err(|error| format!("{path}: {error}"))?;
        ensure_eq(
            env.nginx.requests_for(&catalogue)? - before,
            1,
            &format!("requests nginx logged for {catalogue}"),
        )?;
    }
    Ok(())
}

/// A fresh visit requests each first-load file exactly once: the preloads are what the page
/// then uses, in every engine (WebKit used to fetch the module and the catalogue twice).
async fn each_first_load_file_is_requested_once(env: &Env<'_>) -> Result<(), Error> {
    let files = [
        String::new(),
        built_file(env, ".js")?,
        built_file(env, "_bg.wasm")?,
        built_file(env, ".txt")?,
    ];
    let before = env.nginx.requests()?.len();
    with_page(env, "/", async |client| {
        wait_for_language(client, "en").await?;
        greet_by_enter(client, "Ferris").await?;
        // No warning about the page either (Chromium warned about `integrity` on the module's
        // preload on every load). WebKit gives no console.
        if let Some(lines) = env.console(client).await? {
            let warnings: Vec<_> = lines
                .iter()
                .filter(|line| line.level == "WARNING")
                .collect();
            ensure(warnings.is_empty(), || {
                format!("console warnings: {warnings:#?}")
            })?;
        }
        Ok(())
    })
    .await?;
    let requests = env.nginx.requests()?[before..].to_vec();
    for file in &files {
        let line = format!("\"GET /{file} HTTP/");
        let count = requests
            .iter()
            .filter(|request| request.contains(&line))
            .count();
        ensure_eq(count, 1, &format!("requests for /{file} in {requests:#?}"))?;
    }
    Ok(())
}

/// The catalogue is named after its bytes and cached for a year; the names file beside the
/// module is revalidated. Both are UTF-8 text, sent compressed.
async fn sends_the_catalogue_and_the_names_file_as_compressed_text(
    env: &Env<'_>,
) -> Result<(), Error> {
    let catalogue = built_file(env, ".txt")?;
    let names = built_file(env, ".names")?;
    for (file, cache_control) in [
        (catalogue, "public, max-age=31536000, immutable"),
        (names, "no-cache"),
    ] {
        for path in [format!("/{file}"), format!("{SUB_PATH}{file}")] {
            let response = http_probe::get(env.port, &path, Some("br")).await?;
            ensure_eq(response.status, 200, &path)?;
            ensure_eq(response.header("content-encoding"), Some("br"), &path)?;
            ensure_eq(response.header("cache-control"), Some(cache_control), &path)?;
            ensure_eq(
                response.header("content-type"),
                Some("text/plain; charset=utf-8"),
                &path,
            )?;
        }
    }
    Ok(())
}

async fn every_catalogue_failure_leaves_english_and_a_notice(env: &Env<'_>) -> Result<(), Error> {
    for prefix in ["", "sub-"] {
        for kind in site::CATALOGUE_FAULTS {
            let path = format!("/__faults/{prefix}{kind}/");
            // A stalled catalogue holds the page's `load` until the app gives up on it
            // (5 s), so the visitor is met before that: WebDriver returns at
            // `DOMContentLoaded`. Not in WebKit, whose driver hangs on a script while the
            // page loads; there the greeting comes after the notice.
            let before_the_catalogue = kind == "stalled" && env.engine != Engine::WebKit;
            let options = browser::Options {
                page_load: if before_the_catalogue {
                    "eager"
                } else {
                    "normal"
                },
                ..Default::default()
            };
            env.session(options, async |client| {
                client.goto(&format!("{}{path}", env.origin)).await?;
                browser::wait_for_app(client).await?;
                // English works at once, whatever the catalogue is doing.
                greet_by_enter(client, "Ada").await?;
                if before_the_catalogue {
                    let notices = js(
                        client,
                        "return document.querySelectorAll('[data-testid=language-notice]').length",
                        vec![],
                    )
                    .await?;
                    ensure_eq(
                        notices,
                        json!(0),
                        "notices while the catalogue is on its way",
                    )?;
                }
                let notice = find_test_id(client, "language-notice").await?;
                ensure_eq(
                    notice.attr("role").await?.as_deref(),
                    Some("status"),
                    "notice role",
                )?;
                ensure(notice.text().await?.contains("English"), || {
                    "the notice says English".into()
                })?;
                let options = js(
                    client,
                    "return document.querySelector('[data-testid=language]').options.length",
                    vec![],
                )
                .await?;
                ensure_eq(options, json!(1), "languages offered")?;
                greet_by_enter(client, "Grace").await?;
                // WebKit gives no console: the notice above is what it shows; Chromium's and
                // Firefox's console must also say why.
                let Some(lines) = env.console(client).await? else {
                    return env.ensure_no_errors(client, |_| false).await;
                };
                let why = match kind {
                    "missing" => "the server answered 404",
                    "500" => "the server answered 500",
                    "malformed" => "is not a greetings catalogue",
                    "dropped" => "could not be fetched",
                    _ => "it did not arrive within 5 seconds",
                };
                ensure(
                    lines.iter().any(|line| {
                        line.level == "WARNING"
                            && line.message.contains("Greeting in English only")
                            && line.message.contains(why)
                    }),
                    || format!("no warning says {why:?}: {lines:#?}"),
                )?;
                // The browser reports the failed request itself; nothing else may be an error.
                let unexpected: Vec<_> = errors_in(&lines)
                    .into_iter()
                    .filter(|line| !line.message.contains(&format!("/__faults/{kind}.txt")))
                    .collect();
                ensure(unexpected.is_empty(), || {
                    format!("errors in the console: {unexpected:#?}")
                })
            })
            .await
            .map_err(|error| format!("{path}: {error}"))?;
        }
    }
    Ok(())
}

// ---- the build-time first view --------------------------------------------------------------

async fn the_first_view_comes_with_the_html(env: &Env<'_>) -> Result<(), Error> {
    for path in ["/", SUB_PATH] {
        let page = http_probe::get(env.port, path, None).await?;
        let html = String::from_utf8_lossy(&page.body);
        for part in [
            "data-testid=\"name-input\"",
            "data-testid=\"language\"",
            "data-testid=\"greeting\"",
            ">Name</label>",
            ">Say hello</button>",
            "data-testid=\"say-hello\" disabled>",
            "<style>",
        ] {
            ensure(html.contains(part), || {
                format!("{path}: {part} missing from the page")
            })?;
        }
        ensure(!html.contains("stylesheet"), || {
            format!("{path}: the page links a style sheet")
        })?;
        with_page(env, path, async |client| {
            let requested = js(
                client,
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.css'))",
                vec![],
            )
            .await?;
            ensure_eq(requested, json!([]), "style sheets requested")?;
            // Every control of the form is a fingertip tall (44 px, WCAG's target size), the
            // picker too, which browsers draw smaller, so the three line up.
            let heights = js(
                client,
                "return ['name-input', 'language', 'say-hello'].map(id => document
                   .querySelector(`[data-testid=${id}]`).getBoundingClientRect().height);",
                vec![],
            )
            .await?;
            ensure_eq(heights, json!([44, 44, 44]), "the form's controls' heights")?;
            greet_by_enter(client, "Ferris").await
        })
        .await
        .map_err(|error| format!("{path}: {error}"))?;
    }
    Ok(())
}

/// Fails unless the page has had no layout shift: none at all since the module was let
/// through (see [`mark_the_build_time_nodes`]), and none before but the visitor's own (a
/// section they opened), which the metric leaves out for half a second after their input.
/// The handover comes within that half second of the test's typing, so after it nothing is
/// left out. Only Chromium reports layout shifts (CLS is its metric): in Firefox and WebKit,
/// which have no such entries, the trials do not make this check
/// ([`Engine::reports_layout_shifts`]), and made there it fails rather than pass unmeasured.
async fn ensure_no_layout_shift(env: &Env<'_>, client: &Client) -> Result<(), Error> {
    let total = js(
        client,
        "if (!PerformanceObserver.supportedEntryTypes.includes('layout-shift')) return null;
         return new Promise(done => {
             const from = window.__letThroughAt ?? Infinity;
             let total = 0;
             new PerformanceObserver(list => list.getEntries().forEach(e => {
                 if (e.startTime >= from || !e.hadRecentInput) total += e.value;
             })).observe({ type: 'layout-shift', buffered: true });
             setTimeout(() => done(total), 300);
         });",
        vec![],
    )
    .await?;
    ensure(!total.is_null(), || {
        format!(
            "{} reports no layout-shift entries: the check cannot be made",
            env.engine.name()
        )
    })?;
    ensure_eq(total, json!(0), "cumulative layout shift")
}

async fn the_form_takes_typing_before_the_module_and_keeps_it(env: &Env<'_>) -> Result<(), Error> {
    for path in HELD_PAGES {
        with_held_page(env, path, async |client| {
            let input = find_test_id(client, "name-input").await?;
            ensure(input.is_displayed().await?, || "the field is not visible".into())?;
            let button = find_test_id(client, "say-hello").await?;
            ensure_eq(button.prop("disabled").await?.as_deref(), Some("true"), "the waiting button")?;
            // Typing works; Enter and the button neither submit nor lose it.
            input.send_keys(&format!("Ada Love{ENTER}")).await?;
            button.click().await.ok();
            // The caret two characters back: "Ada Lo|ve".
            input.send_keys("\u{E012}\u{E012}").await?;
            let before = js(
                client,
                "const i = document.querySelector('[data-testid=name-input]');
                 return [location.pathname, i.value, i.selectionStart, i.selectionEnd,
                         document.activeElement === i, document.querySelectorAll('[data-testid=greeting] bdi').length];",
                vec![],
            )
            .await?;
            ensure_eq(before, json!([path, "Ada Love", 6, 6, true, 0]), "the page before the module")?;
            hand_over_keeping_the_nodes(env, client).await?;
            let after = js(
                client,
                "const i = document.querySelector('[data-testid=name-input]');
                 return [i.value, i.selectionStart, i.selectionEnd, document.activeElement === i];",
                vec![],
            )
            .await?;
            ensure_eq(after, json!(["Ada Love", 6, 6, true]), "value, caret and focus after the handover")?;
            if env.engine.reports_layout_shifts() {
                ensure_no_layout_shift(env, client).await?;
            }
            // Typing goes on where the caret was, and the first greeting uses it all.
            client.active_element().await?.send_keys(&format!("-{ENTER}")).await?;
            wait_for_greeting(client, &english("Ada Lo-ve")).await
        })
        .await?;
    }
    Ok(())
}

/// What the build-time page painted, and the app must keep: the heading, the intro and every
/// control (the name field, the picker, the button, the section's summary and its number
/// field).
const BUILD_TIME_NODES: &str =
    "h1, .intro, input, select, button, [data-testid=under-the-hood] > summary";

/// Lets the module through ([`let_the_module_through`]) and fails unless the live app kept
/// each of [`BUILD_TIME_NODES`] the HTML painted.
async fn hand_over_keeping_the_nodes(env: &Env<'_>, client: &Client) -> Result<(), Error> {
    mark_the_build_time_nodes(client).await?;
    let_the_module_through(env, client).await?;
    ensure_the_build_time_nodes_are_kept(client).await
}

/// Marks each of [`BUILD_TIME_NODES`] on the page as it is before the module runs, and
/// notes when (for [`ensure_no_layout_shift`]).
async fn mark_the_build_time_nodes(client: &Client) -> Result<(), Error> {
    let marked = js(
        client,
        "const nodes = document.querySelectorAll(arguments[0]);
         nodes.forEach(node => { node.builtIn = true; });
         window.__letThroughAt = performance.now();
         return nodes.length;",
        vec![json!(BUILD_TIME_NODES)],
    )
    .await?;
    ensure_eq(marked, json!(7), "the build-time nodes marked")
}

/// Fails unless each of [`BUILD_TIME_NODES`] is still the node the HTML painted.
async fn ensure_the_build_time_nodes_are_kept(client: &Client) -> Result<(), Error> {
    let replaced = js(
        client,
        "return [...document.querySelectorAll(arguments[0])]
           .filter(node => node.builtIn !== true).map(node => node.localName);",
        vec![json!(BUILD_TIME_NODES)],
    )
    .await?;
    ensure_eq(
        replaced,
        json!([]),
        "build-time nodes replaced by the live app",
    )
}

async fn the_handover_keeps_the_focus_on_the_picker_and_the_opened_summary(
    env: &Env<'_>,
) -> Result<(), Error> {
    for selector in ["[data-testid=language]", "summary"] {
        with_held_page(env, HELD_PAGES[0], async |client| {
            let control = client.find(fantoccini::Locator::Css(selector)).await?;
            if selector == "summary" {
                // The visitor opens the section before the app is live.
                control.click().await?;
            } else {
                js(
                    client,
                    "document.querySelector(arguments[0]).focus()",
                    vec![json!(selector)],
                )
                .await?;
            }
            hand_over_keeping_the_nodes(env, client).await?;
            let focused = js(
                client,
                "return document.activeElement === document.querySelector(arguments[0]);",
                vec![json!(selector)],
            )
            .await?;
            ensure_eq(focused, json!(true), "the focus after the handover")?;
            if selector == "summary" {
                // Opened before the app was live, it shows what it shows on opening.
                wait_for_under_the_hood(client, &["The module:"]).await?;
            }
            if env.engine.reports_layout_shifts() {
                ensure_no_layout_shift(env, client).await?;
            }
            Ok(())
        })
        .await
        .map_err(|error| format!("{selector}: {error}"))?;
    }
    Ok(())
}

/// The build-time picker offers every language; one chosen before the app is live is the
/// language once the catalogue has come, in the same picker, and greets in it.
async fn a_language_chosen_before_the_app_is_live_is_kept(env: &Env<'_>) -> Result<(), Error> {
    for path in HELD_PAGES {
        with_held_page(env, path, async |client| {
            let offered = js(
                client,
                "return document.querySelector('[data-testid=language]').options.length",
                vec![],
            )
            .await?;
            ensure(offered.as_u64() > Some(20), || {
                format!("the build-time picker offers {offered} languages")
            })?;
            choose_language(client, "fr").await?;
            hand_over_then_ensure_the_language(env, client, "fr").await?;
            find_test_id(client, "name-input")
                .await?
                .send_keys(&format!("Zoë{ENTER}"))
                .await?;
            wait_for_greeting(client, "Bonjour, Zoë\u{202f}!").await?;
            ensure_eq(
                greeting_language(client).await?,
                json!(["fr", "ltr", "Zoë"]),
                "the greeting's lang, dir and name",
            )?;
            if env.engine.reports_layout_shifts() {
                ensure_no_layout_shift(env, client).await?;
            }
            Ok(())
        })
        .await?;
    }
    Ok(())
}

/// Lets the module through ([`hand_over_keeping_the_nodes`]), then fails unless the language
/// chosen in the build-time picker, `tag`, is the language once the catalogue has come, and
/// is remembered (the stored choice is taken, so the session leaves none).
async fn hand_over_then_ensure_the_language(
    env: &Env<'_>,
    client: &Client,
    tag: &str,
) -> Result<(), Error> {
    hand_over_keeping_the_nodes(env, client).await?;
    wait_for_language(client, tag).await?;
    ensure_eq(
        take_stored_language(client).await?,
        json!(tag),
        "the stored language",
    )
}

/// English chosen again in the build-time picker (German, then English) before the app is
/// live, by a visitor who chose French on an earlier visit: English is the language once the
/// catalogue has come, and is remembered. The picker starts on an option of its own, shown as
/// English, that any choice leaves, so the handover tells this from no choice.
async fn english_chosen_again_before_the_app_is_live_is_kept_over_a_stored_language(
    env: &Env<'_>,
) -> Result<(), Error> {
    with_held_page(env, HELD_PAGES[0], async |client| {
        store_language(client, "fr").await?;
        choose_language(client, "de").await?;
        choose_language(client, "en").await?;
        hand_over_then_ensure_the_language(env, client, "en").await
    })
    .await
}

/// The arrow keys in the build-time picker, which starts on English (its option for "nothing
/// chosen yet"): down moves to the next language, as from English in the app's picker, and
/// that choice is kept and remembered.
async fn the_arrow_keys_move_from_english_in_the_build_time_picker(
    env: &Env<'_>,
) -> Result<(), Error> {
    with_held_page(env, HELD_PAGES[0], async |client| {
        find_test_id(client, "language")
            .await?
            .send_keys(ARROW_DOWN)
            .await?;
        let chosen = js(
            client,
            "const picker = document.querySelector('[data-testid=language]');
             return [picker.value, picker.options[picker.selectedIndex].text];",
            vec![],
        )
        .await?;
        ensure_eq(chosen, json!(["ar", "العربية"]), "chosen by one arrow down")?;
        hand_over_then_ensure_the_language(env, client, "ar").await
    })
    .await
}

/// A name typed before the app was live and submitted as it was: "Under the hood" tells its
/// crossing from the string the glue wrote for the field's text, with its bytes at the address
/// shown, as for any other greeting.
async fn under_the_hood_tells_the_crossing_of_a_name_typed_before_the_app_was_live(
    env: &Env<'_>,
) -> Result<(), Error> {
    for path in HELD_PAGES {
        with_held_page(env, path, async |client| {
            find_test_id(client, "name-input")
                .await?
                .send_keys("Zoë")
                .await?;
            let_the_module_through(env, client).await?;
            client.active_element().await?.send_keys(ENTER).await?;
            wait_for_greeting(client, &english("Zoë")).await?;
            open_under_the_hood(client).await?;
            let text = wait_for_under_the_hood(
                client,
                &[
                    "How \u{201C}Zoë\u{201D} crossed",
                    "encodes it to UTF-8: 4 bytes.",
                ],
            )
            .await?;
            let address = text
                .split("the bytes are at 0x")
                .nth(1)
                .map(|rest| rest[..8].to_owned())
                .ok_or("no address")?;
            let at = format!("4. At 0x{address} that memory holds 5A 6F C3 AB:");
            ensure(text.contains(&at), || format!("{at:?} not in {text}"))
        })
        .await?;
    }
    Ok(())
}

/// Wraps the browser's WebAssembly API, before the module is instantiated, so that the
/// instance's allocator reports each address it returns: for `__wbindgen_realloc`, the last
/// call of which leaves a string where the glue wrote it, with the bytes there at that moment.
///
/// Firefox runs WebDriver's scripts in a sandbox that sees the page's objects through Xray
/// wrappers, so a change to `WebAssembly` there would not reach the page: the script works on
/// the page's own objects (`wrappedJSObject`, which other engines do not have).
const WATCH_THE_ALLOCATOR: &str = "
    const [malloc, realloc] = arguments;
    const page = window.wrappedJSObject ?? window;
    page.__allocations = [];
    const WebAssembly = page.WebAssembly;
    const watch = (result) => {
        const instance = result instanceof WebAssembly.Instance ? result : result.instance;
        const memory = () => Object.values(instance.exports)
            .find((value) => value instanceof WebAssembly.Memory);
        // The instance's exports are frozen: the glue is given a copy, the allocator wrapped.
        const exports = {};
        for (const [key, value] of Object.entries(instance.exports)) {
            exports[key] = key !== malloc && key !== realloc ? value : (...args) => {
                const at = value(...args) >>> 0;
                const size = key === realloc ? args[2] : 0;
                const bytes = [...new Uint8Array(memory().buffer, at, size)];
                page.__allocations.push({ by: key === realloc ? 'realloc' : 'malloc', at, bytes });
                return at;
            };
        }
        const watched = new Proxy(instance, { get(target, key) {
            return key === 'exports' ? exports : Reflect.get(target, key);
        } });
        return result instanceof WebAssembly.Instance ? watched : { module: result.module, instance: watched };
    };
    for (const name of ['instantiate', 'instantiateStreaming']) {
        const original = WebAssembly[name];
        WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(watch);
    }
    return true;";

/// The address "Under the hood" shows, checked from outside the app (Chromium and Firefox:
/// WebKit's driver cannot run a script before the module does): the test watches the
/// module's allocator through the browser's WebAssembly API, under the short names the names
/// file says the release build gave it, and the section's address must be one the
/// allocator's `realloc` returned, with the UTF-8 bytes of "Zoë" there when it did.
async fn the_hoods_address_is_where_the_allocator_put_the_name_seen_from_outside(
    env: &Env<'_>,
) -> Result<(), Error> {
    for (path, build) in HELD_PAGES.into_iter().zip(["/", SUB_PATH]) {
        with_held_page(env, path, async |client| {
            // The allocator's names in this build, from the names file beside the module.
            let names = client
                .execute_async(
                    "const [build, done] = arguments;
                     const module = document.querySelector(\"link[rel=preload][href$='_bg.wasm']\");
                     const file = module.getAttribute('href').split('/').pop();
                     fetch(build + file + '.names').then((r) => r.text()).then(done, (e) => done(String(e)));",
                    vec![json!(build)],
                )
                .await?;
            let names = names.as_str().unwrap_or_default();
            let short = |long: &str| {
                names
                    .lines()
                    .filter_map(|line| line.strip_prefix("export\t"))
                    .find_map(|line| line.strip_suffix(&format!("\t{long}")))
                    .map(str::to_owned)
                    .ok_or_else(|| format!("the names file gives no short name for {long}: {names}"))
            };
            let (malloc, realloc) = (short("__wbindgen_malloc")?, short("__wbindgen_realloc")?);
            ensure(malloc != "__wbindgen_malloc", || "a release build renames the allocator".into())?;
            js(client, WATCH_THE_ALLOCATOR, vec![json!(malloc), json!(realloc)]).await?;
            let_the_module_through(env, client).await?;
            greet_by_enter(client, "Zoë").await?;
            open_under_the_hood(client).await?;
            let text = wait_for_under_the_hood(client, &["encodes it to UTF-8: 4 bytes."]).await?;
            let shown = text
                .split("the bytes are at 0x")
                .nth(1)
                .and_then(|rest| u64::from_str_radix(&rest[..8], 16).ok())
                .ok_or("no address in the section")?;
            let allocations = js(
                client,
                "return JSON.parse(JSON.stringify((window.wrappedJSObject ?? window).__allocations));",
                vec![],
            )
            .await?;
            let there = allocations
                .as_array()
                .and_then(|all| {
                    all.iter()
                        .rev()
                        .find(|a| a["by"] == "realloc" && a["at"].as_u64() == Some(shown))
                })
                .ok_or_else(|| {
                    format!("the allocator never put a string at 0x{shown:08X}: {allocations}")
                })?;
            ensure_eq(
                &there["bytes"],
                &json!([0x5A, 0x6F, 0xC3, 0xAB]),
                "the bytes where the allocator put \"Zoë\", at the section's address",
            )
        })
        .await?;
    }
    Ok(())
}

/// An input method's composition (as for Japanese) started before the app is live goes on in
/// the same field, and commits there, not appended to a copy of its text.
async fn an_ime_composition_survives_the_handover(env: &Env<'_>) -> Result<(), Error> {
    with_held_page(env, HELD_PAGES[0], async |client| {
        find_test_id(client, "name-input").await?.click().await?;
        let compose = json!({ "text": "にほ", "selectionStart": 2, "selectionEnd": 2 });
        browser::devtools(client, "Input.imeSetComposition", compose).await?;
        let composing = js(client, "return document.activeElement.value;", vec![]).await?;
        ensure_eq(composing, json!("にほ"), "the field while composing")?;
        let_the_module_through(env, client).await?;
        browser::devtools(client, "Input.insertText", json!({ "text": "日本" })).await?;
        let value = js(client, "return document.activeElement.value;", vec![]).await?;
        ensure_eq(value, json!("日本"), "the committed composition")?;
        client.active_element().await?.send_keys(ENTER).await?;
        wait_for_greeting(client, &english("日本")).await
    })
    .await
}

// ---- under the hood -----------------------------------------------------------------------

async fn under_the_hood_text(client: &Client) -> Result<String, Error> {
    Ok(find_test_id(client, "under-the-hood").await?.text().await?)
}

async fn open_under_the_hood(client: &Client) -> Result<(), Error> {
    client
        .find(fantoccini::Locator::Css(
            "[data-testid=under-the-hood] summary",
        ))
        .await?
        .click()
        .await?;
    Ok(())
}

/// Closes the opened section and opens it again, then gives the page half a second: the
/// `toggle` event comes in a task of its own, and a request shows in Resource Timing only
/// once its answer has ended (on loopback, within milliseconds), so a request the opening
/// made again would be counted after.
async fn close_and_open_under_the_hood(client: &Client) -> Result<(), Error> {
    open_under_the_hood(client).await?;
    open_under_the_hood(client).await?;
    js(
        client,
        "return new Promise(done => setTimeout(done, 500))",
        vec![],
    )
    .await?;
    Ok(())
}

/// Waits until the section's text holds every one of `parts`.
async fn wait_for_under_the_hood(client: &Client, parts: &[&str]) -> Result<String, Error> {
    let result = eventually("the under-the-hood report", || async {
        let text = under_the_hood_text(client).await?;
        Ok(parts.iter().all(|part| text.contains(part)).then_some(text))
    })
    .await;
    match result {
        Ok(text) => Ok(text),
        Err(error) => Err(format!("{error}: {:?}", under_the_hood_text(client).await?).into()),
    }
}

/// How many requests the page has made for a file whose URL ends with `suffix`.
async fn requests_ending(client: &Client, suffix: &str) -> Result<Value, Error> {
    js(
        client,
        "return performance.getEntriesByType('resource').filter(e => e.name.endsWith(arguments[0])).length",
        vec![json!(suffix)],
    )
    .await
}

async fn under_the_hood_shows_the_crossing_the_module_and_the_cost(
    env: &Env<'_>,
) -> Result<(), Error> {
    for path in ["/", SUB_PATH] {
        with_page(env, path, async |client| {
            paste_name(client, "Zoë").await?;
            click_say_hello(client).await?;
            wait_for_greeting(client, &english("Zoë")).await?;
            // Nothing is read or fetched before the section is opened.
            ensure_eq(
                requests_ending(client, ".names").await?,
                json!(0),
                "names requests before opening",
            )?;
            open_under_the_hood(client).await?;
            let text = wait_for_under_the_hood(
                client,
                &[
                    "How \u{201C}Zoë\u{201D} crossed from JavaScript into Rust\n",
                    "1. JavaScript holds the string: 3 UTF-16 code units",
                    "2. passStringToWasm0 encodes it to UTF-8: 4 bytes.",
                    "3. __wbindgen_malloc reserves a byte for each of those units, and __wbindgen_realloc resizes the space when the text is not all ASCII: the bytes are at 0x",
                    "that memory holds 5A 6F C3 AB:",
                    "5. Rust receives (0x",
                    "6. Rust counts 3 characters",
                    "pages of 64 KiB",
                    " say_hello\n",
                    " memory\n",
                    " __wbindgen_malloc\n",
                    "Imports, by what they bind:\n",
                    "Console (",
                    "DOM and events (",
                    "Fetch, streams and URLs (",
                    "wasm-bindgen runtime (",
                    "_bg.wasm\n",
                    "The app was mounted",
                ],
            )
            .await?;
            ensure(!text.contains("could not be loaded"), || text.clone())?;
            ensure_imports_grouped(client, &text).await?;
            // In the window as it is (WebKit once cut the report's lines on a desktop), no
            // element of the open section is wider than it.
            ensure_eq(
                js(client, SECTION_OVERFLOW, vec![]).await?,
                json!([[], 0]),
                "the elements of the open section wider than it, and the page's overflow",
            )?;
            // The address is real: inside the memory the module has.
            let address = text
                .split("0x")
                .nth(1)
                .and_then(|rest| u64::from_str_radix(&rest[..8], 16).ok())
                .ok_or("no address")?;
            let pages: u64 = text
                .split(" pages of 64 KiB")
                .next()
                .and_then(|before| before.rsplit('(').next()?.parse().ok())
                .ok_or("no page count")?;
            ensure(address > 1024 && address < pages * 65_536, || {
                format!("address {address:#x} outside {pages} pages")
            })?;
            // The same address at each step: written to, read from, and received.
            for step in [
                format!("the bytes are at 0x{address:08X},"),
                format!("4. At 0x{address:08X} that memory holds 5A 6F C3 AB:"),
                format!("5. Rust receives (0x{address:08X}, 4),"),
            ] {
                ensure(text.contains(&step), || format!("{step:?} not in {text}"))?;
            }
            // A new greeting updates it; closing and opening again fetches nothing more.
            paste_name(client, "Ada").await?;
            click_say_hello(client).await?;
            wait_for_greeting(client, &english("Ada")).await?;
            wait_for_under_the_hood(client, &["holds 41 64 61:", "to UTF-8: 3 bytes."]).await?;
            close_and_open_under_the_hood(client).await?;
            ensure_eq(
                requests_ending(client, ".names").await?,
                json!(1),
                "names requests",
            )
        })
        .await
        .map_err(|error| format!("{path}: {error}"))?;
    }
    Ok(())
}

/// The elements of "Under the hood" wider than the section or scrolling sideways, and how far
/// the page scrolls sideways.
const SECTION_OVERFLOW: &str = "const section = document.querySelector('[data-testid=under-the-hood]');
     const right = section.getBoundingClientRect().right + 0.5;
     const wider = [...section.querySelectorAll('*')]
         .filter(e => e.getBoundingClientRect().right > right || e.scrollWidth > e.clientWidth + 0.5)
         .map(e => e.localName);
     return [wider, document.documentElement.scrollWidth - document.documentElement.clientWidth];";

/// The imports are in groups, closed, whose counts add up to the module's imports; opening
/// one lists its imports, each short name beside its original.
async fn ensure_imports_grouped(client: &Client, text: &str) -> Result<(), Error> {
    let imports: u64 = text
        .split(" imports (WebAssembly.Module")
        .next()
        .and_then(|before| before.rsplit(' ').next()?.parse().ok())
        .ok_or("no import count")?;
    let groups = js(
        client,
        "return [...document.querySelectorAll('[data-testid=under-the-hood] details.imports')]
           .map(group => [group.querySelector('summary').textContent, group.open])",
        vec![],
    )
    .await?;
    let groups: Vec<(String, bool)> = serde_json::from_value(groups)?;
    let counted: u64 = groups
        .iter()
        .filter_map(|(title, _)| {
            title
                .rsplit('(')
                .next()?
                .strip_suffix(')')?
                .parse::<u64>()
                .ok()
        })
        .sum();
    ensure(
        groups.len() >= 6 && counted == imports && groups.iter().all(|(_, open)| !open),
        || format!("{imports} imports in the groups {groups:?}"),
    )?;
    let console = client
        .find(fantoccini::Locator::XPath(
            "//details[@class='imports']/summary[starts-with(., 'Console (')]",
        ))
        .await?;
    console.click().await?;
    let listed = eventually("the Console group's lines", || async {
        let text = under_the_hood_text(client).await?;
        Ok(text.contains(": __wbg_warn_").then_some(text))
    })
    .await?;
    ensure(
        listed.contains("./hello-wasm") && listed.contains("_bg.js: __wbg_log_"),
        || listed.clone(),
    )?;
    console.click().await?;
    Ok(())
}

/// axe-core's script (`HELLO_AXE`, set by `./dev test` to the npm package's `axe.min.js`).
fn axe_source() -> Result<String, Error> {
    let path = std::env::var_os("HELLO_AXE").ok_or(
        "HELLO_AXE is not set: run the end-to-end tests through ./dev test, which installs axe-core",
    )?;
    Ok(std::fs::read_to_string(&path).map_err(|error| {
        format!(
            "cannot read axe-core at {}: {error}",
            path.to_string_lossy()
        )
    })?)
}

/// axe-core (WCAG 2.2 A and AA, and its best practices) finds nothing on the page with "Under
/// the hood" open and filled, in the light and the dark scheme (Chromium: the scheme is set
/// through the DevTools Protocol).
async fn axe_finds_no_violation_with_the_section_open(env: &Env<'_>) -> Result<(), Error> {
    let axe = axe_source()?;
    with_page(env, "/", async |client| {
        greet_by_enter(client, "Zoë").await?;
        open_under_the_hood(client).await?;
        wait_for_under_the_hood(client, &["double_it(12) = 24,"]).await?;
        js(client, &format!("{axe}\n;return typeof axe.run;"), vec![]).await?;
        for scheme in ["light", "dark"] {
            let features = json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] });
            browser::devtools(client, "Emulation.setEmulatedMedia", features).await?;
            let matches = js(
                client,
                "return matchMedia('(prefers-color-scheme: dark)').matches",
                vec![],
            )
            .await?;
            ensure_eq(matches, json!(scheme == "dark"), "the emulated colour scheme")?;
            let violations = client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     axe.run(document, { runOnly: { type: 'tag', values:
                         ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
                       .then(result => done([result.violations.map(v =>
                           v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', ')),
                           result.passes.length]))
                       .catch(error => done([['axe failed: ' + error], 0]));",
                    vec![],
                )
                .await?;
            ensure_eq(&violations[0], &json!([]), &format!("axe-core's violations, {scheme} scheme"))?;
            // It did check: rules that pass (names, contrast, landmarks, …) are listed too.
            let passed = violations[1].as_u64().unwrap_or(0);
            ensure(passed >= 10, || format!("axe-core passed only {passed} rules"))?;
        }
        Ok(())
    })
    .await
}

/// How many requests the page has made for the raw module (`raw-<hash>.wasm`).
async fn raw_module_requests(client: &Client) -> Result<Value, Error> {
    js(
        client,
        "return performance.getEntriesByType('resource')
           .filter(e => /\\/raw-[0-9a-f]{16}\\.wasm$/.test(e.name)).length",
        vec![],
    )
    .await
}

/// How long `trunk serve`'s first build may take: on a fresh machine it compiles the app's
/// dependencies for the debug build and the hook.
const FIRST_DEBUG_BUILD: Duration = Duration::from_secs(900);

/// What a developer sees: `trunk serve`'s debug build, whose page has no build-time view (the
/// app replaces index.html's placeholder), greets, greets again in another language, and
/// opens "Under the hood" with the imports grouped and the raw module run, with no console
/// error (Trunk's live-reload script included).
/// The npm package wasm-pack built for the web (`greetings/`), imported into a page as an
/// application imports it: its module, then its `init`, which fetches the `.wasm` beside it.
async fn the_npm_package_greets_from_a_page_that_imports_it(env: &Env<'_>) -> Result<(), Error> {
    env.with_session(async |client| {
        client
            .goto(&format!("{}{}", env.origin, site::NPM_PATH))
            .await?;
        let outcome = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 import('./hello_wasm_greetings.js')
                   .then(async (greetings) => {
                       await greetings.default();
                       let refusal = null;
                       try { greetings.greet(''); } catch (error) {
                           refusal = [error instanceof Error, error.message];
                       }
                       done({ greeting: greetings.greet('Zoë', 'de'), refusal,
                              why: greetings.whyRefused('') });
                   })
                   .catch((error) => done({ failed: String(error) }));",
                vec![],
            )
            .await?;
        ensure_eq(
            outcome,
            json!({
                "greeting": "Hallo, Zoë!",
                "refusal": [true, "Please enter your name."],
                "why": "Please enter your name.",
            }),
            "the npm package, imported into a page",
        )?;
        env.ensure_no_errors(client, |_| false).await
    })
    .await
}

async fn what_trunk_serve_shows_greets_switches_and_opens_the_hood(
    env: &Env<'_>,
) -> Result<(), Error> {
    let server = e2e::dev_server::TrunkServe::start(None, None)?;
    let first_build = std::time::Instant::now() + FIRST_DEBUG_BUILD;
    server
        .served(Duration::from_millis(250), first_build, |_| true)
        .await?;
    env.with_session(async |client| {
        client.goto(&server.url()).await?;
        browser::wait_for_app(client).await?;
        let placeholder = js(
            client,
            "return document.querySelector('#app .intro').textContent",
            vec![],
        )
        .await?;
        ensure(placeholder != json!("Loading the greeter…"), || {
            "the app did not replace the placeholder".to_owned()
        })?;
        greet_by_enter(client, "Ferris").await?;
        wait_for_language(client, "en").await?;
        choose_language(client, "de").await?;
        wait_for_greeting(client, &greeting_in("de", "Ferris")).await?;
        open_under_the_hood(client).await?;
        wait_for_under_the_hood(
            client,
            &[
                "A debug build: these are the names wasm-bindgen gave.",
                "Imports, by what they bind:",
                "DOM and events",
                "Console",
                "double_it(12) = 24, as double_it called add_integers(12, 12)",
            ],
        )
        .await?;
        env.ensure_no_errors(client, |_| false).await
    })
    .await
    .map_err(|error| format!("{error}\ntrunk serve printed:\n{}", server.log()).into())
}

async fn under_the_hood_runs_the_raw_module_without_wasm_bindgen(
    env: &Env<'_>,
) -> Result<(), Error> {
    for path in ["/", SUB_PATH] {
        with_page(env, path, async |client| {
            ensure_eq(
                raw_module_requests(client).await?,
                json!(0),
                "raw module requests before opening",
            )?;
            open_under_the_hood(client).await?;
            wait_for_under_the_hood(
                client,
                &[
                    "Without wasm-bindgen: raw.wasm, ",
                    "  double_it function\n",
                    "  memory memory\n",
                    "Imports\n  env.add_integers function\n",
                    "double_it(12) = 24, as double_it called add_integers(12, 12)",
                    "Without add_integers, the browser refuses to link it: LinkError: ",
                ],
            )
            .await?;
            let doubled = find_test_id(client, "doubled").await?;
            ensure_eq(
                doubled.text().await?,
                "double_it(12) = 24".to_owned(),
                "the field's first result",
            )?;
            let field = client
                .find(fantoccini::Locator::Css("input[type=number]"))
                .await?;
            field.clear().await?;
            field.send_keys("-21").await?;
            eventually("double_it(-21)", || async {
                Ok((doubled.text().await? == "double_it(-21) = -42").then_some(()))
            })
            .await?;
            if let Some(lines) = env.console(client).await? {
                ensure(
                    lines
                        .iter()
                        .any(|line| line.message.contains("The result of 12*2 is: 24")),
                    || format!("no result line in the console: {lines:#?}"),
                )?;
            }
            // Closing and opening again fetches nothing more.
            close_and_open_under_the_hood(client).await?;
            ensure_eq(
                raw_module_requests(client).await?,
                json!(1),
                "raw module requests",
            )?;
            env.ensure_no_errors(client, |_| false).await
        })
        .await
        .map_err(|error| format!("{path}: {error}"))?;
    }
    Ok(())
}

async fn under_the_hood_without_the_names_file_still_lists_the_module(
    env: &Env<'_>,
) -> Result<(), Error> {
    env.with_session(async |client| {
        browser::devtools(client, "Network.enable", json!({})).await?;
        browser::devtools(
            client,
            "Network.setBlockedURLs",
            json!({ "urls": ["*.names"] }),
        )
        .await?;
        client.goto(&format!("{}/", env.origin)).await?;
        browser::wait_for_app(client).await?;
        open_under_the_hood(client).await?;
        let text = wait_for_under_the_hood(
            client,
            &[
                "The names file could not be loaded",
                "Exports\n",
                "Imports (",
                " memory\n",
            ],
        )
        .await?;
        ensure(!text.contains("say_hello"), || {
            format!("originals shown without the file: {text}")
        })?;
        env.ensure_no_errors(client, |line| line.message.contains(".names"))
            .await
    })
    .await
}

// ---- returning visitors ----------------------------------------------------------------------

/// The name of the one file in `dir` whose name ends with `ending`.
fn only_file(dir: &std::path::Path, ending: &str) -> Result<String, Error> {
    let names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(ending))
        .collect();
    match &names[..] {
        [name] => Ok(name.clone()),
        _ => Err(format!(
            "{}: expected one {ending} file, found {names:?}",
            dir.display()
        )
        .into()),
    }
}

/// The request line, status and body bytes of one line of nginx's `combined` log.
fn logged(line: &str) -> Option<(&str, u16, u64)> {
    let (_, rest) = line.split_once('"')?;
    let (request, rest) = rest.split_once('"')?;
    let mut fields = rest.split_whitespace();
    Some((
        request,
        fields.next()?.parse().ok()?,
        fields.next()?.parse().ok()?,
    ))
}

/// Points `live` (a symbolic link nginx follows) at `build`, as a deploy that swaps the
/// docroot does.
fn deploy(live: &std::path::Path, build: &std::path::Path) -> Result<(), Error> {
    if live.symlink_metadata().is_ok() {
        std::fs::remove_file(live)?;
    }
    std::os::unix::fs::symlink(build, live)?;
    Ok(())
}

/// A visitor whose browser cached build A (profile kept between sessions) comes back after
/// build B was deployed, where B differs from A only by wasm-opt's parameters; then again
/// after A is back. Each time the page must go live with the module it names, greet, and
/// report no error (an integrity failure or a link error would be one).
async fn a_returning_visitor_survives_a_deploy_that_changed_only_the_tools(
    env: &Env<'_>,
) -> Result<(), Error> {
    let (_, build_a) = site::builds_from_env()?;
    let build_b = site::returning_build_from_env()?;
    let www = e2e::temp_dir("hello-wasm-returning")?;
    let builds = www.path().join("__builds");
    let mut modules = Vec::new();
    for (name, build, age) in [("a", &build_a, 200), ("b", &build_b, 100)] {
        let copy = builds.join(name);
        site::copy_dir(build, &copy)?;
        // Distinct modification times, so nginx's ETag (time and size) tells the two pages
        // apart: for the compressed siblings it sends too, which can be of equal size.
        for page in ["index.html", "index.html.br", "index.html.gz"] {
            std::fs::File::options()
                .write(true)
                .open(copy.join(page))?
                .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(age))?;
        }
        modules.push(only_file(&copy, "_bg.wasm")?);
    }
    ensure(modules[0] != modules[1], || {
        format!("builds A and B name their different modules alike: {modules:?}")
    })?;
    let live = www.path().join(SUB_PATH.trim_matches('/'));
    std::fs::create_dir_all(live.parent().ok_or("no parent")?)?;
    let nginx = Nginx::start(www.path(), "")?;
    let profile = e2e::temp_dir("hello-wasm-profile")?;
    for (step, build, module) in [
        ("first visit, build A", "a", &modules[0]),
        ("after deploying B", "b", &modules[1]),
        ("after deploying A again", "a", &modules[0]),
    ] {
        deploy(&live, &builds.join(build))?;
        let options = browser::Options {
            profile: Some(profile.path()),
            ..Default::default()
        };
        env.session(options, async |client| {
            client.goto(&format!("{}{SUB_PATH}", nginx.origin())).await?;
            browser::wait_for_app(client).await?;
            greet_by_enter(client, "Ferris").await?;
            let loaded = js(
                client,
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.wasm'))",
                vec![],
            )
            .await?;
            ensure_eq(
                loaded,
                json!([format!("{}{SUB_PATH}{module}", nginx.origin())]),
                "the module the page loaded",
            )?;
            env.ensure_no_errors(client, |_| false).await
        })
        .await
        .map_err(|error| format!("{step}: {error}"))?;
    }
    // B's module was new to the browser: it came from the server, not from A's cache.
    ensure_eq(
        nginx.requests_for(&format!("{SUB_PATH}{}", modules[1]))?,
        1,
        "requests for B's module",
    )
}

/// A first visit downloads the page and everything it names; a second visit in the same
/// browser revalidates `index.html` alone, and takes every other file from the cache
/// without a request (nginx's log says which requests reached it).
async fn a_repeat_visit_revalidates_only_the_page(env: &Env<'_>) -> Result<(), Error> {
    env.with_session(async |client| {
        let mut visits = Vec::new();
        for _ in 0..2 {
            let before = env.nginx.requests()?.len();
            client.goto(&format!("{}/", env.origin)).await?;
            browser::wait_for_app(client).await?;
            wait_for_language(client, "en").await?;
            greet_by_enter(client, "Ferris").await?;
            let requests: Vec<(String, u16, u64)> = env.nginx.requests()?[before..]
                .iter()
                .filter_map(|line| logged(line).map(|(r, s, b)| (r.to_owned(), s, b)))
                .collect();
            client.goto("about:blank").await?;
            visits.push(requests);
        }
        for (visit, requests) in ["first", "repeat"].iter().zip(&visits) {
            let bytes: u64 = requests.iter().map(|(_, _, bytes)| bytes).sum();
            println!(
                "{visit} visit: {} requests, {bytes} body bytes: {requests:?}",
                requests.len()
            );
        }
        ensure(visits[0].len() >= 4, || {
            format!("the first visit fetched {:?}", visits[0])
        })?;
        // Revalidated: a conditional request, answered 304 with no body.
        let repeat: Vec<(&str, u16)> = visits[1].iter().map(|(r, s, _)| (r.as_str(), *s)).collect();
        ensure_eq(
            repeat,
            vec![("GET / HTTP/1.1", 304)],
            "requests of the repeat visit, with their statuses",
        )
    })
    .await
}

// ---- page actions the tests share ----------------------------------------------------------

async fn type_name(client: &Client, text: &str) -> Result<(), Error> {
    let input = find_test_id(client, "name-input").await?;
    input.clear().await?;
    input.send_keys(text).await?;
    Ok(())
}

/// Sets the field as a paste does: ChromeDriver cannot type characters outside the Basic
/// Multilingual Plane (emoji), and typing 10,000 keys one by one proves nothing more.
async fn paste_name(client: &Client, text: &str) -> Result<(), Error> {
    client
        .execute(
            "const input = document.querySelector('[data-testid=name-input]');
             input.value = arguments[0];
             input.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(text)],
        )
        .await?;
    Ok(())
}

async fn click_say_hello(client: &Client) -> Result<(), Error> {
    find_test_id(client, "say-hello").await?.click().await?;
    Ok(())
}

const ENTER: &str = "\u{E007}";
const ARROW_DOWN: &str = "\u{E015}";

/// The messages a visitor reads, exactly.
const EMPTY_MESSAGE: &str = "Please enter your name.";
const TOO_LONG_MESSAGE: &str = "That name is too long. Please use at most 100 characters.";

async fn greeting(client: &Client) -> Result<String, Error> {
    Ok(find_test_id(client, "greeting").await?.text().await?)
}

async fn wait_for_greeting(client: &Client, expected: &str) -> Result<(), Error> {
    let expected = expected.to_owned();
    eventually(&format!("the greeting {expected:?}"), || {
        let expected = expected.clone();
        async move {
            let text: Value = client
                .execute(
                    "return document.querySelector('[data-testid=greeting]').textContent",
                    vec![],
                )
                .await?;
            Ok((text.as_str() == Some(&expected)).then_some(()))
        }
    })
    .await
}

/// Types `name`, presses Enter, and waits for the greeting for `name` as typed.
async fn greet_by_enter(client: &Client, name: &str) -> Result<(), Error> {
    type_name(client, &format!("{name}{ENTER}")).await?;
    wait_for_greeting(client, &english(name)).await
}

/// Pastes `name`, clicks "Say hello", and waits for the greeting.
async fn greet_pasted(client: &Client, name: &str) -> Result<(), Error> {
    paste_name(client, name).await?;
    click_say_hello(client).await?;
    wait_for_greeting(client, &english(name)).await
}

async fn wait_for_error(client: &Client, expected: &str) -> Result<(), Error> {
    let error = find_test_id(client, "name-error").await?;
    ensure_eq(error.text().await?.as_str(), expected, "error message")?;
    ensure_eq(
        error.attr("role").await?.as_deref(),
        Some("alert"),
        "error role",
    )?;
    let input = find_test_id(client, "name-input").await?;
    ensure_eq(
        input.attr("aria-invalid").await?.as_deref(),
        Some("true"),
        "aria-invalid",
    )?;
    ensure_eq(
        input.attr("aria-describedby").await?,
        error.attr("id").await?,
        "aria-describedby",
    )
}

async fn error_count(client: &Client) -> Result<usize, Error> {
    Ok(client
        .find_all(fantoccini::Locator::Css("[data-testid=name-error]"))
        .await?
        .len())
}
