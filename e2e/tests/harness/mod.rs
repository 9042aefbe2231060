//! The suite's machinery, which a reader of the tests can skip: the web root and nginx, started
//! once for the run; the WebDriver servers, one per engine (see `e2e::driver`, and
//! `e2e::webkit_env` for WebKit's X display and locales); the trials libtest-mimic runs; the held pages,
//! whose module waits at a gate until a test lets it through; and the checks every test
//! shares (`ensure`, and no error in the browser).

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};

use e2e::Error;
use e2e::browser::{self, ConsoleLine, find_test_id};
use e2e::driver::{Driver, Engine};
use e2e::gate::WasmGate;
use e2e::nginx::Nginx;
use e2e::site::{self, SUB_PATH};
use fantoccini::Client;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{Value, json};
use tempfile::TempDir;

/// What the whole run shares: nginx and the web root it serves. Fields drop in order: nginx,
/// then the web root.
pub struct Site {
    pub origin: String,
    pub port: u16,
    pub nginx: Nginx,
    pub www: TempDir,
    /// Accepts connections (the kernel does) and never answers: the stalled catalogue.
    _stall: std::net::TcpListener,
    /// Holds the wasm of the `/__held-page…/` pages until a test opens it.
    pub gate: WasmGate,
}

/// What one trial can use: the site, and the engine it runs in with its drivers.
pub struct Env<'a> {
    pub site: &'a Site,
    pub engine: Engine,
    pub drivers: &'a Drivers,
}

impl std::ops::Deref for Env<'_> {
    type Target = Site;

    fn deref(&self) -> &Site {
        self.site
    }
}

impl Env<'_> {
    /// Opens a session in this trial's engine with `options`, runs `body`, and closes it.
    pub async fn session<T, F>(&self, options: browser::Options<'_>, body: F) -> Result<T, Error>
    where
        F: AsyncFnOnce(&Client) -> Result<T, Error>,
    {
        let url = self.drivers.url(self.engine, options.language)?;
        browser::with_session_using(&url, self.engine, options, async |client| {
            // What the browser printed before this session is not this test's.
            self.drivers.take_console(self.engine)?;
            body(client).await
        })
        .await
    }

    /// [`Env::session`] with the default options.
    pub async fn with_session<T, F>(&self, body: F) -> Result<T, Error>
    where
        F: AsyncFnOnce(&Client) -> Result<T, Error>,
    {
        self.session(browser::Options::default(), body).await
    }

    /// The console lines since the last call: Chromium's from its driver, Firefox's from
    /// what it printed (see [`e2e::firefox_console`]); `None` in WebKit, which gives neither.
    pub async fn console(&self, client: &Client) -> Result<Option<Vec<ConsoleLine>>, Error> {
        if self.engine != Engine::Firefox {
            return browser::take_console(client, self.engine).await;
        }
        // Firefox prints as the page runs: give its last lines the time to come through.
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        self.drivers.take_console(self.engine)
    }

    /// The console lines since the last call, for a test that runs where they can be read.
    pub async fn readable_console(&self, client: &Client) -> Result<Vec<ConsoleLine>, Error> {
        self.console(client).await?.ok_or_else(|| {
            format!(
                "{} gives no console: this test runs in Chromium and Firefox",
                self.engine.name()
            )
            .into()
        })
    }

    /// Fails if the browser reported an error that `expected` does not accept. In Chromium
    /// that is any console error (CSP violations included); in Firefox, any `console.error`
    /// and uncaught error (it prints no CSP violation: the suite watches for those in the
    /// page); WebKit gives no console, so there it is what a visitor would see of one, the
    /// crash notice, and the trial's output says that the console was not checked.
    pub async fn ensure_no_errors(
        &self,
        client: &Client,
        expected: impl Fn(&ConsoleLine) -> bool,
    ) -> Result<(), Error> {
        match self.console(client).await? {
            Some(lines) => {
                let errors: Vec<_> = errors_in(&lines)
                    .into_iter()
                    .filter(|line| !expected(line))
                    .collect();
                ensure(errors.is_empty(), || {
                    format!("the browser reported errors: {errors:#?}")
                })
            }
            None => {
                let crashed = js(
                    client,
                    "return document.querySelectorAll('[data-testid=crash-notice]').length",
                    vec![],
                )
                .await?;
                ensure_eq(crashed, json!(0), "crash notices on the page")?;
                if let Some(why) = self.engine.console_unreadable() {
                    eprintln!("      (console errors not checked: {why}; no crash notice)");
                }
                Ok(())
            }
        }
    }
}

