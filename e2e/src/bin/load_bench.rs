//! The load benchmark (`./dev bench`; not part of the tests): fresh loads of the release build
//! in headless Chromium, served by nginx with `deploy/hello-wasm.conf`, against a plain HTML and
//! JavaScript greeting page served the same way in the same run, on two profiles: unthrottled
//! loopback, and a slow phone (150 ms round trip, 1.6 Mbps down, 0.75 Mbps up, CPU 4× slower,
//! set through the DevTools Protocol).
//!
//! For each load, a new browser session (cold cache, new profile) and a scripted visitor who
//! types a name as soon as the field exists and presses the button as soon as it is enabled.
//! Times are from navigation start: the first contentful paint; the form visible (painted:
//! the later of that paint and the moment the field entered the page); the largest contentful
//! paint as the page reports it when greeted (the last `largest-contentful-paint` entry); the
//! first greeting on screen; and when the last `.js` or `.wasm` file had downloaded. The two
//! pages are loaded in turns (here and in each engine below), and the first paint's ratio is
//! also given turn by turn.
//!
//! Then the first greeting in each engine (Chromium, Firefox, WebKit), unthrottled, against
//! the plain page in the same engine: Firefox's and WebKit's drivers have no DevTools
//! Protocol to inject the visitor with, so for this part both pages carry the visitor as
//! their first inline script (the app's copy with its hash added to the CSP).

use std::process::ExitCode;

use e2e::browser::{self, eventually};
use e2e::driver::{Driver, Engine};
use e2e::nginx::Nginx;
use e2e::{Error, site, temp_dir};
use serde_json::{Value, json};

/// Loads per page, Chromium on both profiles (a second argument sets another number, for a
/// quick comparison; both parts then make that many).
const LOADS: usize = 21;

/// Loads per page and engine, for the engines' comparison.
const LOADS_PER_ENGINE: usize = 11;

/// The baseline: the same form in plain HTML with a few lines of JavaScript. It exists only
/// here, as benchmark input; it is never part of the product.
const PLAIN_PAGE: &str = r#"<!doctype html>
<html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Look, Ma! Plain JS</title>
<main><h1>Look, Ma! Plain JS</h1>
<form><label for="name">Name</label> <input id="name" data-testid="name-input">
<button type="submit" data-testid="say-hello">Say hello</button></form>
<p role="status" data-testid="greeting"></p></main>
<script>
document.querySelector('form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = document.querySelector('#name').value.trim();
  document.querySelector('[data-testid=greeting]').textContent = name ? `Hello, ${name}!` : '';
});
</script>
</html>
"#;

/// Injected before each page's own scripts: the scripted visitor. It notes when the field
/// first exists and types into it (as a person does: the value, then an `input` event), then
/// presses the button as soon as the page allows (the button is enabled and the page has
/// been parsed, so its own script is listening), and notes when a greeting shows.
const VISITOR: &str = "(() => {
    const type = (field) => {
        field.value = 'Ada';
        field.dispatchEvent(new Event('input', { bubbles: true }));
    };
    const check = () => {
        const field = document.querySelector('[data-testid=name-input]');
        if (field && window.__fieldAt === undefined) {
            window.__fieldAt = performance.now();
            type(field);
        }
        const button = document.querySelector('[data-testid=say-hello]:not([disabled])');
        if (button && document.readyState !== 'loading' && window.__pressedAt === undefined) {
            if (field.value !== 'Ada') type(field);
            window.__pressedAt = performance.now();
            button.click();
        }
        const greeting = document.querySelector('[data-testid=greeting]');
        if (greeting && greeting.textContent.includes('Ada') && window.__greetedAt === undefined) {
            window.__greetedAt = performance.now();
        }
    };
    new MutationObserver(check).observe(document, {
        childList: true, subtree: true, attributes: true, characterData: true,
    });
    document.addEventListener('DOMContentLoaded', check);
})();";

/// A network and CPU profile.
struct Profile {
    name: &'static str,
    /// `Network.emulateNetworkConditions` parameters, or none.
    network: Option<Value>,
    /// `Emulation.setCPUThrottlingRate`'s rate.
    cpu_slowdown: f64,
}

