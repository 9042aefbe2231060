//! The load benchmark (`./dev bench`; not part of the tests): fresh loads of the release build
//! in headless Chromium, served by nginx with `deploy/hello-wasm.conf`, against a plain HTML and
//! JavaScript greeting page served the same way in the same run.
//!
//! For each load: a new browser session (cold cache, new profile), then the time from
//! navigation start to the first contentful paint, and to the form being interactive: the
//! moment the "Say hello" button exists (for the app, when it has mounted).

use std::process::ExitCode;

use e2e::browser::{self, eventually};
use e2e::chromedriver::ChromeDriver;
use e2e::nginx::Nginx;
use e2e::{Error, site, temp_dir};
use serde_json::{Value, json};

/// Loads per page; the issue asks for at least 20.
const LOADS: usize = 21;

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

/// Injected before each page's own scripts: records when the button first exists.
const MARK_INTERACTIVE: &str = "new MutationObserver((_, observer) => {
    if (document.querySelector('[data-testid=say-hello]')) {
        window.__interactiveAt = performance.now();
        observer.disconnect();
    }
}).observe(document, { childList: true, subtree: true });";

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
    let www = temp_dir("hello-wasm-bench")?;
    site::copy_dir(std::path::Path::new(&dist), www.path())?;
    std::fs::create_dir_all(www.path().join("plain"))?;
    std::fs::write(www.path().join("plain/index.html"), PLAIN_PAGE)?;
    let nginx = Nginx::start(www.path(), "")?;
    let driver = ChromeDriver::start()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    println!("{LOADS} fresh loads each, headless Chromium, nginx on loopback\n");
    let plain = runtime.block_on(measure(&driver, &format!("{}/plain/", nginx.origin())))?;
    let app = runtime.block_on(measure(&driver, &format!("{}/", nginx.origin())))?;
    println!(
        "{:<26} {:>22} {:>26} {:>20}",
        "median of fresh loads",
        "first contentful paint",
        "form interactive (mounted)",
        "JS + wasm downloaded"
    );
    for (name, timing) in [("plain HTML and JS", &plain), ("hello-wasm", &app)] {
        println!(
            "{:<26} {:>19.1} ms {:>23.1} ms {:>17.1} ms",
            name, timing.paint, timing.interactive, timing.downloaded
        );
    }
    println!(
        "{:<26} {:>21.2}x {:>25.2}x",
        "hello-wasm / plain",
        app.paint / plain.paint,
        app.interactive / plain.interactive
    );
    Ok(())
}

/// Median milliseconds from navigation start.
struct Timing {
    paint: f64,
    interactive: f64,
    downloaded: f64,
}

async fn measure(driver: &ChromeDriver, url: &str) -> Result<Timing, Error> {
    let (mut paints, mut interactives, mut downloads) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..LOADS {
        let [paint, interactive, downloaded] =
            browser::with_session(&driver.url(), async |client| load_once(client, url).await)
                .await?;
        paints.push(paint);
        interactives.push(interactive);
        downloads.push(downloaded);
    }
    Ok(Timing {
        paint: median(&mut paints),
        interactive: median(&mut interactives),
        downloaded: median(&mut downloads),
    })
}

/// One load: first paint, form interactive, and when the last `.js` or `.wasm` file finished
/// downloading (0 for a page without such files), all in ms from navigation start.
async fn load_once(client: &fantoccini::Client, url: &str) -> Result<[f64; 3], Error> {
    browser::devtools(client, "Page.enable", json!({})).await?;
    browser::devtools(
        client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": MARK_INTERACTIVE }),
    )
    .await?;
    client.goto(url).await?;
    eventually("the first paint and the form", || async {
        let marks: Value = client
            .execute(
                "const paint = performance.getEntriesByName('first-contentful-paint')[0];
                 const code = performance.getEntriesByType('resource')
                     .filter(e => /\\.(js|wasm)$/.test(e.name)).map(e => e.responseEnd);
                 return [paint ? paint.startTime : null, window.__interactiveAt ?? null, Math.max(0, ...code)];",
                vec![],
            )
            .await?;
        Ok(match (marks[0].as_f64(), marks[1].as_f64(), marks[2].as_f64()) {
            (Some(paint), Some(interactive), Some(downloaded)) => Some([paint, interactive, downloaded]),
            _ => None,
        })
    })
    .await
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
