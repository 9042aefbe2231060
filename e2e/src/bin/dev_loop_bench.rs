//! The developer's loop, timed: `dev-loop-bench ROOT [EDITS]` runs `trunk serve` on this app
//! and on the floor (`bench/floor`, a bare Leptos app in the shape of Leptos's start-trunk
//! template, built by the same Trunk), one after the other in the same run, and prints:
//! - each one's cold start: from `trunk serve` on an empty target directory until the page
//!   and the module it loads are served;
//! - edit to served: from writing a source file until the module the served page loads
//!   contains the new text, polled every 50 ms; for this app a component's text and a rule
//!   in `rules/`, for the floor its home page's heading; EDITS of each (5 by default), with
//!   medians and the ratio to the floor;
//! - how many builds each edit started, counted from Trunk's log.
//!
//! Every edited file is restored when the run ends, however it ends.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use e2e::dev_server::TrunkServe;
use e2e::{Error, temp_dir};

/// How often the served page and module are polled.
const POLL: Duration = Duration::from_millis(50);

/// The longest a cold start may take before the run gives up.
const COLD_START_LIMIT: Duration = Duration::from_secs(900);

/// The longest one edit may take to be served.
const EDIT_LIMIT: Duration = Duration::from_secs(120);

/// How long Trunk's log must stay quiet after an edit is served before its builds are counted:
/// a second build started by the first one's output would start within this.
const SETTLE: Duration = Duration::from_secs(3);

/// A source text to change, in a file relative to the project's root.
struct Edit {
    what: &'static str,
    file: &'static str,
    text: &'static str,
}

const COMPONENT_TEXT: Edit = Edit {
    what: "a component's text",
    file: "src/components/app.rs",
    text: "Type your name and this page, written entirely in Rust, greets you.",
};

const RULE: Edit = Edit {
    what: "a rule in rules/",
    file: "rules/src/greeting.rs",
    text: "Please remove line breaks, tabs and other invisible control characters from your name.",
};

const FLOOR_TEXT: Edit = Edit {
    what: "the floor's heading",
    file: "src/pages/home.rs",
    text: "Welcome to Leptos",
};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (root, edits) = match &args[..] {
        [root] => (PathBuf::from(root), 5),
        [root, edits] => match edits.parse() {
            Ok(edits) if edits > 0 => (PathBuf::from(root), edits),
            _ => return usage(),
        },
        _ => return usage(),
    };
    match run(&root, edits) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dev-loop-bench: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn usage() -> std::process::ExitCode {
    eprintln!("usage: dev-loop-bench PROJECT_ROOT [EDITS]");
    std::process::ExitCode::from(2)
}