fn profiles() -> [Profile; 2] {
    [
        Profile {
            name: "unthrottled (loopback)",
            network: None,
            cpu_slowdown: 1.0,
        },
        Profile {
            name: "slow phone (150 ms RTT, 1.6/0.75 Mbps, CPU 4x)",
            network: Some(json!({
                "offline": false,
                "latency": 150,
                "downloadThroughput": 1_600_000 / 8,
                "uploadThroughput": 750_000 / 8,
            })),
            cpu_slowdown: 4.0,
        },
    ]
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("load-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Error> {
    let dist = std::env::args().nth(1).unwrap_or_else(|| "dist".to_owned());
    let loads = match std::env::args().nth(2) {
        Some(loads) => loads
            .parse()
            .map_err(|_| format!("the number of loads should be a whole number, not {loads:?}"))?,
        None => LOADS,
    };
    let loads_per_engine = if loads == LOADS {
        LOADS_PER_ENGINE
    } else {
        loads
    };
    let www = temp_dir("hello-wasm-bench")?;
    site::copy_dir(std::path::Path::new(&dist), www.path())?;
    std::fs::create_dir_all(www.path().join("plain"))?;
    std::fs::write(www.path().join("plain/index.html"), PLAIN_PAGE)?;
    let nginx = Nginx::start(www.path(), "")?;
    let driver = Driver::start(Engine::Chromium, "en-US")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    println!("{loads} fresh loads each, headless Chromium, nginx on loopback; medians in ms\n");
    for profile in profiles() {
        let (plain, app, paint_ratio) = runtime.block_on(measure_both(
            &driver,
            &profile,
            [
                &format!("{}/plain/", nginx.origin()),
                &format!("{}/", nginx.origin()),
            ],
            loads,
        ))?;
        println!("{}", profile.name);
        println!(
            "  {:<20} {:>12} {:>14} {:>14} {:>16} {:>16}",
            "page",
            "first paint",
            "form visible",
            "largest paint",
            "first greeting",
            "code downloaded"
        );
        for (name, timing) in [("plain HTML and JS", &plain), ("hello-wasm", &app)] {
            println!(
                "  {:<20} {:>12.1} {:>14.1} {:>14.1} {:>16.1} {:>16.1}",
                name,
                timing.paint,
                timing.visible,
                timing.largest,
                timing.greeted,
                timing.downloaded
            );
        }
        println!(
            "  {:<20} {:>11.2}x {:>13.2}x {:>13.2}x {:>15.2}x\n",
            "hello-wasm / plain",
            app.paint / plain.paint,
            app.visible / plain.visible,
            app.largest / plain.largest,
            app.greeted / plain.greeted
        );
        println!(
            "  first paint, load by load: {:.2}x (middle half {:.2}x to {:.2}x)\n",
            paint_ratio.median, paint_ratio.low, paint_ratio.high
        );
    }
    drop(driver);

    lay_out_pages_with_the_visitor(www.path(), &dist)?;
    println!(
        "The first greeting in each engine: {loads_per_engine} fresh loads each, unthrottled, the visitor in the page; medians in ms"
    );
    println!(
        "  {:<10} {:>14} {:>14} {:>8}",
        "engine", "plain page", "hello-wasm", "ratio"
    );
    for engine in Engine::ALL {
        let driver = Driver::start(engine, "en-US")?;
        let [plain, app] = runtime.block_on(first_greetings(
            &driver,
            engine,
            [
                &format!("{}/visited-plain/", nginx.origin()),
                &format!("{}/visited-app/", nginx.origin()),
            ],
            loads_per_engine,
        ))?;
        println!(
            "  {:<10} {:>14.1} {:>14.1} {:>7.2}x",
            engine.name(),
            plain,
            app,
            app / plain
        );
    }
    Ok(())
}

/// Writes `visited-plain/` and `visited-app/` (the app's page, its files still at the root):
/// both pages with [`VISITOR`] as their first script, allowed by hash in the app's CSP.
fn lay_out_pages_with_the_visitor(www: &std::path::Path, dist: &str) -> Result<(), Error> {
    let script = format!("<script>{VISITOR}</script>");
    let app = std::fs::read_to_string(std::path::Path::new(dist).join("index.html"))?;
    let csp = "script-src 'self'";
    if app.matches(csp).count() != 1 {
        return Err(format!("the page's CSP should have one {csp:?}").into());
    }
    let app = app.replace(csp, &format!("{csp} {}", page::source_hash(VISITOR)));
    for (dir, html) in [
        ("visited-plain", PLAIN_PAGE.to_owned()),
        ("visited-app", app),
    ] {
        std::fs::create_dir_all(www.join(dir))?;
        std::fs::write(
            www.join(dir).join("index.html"),
            page::after_charset(&html, &script)?,
        )?;
    }
    Ok(())
}

/// The median times from navigation start to the first greeting on screen, over `loads` fresh
/// loads of each of the two pages in `engine`, [`in_turns`].
async fn first_greetings(
    driver: &Driver,
    engine: Engine,
    urls: [&str; 2],
    loads: usize,
) -> Result<[f64; 2], Error> {
    let mut samples: [Vec<f64>; 2] = Default::default();
    for page in in_turns(loads) {
        let greeted = browser::with_session_using(
            &driver.url(),
            engine,
            browser::Options::default(),
            async |client| {
                client.goto(urls[page]).await?;
                eventually("the greeting", || async {
                    let at: Value = client
                        .execute("return window.__greetedAt ?? null", vec![])
                        .await?;
                    Ok(at.as_f64())
                })
                .await
            },
        )
        .await?;
        samples[page].push(greeted);
    }
    Ok(samples.map(|mut values| median(&mut values)))
}

/// Median milliseconds from navigation start.
struct Timing {
    paint: f64,
    visible: f64,
    largest: f64,
    greeted: f64,
    downloaded: f64,
}

/// The quartiles of a set of ratios: the median, and the middle half between the others.
struct Spread {
    low: f64,
    median: f64,
    high: f64,
}

impl Spread {
    /// The quartiles of `values`, sorted here.
    fn of(values: &mut [f64]) -> Self {
        let median = median(values);
        Self {
            low: values[values.len() / 4],
            median,
            high: values[values.len() * 3 / 4],
        }
    }
}

/// Which of two pages each load is for: `loads` turns, the first page first in even turns and
/// the second in odd ones, so that a change in the machine's load between minutes weighs on
/// both alike.
fn in_turns(loads: usize) -> impl Iterator<Item = usize> {
    (0..loads).flat_map(|turn| [turn % 2, 1 - turn % 2])
}

/// Times `loads` fresh loads of each of the two pages, [`in_turns`]. Also gives the spread of
/// the second page's first paint over the first's, turn by turn.
async fn measure_both(
    driver: &Driver,
    profile: &Profile,
    urls: [&str; 2],
    loads: usize,
) -> Result<(Timing, Timing, Spread), Error> {
    let mut samples: [[Vec<f64>; 5]; 2] = Default::default();
    for page in in_turns(loads) {
        let load = browser::with_session_using(
            &driver.url(),
            Engine::Chromium,
            browser::Options::default(),
            async |client| load_once(client, profile, urls[page]).await,
        )
        .await?;
        for (sample, value) in samples[page].iter_mut().zip(load) {
            sample.push(value);
        }
    }
    // Each page's n-th load is of the n-th turn (read before the medians sort them).
    let [first_paints, second_paints] = [&samples[0][0], &samples[1][0]];
    let mut ratios: Vec<f64> = second_paints
        .iter()
        .zip(first_paints)
        .map(|(second, first)| second / first)
        .collect();
    let spread = Spread::of(&mut ratios);
    let [first, second] = samples.map(|page| {
        let [paint, visible, largest, greeted, downloaded] =
            page.map(|mut values| median(&mut values));
        Timing {
            paint,
            visible,
            largest,
            greeted,
            downloaded,
        }
    });
    Ok((first, second, spread))
}

/// Records the page's largest contentful paint so far in `window.__largestAt`.
const LARGEST_PAINT: &str = "new PerformanceObserver(list => {
    const entries = list.getEntries();
    window.__largestAt = entries[entries.length - 1].startTime;
}).observe({ type: 'largest-contentful-paint', buffered: true });";