/// The WebDriver servers, started when a trial first needs one: one per engine, and for
/// WebKit one per language (see [`e2e::driver`]).
#[derive(Default)]
pub struct Drivers(std::sync::Mutex<std::collections::HashMap<(Engine, String), Driver>>);

impl Drivers {
    fn url(&self, engine: Engine, language: &str) -> Result<String, Error> {
        let key = match engine {
            Engine::WebKit => (engine, language.to_owned()),
            _ => (engine, String::new()),
        };
        let mut drivers = self
            .0
            .lock()
            .map_err(|_| "a trial panicked holding the drivers")?;
        if let Some(driver) = drivers.get(&key) {
            return Ok(driver.url());
        }
        let driver = Driver::start(engine, language)?;
        let url = driver.url();
        drivers.insert(key, driver);
        Ok(url)
    }

    /// What the engine's driver read of its browser's console since the last call (Firefox
    /// only; see [`Driver::take_console`]).
    fn take_console(&self, engine: Engine) -> Result<Option<Vec<ConsoleLine>>, Error> {
        let drivers = self
            .0
            .lock()
            .map_err(|_| "a trial panicked holding the drivers")?;
        Ok(drivers
            .get(&(engine, String::new()))
            .and_then(Driver::take_console))
    }
}

pub type TestFuture<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + 'a>>;
pub type Test = for<'a> fn(&'a Env<'a>) -> TestFuture<'a>;

/// Each test function with its name.
macro_rules! tests {
    ($($name:ident),* $(,)?) => {
        [$((stringify!($name), (|env| Box::pin($name(env))) as $crate::harness::Test)),*]
    };
}
pub(crate) use tests;

/// Where a test runs: in every engine, in some (what it needs only they give WebDriver), or
/// once against the server alone (no browser).
#[derive(Clone, Copy)]
pub enum Runs {
    Everywhere,
    In(&'static [Engine]),
    OnTheServer,
}

/// nginx, started by the first trial that needs it (the outcome, success or the reason it
/// failed, is kept for every later trial), and the drivers.
#[derive(Default)]
pub struct Environment {
    // Dropped in order: the browsers' drivers, then nginx and the web root.
    drivers: Drivers,
    site: OnceLock<Result<Site, String>>,
}

impl Environment {
    /// Runs `test` in `engine`, starting the site first if no trial has yet, on a tokio
    /// runtime of its own.
    fn run(&self, engine: Engine, test: Test) -> Result<(), Failed> {
        let site = self
            .site
            .get_or_init(|| {
                start().map_err(|error| {
                    format!("could not set up the end-to-end environment: {error}")
                })
            })
            .as_ref()
            .map_err(Failed::from)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| format!("could not start a tokio runtime: {error}"))?;
        let env = Env {
            site,
            engine,
            drivers: &self.drivers,
        };
        runtime.block_on(test(&env)).map_err(Failed::from)
    }
}

pub fn start() -> Result<Site, Error> {
    let (root_build, sub_path_build) = site::builds_from_env()?;
    let www = site::lay_out(&root_build, &sub_path_build)?;
    site::lay_out_faults(www.path(), &root_build, &sub_path_build)?;
    site::lay_out_held_pages(www.path(), &root_build, &sub_path_build)?;
    site::lay_out_npm_package(www.path(), &site::npm_package_from_env()?)?;
    let stall = std::net::TcpListener::bind("127.0.0.1:0")?;
    let gate = WasmGate::start(vec![
        www.path().to_owned(),
        www.path().join(SUB_PATH.trim_matches('/')),
    ])?;
    let locations =
        site::fault_locations(stall.local_addr()?.port()) + &site::held_location(gate.port());
    let nginx = Nginx::start(www.path(), &locations)?;
    Ok(Site {
        origin: nginx.origin(),
        port: nginx.port(),
        nginx,
        www,
        _stall: stall,
        gate,
    })
}

pub fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), Error> {
    if condition {
        Ok(())
    } else {
        Err(message().into())
    }
}

pub fn ensure_eq<T: PartialEq + std::fmt::Debug>(
    actual: T,
    expected: T,
    what: &str,
) -> Result<(), Error> {
    ensure(actual == expected, || {
        format!("{what}: expected {expected:?}, got {actual:?}")
    })
}