/// What one project's loop measured.
struct Loop {
    cold_start: Duration,
    /// Per kind of edit: what was edited, each edit's time to served and builds started.
    edits: Vec<(&'static str, Vec<(Duration, usize)>)>,
}

fn run(root: &Path, edits: usize) -> Result<(), Error> {
    let floor = root.join("bench/floor");
    let app = measure("hello-wasm", root, &[COMPONENT_TEXT, RULE], edits)?;
    let floor = measure("floor", &floor, &[FLOOR_TEXT], edits)?;
    report(&app, &floor);
    Ok(())
}

/// Serves `dir` with `trunk serve` on an empty target directory, times the cold start, then
/// each of `kinds` `edits` times.
fn measure(name: &str, dir: &Path, kinds: &[Edit], edits: usize) -> Result<Loop, Error> {
    let target = temp_dir("dev-loop-target")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    eprintln!("dev-loop-bench: {name}: cold start on an empty target directory…");
    let started = Instant::now();
    let trunk = TrunkServe::start(Some(dir), Some(target.path()))?;
    runtime.block_on(trunk.served(POLL, started + COLD_START_LIMIT, |_| true))?;
    let cold_start = started.elapsed();
    eprintln!(
        "dev-loop-bench: {name}: served after {:.1} s",
        cold_start.as_secs_f64()
    );
    wait_until_quiet(&trunk);
    let mut measured = Vec::new();
    for kind in kinds {
        let path = dir.join(kind.file);
        let original = std::fs::read_to_string(&path)?;
        let restore = Restore {
            path: path.clone(),
            original: original.clone(),
        };
        if original.matches(kind.text).count() != 1 {
            return Err(format!("{} should hold {:?} once", path.display(), kind.text).into());
        }
        let mut times = Vec::new();
        for edit in 1..=edits {
            let marker = format!("{} (edit {edit}, run {})", kind.text, std::process::id());
            let builds_before = trunk.builds_started();
            // In place, as an editor saves: one change for Trunk's watcher.
            std::fs::write(&path, original.replace(kind.text, &marker))?;
            let written = Instant::now();
            runtime.block_on(trunk.served(POLL, written + EDIT_LIMIT, |module| {
                contains(module, marker.as_bytes())
            }))?;
            let served = written.elapsed();
            wait_until_quiet(&trunk);
            let builds = trunk.builds_started() - builds_before;
            eprintln!(
                "dev-loop-bench: {name}: {} edit {edit}: served after {:.2} s, {builds} build(s)",
                kind.what,
                served.as_secs_f64()
            );
            times.push((served, builds));
        }
        // Restored here, and once only: writing it again, even unchanged, starts a build.
        drop(restore);
        wait_until_quiet(&trunk);
        measured.push((kind.what, times));
    }
    Ok(Loop {
        cold_start,
        edits: measured,
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Waits until Trunk's log has not grown for [`SETTLE`].
fn wait_until_quiet(trunk: &TrunkServe) {
    let mut length = trunk.log().len();
    let mut quiet_since = Instant::now();
    while quiet_since.elapsed() < SETTLE {
        std::thread::sleep(POLL);
        let now = trunk.log().len();
        if now != length {
            length = now;
            quiet_since = Instant::now();
        }
    }
}

/// Puts a file's original text back when dropped.
struct Restore {
    path: PathBuf,
    original: String,
}

impl Drop for Restore {
    fn drop(&mut self) {
        if let Err(error) = std::fs::write(&self.path, &self.original) {
            eprintln!(
                "dev-loop-bench: could not restore {}: {error}",
                self.path.display()
            );
        }
    }
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2
    }
}

fn seconds(times: &[(Duration, usize)]) -> String {
    times
        .iter()
        .map(|(time, _)| format!("{:.2}", time.as_secs_f64()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn report(app: &Loop, floor: &Loop) {
    let floor_median = median(
        &floor
            .edits
            .iter()
            .flat_map(|(_, times)| times.iter().map(|(time, _)| *time))
            .collect::<Vec<_>>(),
    );
    println!(
        "| project | edit | each edit to served (s) | median (s) | ratio to the floor | builds per edit |"
    );
    println!("| --- | --- | --- | ---: | ---: | --- |");
    for (name, measured) in [("hello-wasm", app), ("floor", floor)] {
        for (what, times) in &measured.edits {
            let durations: Vec<Duration> = times.iter().map(|(time, _)| *time).collect();
            let middle = median(&durations);
            let builds: Vec<String> = times.iter().map(|(_, n)| n.to_string()).collect();
            println!(
                "| {name} | {what} | {} | {:.2} | {:.2}x | {} |",
                seconds(times),
                middle.as_secs_f64(),
                middle.as_secs_f64() / floor_median.as_secs_f64(),
                builds.join(", ")
            );
        }
    }
    println!();
    println!("| project | cold start (s) | ratio to the floor |");
    println!("| --- | ---: | ---: |");
    for (name, measured) in [("hello-wasm", app), ("floor", floor)] {
        println!(
            "| {name} | {:.1} | {:.2}x |",
            measured.cold_start.as_secs_f64(),
            measured.cold_start.as_secs_f64() / floor.cold_start.as_secs_f64()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(30), ms(10), ms(20)]), ms(20));
        assert_eq!(median(&[ms(40), ms(10), ms(30), ms(20)]), ms(25));
    }
}