/// One load: first paint, form visible, largest paint, first greeting, and when the last
/// `.js` or `.wasm` file finished downloading (0 for a page without such files), in ms from
/// navigation start.
async fn load_once(
    client: &fantoccini::Client,
    profile: &Profile,
    url: &str,
) -> Result<[f64; 5], Error> {
    browser::devtools(client, "Page.enable", json!({})).await?;
    for source in [VISITOR, LARGEST_PAINT] {
        browser::devtools(
            client,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": source }),
        )
        .await?;
    }
    if let Some(network) = &profile.network {
        browser::devtools(client, "Network.enable", json!({})).await?;
        browser::devtools(client, "Network.emulateNetworkConditions", network.clone()).await?;
    }
    browser::devtools(
        client,
        "Emulation.setCPUThrottlingRate",
        json!({ "rate": profile.cpu_slowdown }),
    )
    .await?;
    client.goto(url).await?;
    let marks = eventually("the first paint and the greeting", || async {
        let marks: Value = client
            .execute(
                "const paint = performance.getEntriesByName('first-contentful-paint')[0];
                 const code = performance.getEntriesByType('resource')
                     .filter(e => /\\.(js|wasm)$/.test(e.name)).map(e => e.responseEnd);
                 return [paint ? paint.startTime : null, window.__fieldAt ?? null,
                         window.__greetedAt ?? null, Math.max(0, ...code),
                         window.__largestAt ?? null];",
                vec![],
            )
            .await?;
        let values: Option<Vec<f64>> = (0..5).map(|i| marks[i].as_f64()).collect();
        Ok(values.and_then(|values| <[f64; 5]>::try_from(values).ok()))
    })
    .await?;
    let [paint, field, greeted, downloaded, largest] = marks;
    Ok([paint, paint.max(field), largest, greeted, downloaded])
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_take_turns_and_each_goes_first_every_other_turn() {
        assert_eq!(in_turns(3).collect::<Vec<_>>(), [0, 1, 1, 0, 0, 1]);
    }

    #[test]
    fn the_spread_is_the_quartiles_of_the_values_in_any_order() {
        let spread = Spread::of(&mut [1.4, 1.0, 1.3, 1.1, 1.2]);
        assert_eq!((spread.low, spread.median, spread.high), (1.1, 1.2, 1.3));
    }
}