/// Opens `path` in a fresh session, waits for the app, runs `body`, then checks that the
/// browser reported no error (see [`Env::ensure_no_errors`]) and closes the session, pass or
/// fail.
pub async fn with_page<F>(env: &Env<'_>, path: &str, body: F) -> Result<(), Error>
where
    F: AsyncFnOnce(&Client) -> Result<(), Error>,
{
    env.with_session(async |client| {
        client.goto(&format!("{}{path}", env.origin)).await?;
        browser::wait_for_app(client).await?;
        body(client).await?;
        env.ensure_no_errors(client, |_| false).await
    })
    .await
}

pub fn errors_in(lines: &[ConsoleLine]) -> Vec<&ConsoleLine> {
    lines.iter().filter(|line| line.level == "SEVERE").collect()
}

pub async fn js(client: &Client, script: &str, args: Vec<Value>) -> Result<Value, Error> {
    Ok(client.execute(script, args).await?)
}

/// The held pages of the root build and of the sub-path build, which load their wasm through
/// the gate.
pub const HELD_PAGES: [&str; 2] = ["/__held-page/", "/__held-page-sub/"];

/// Opens the held page at `path` in a session that does not wait for the page to finish
/// loading, with the wasm held back until `body` lets it through ([`let_the_module_through`]).
/// Waits for the field, runs `body`, then checks that the browser reported no error. The gate
/// is open again afterwards, pass or fail.
pub async fn with_held_page<F>(env: &Env<'_>, path: &str, body: F) -> Result<(), Error>
where
    F: AsyncFnOnce(&Client) -> Result<(), Error>,
{
    with_held_page_expecting(env, path, |_| false, body).await
}

/// [`with_held_page`], where the console may also show the errors `expected` picks.
pub async fn with_held_page_expecting<F>(
    env: &Env<'_>,
    path: &str,
    expected: impl Fn(&ConsoleLine) -> bool,
    body: F,
) -> Result<(), Error>
where
    F: AsyncFnOnce(&Client) -> Result<(), Error>,
{
    env.gate.close();
    let eager = browser::Options {
        page_load: "eager",
        ..Default::default()
    };
    let result = env
        .session(eager, async |client| {
            client.goto(&format!("{}{path}", env.origin)).await?;
            find_test_id(client, "name-input").await?;
            body(client).await?;
            env.ensure_no_errors(client, expected).await
        })
        .await;
    env.gate.open();
    result.map_err(|error| format!("{path}: {error}").into())
}

/// Lets the wasm through and waits for the app, with the console in the error.
pub async fn let_the_module_through(env: &Env<'_>, client: &Client) -> Result<(), Error> {
    env.gate.open();
    if let Err(error) = browser::wait_for_app(client).await {
        let lines = env.console(client).await?;
        return Err(format!("{error}; the console said {lines:#?}").into());
    }
    Ok(())
}

/// Runs `tests` as libtest-mimic trials, one per engine each runs in, one at a time: each
/// test with its name, and where it runs.
pub fn run(tests: impl IntoIterator<Item = ((&'static str, Test), Runs)>) -> ExitCode {
    let mut args = Arguments::from_args();
    // One at a time: sessions side by side would compete for the two cores that the tests'
    // timed waits assume, and a WebKit or Firefox driver takes one session at a time.
    args.test_threads = Some(1);
    let environment = Arc::new(Environment::default());
    let mut trials = Vec::new();
    for ((name, test), runs) in tests {
        let engines: &[Engine] = match runs {
            Runs::Everywhere => &Engine::ALL,
            Runs::In(engines) => engines,
            // The server's answers do not depend on the browser: the test uses none.
            Runs::OnTheServer => &[Engine::Chromium],
        };
        for &engine in engines {
            let prefix = match runs {
                Runs::OnTheServer => "server",
                _ => engine.name(),
            };
            let environment = Arc::clone(&environment);
            trials.push(Trial::test(format!("{prefix}::{name}"), move || {
                environment.run(engine, test)
            }));
        }
    }
    // Grouped by engine, so each browser's driver starts once and is busy in one stretch.
    trials.sort_by(|a, b| {
        a.name()
            .split("::")
            .next()
            .cmp(&b.name().split("::").next())
    });
    let conclusion = libtest_mimic::run(&args, trials);
    // `run` has dropped every trial, so this is the last handle: nginx and the drivers, if a
    // trial started them, stop here.
    drop(environment);
    conclusion.exit_code()
}
