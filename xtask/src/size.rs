//! The first-load size report and budget.

use std::path::Path;

use crate::compress::{brotli, gzip};
use crate::error::{Error, Result};
use crate::fs::{files_with_extension, read};
use crate::raw_module;

/// The one ceiling: what a first visit may download, brotli-compressed (HTML with its CSS,
/// JS, wasm and the greetings catalogue together), is 64 KiB. Headroom under it is spent
/// where it makes the code clearer; BENCHMARKS.md records each spend over 200 bytes and what
/// it bought, and the history of what each feature cost.
pub const BUDGET_BROTLI_BYTES: u64 = 64 * 1024;

/// File kinds a browser fetches to show the app for the first time (`txt`: the catalogue;
/// the names file, `.names`, is fetched only when "Under the hood" is opened).
const FIRST_LOAD_EXTENSIONS: [&str; 5] = ["html", "js", "wasm", "css", "txt"];

/// One file's sizes in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSize {
    /// The file name inside `dist/`.
    pub name: String,
    /// Bytes on disk.
    pub raw: u64,
    /// Bytes gzip-compressed at the strongest level.
    pub gzip: u64,
    /// Bytes brotli-compressed at quality 11.
    pub brotli: u64,
}

/// Measures, prints and checks `dist`.
pub fn run(dist: &Path) -> Result<()> {
    let files = measure(dist)?;
    print!("{}", render(&files));
    check_budget(&files)
}

/// Measures every first-load file in `dist` and its subdirectories, sorted by name.
pub fn measure(dist: &Path) -> Result<Vec<FileSize>> {
    if !dist.is_dir() {
        return Err(Error::NoBuild {
            dist: dist.to_owned(),
            what: "no such directory",
        });
    }
    let mut files = Vec::new();
    for extension in FIRST_LOAD_EXTENSIONS {
        for path in files_with_extension(dist, extension)? {
            if raw_module::is_raw_module(&path) {
                // Fetched when "Under the hood" is first opened, not on a first visit.
                continue;
            }
            let bytes = read(&path)?;
            files.push(FileSize {
                name: path
                    .strip_prefix(dist)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned(),
                raw: len(&bytes),
                gzip: len(&gzip(&bytes)),
                brotli: len(&brotli(&bytes)),
            });
        }
    }
    if !files.iter().any(|file| file.name.ends_with(".wasm")) {
        return Err(Error::NoBuild {
            dist: dist.to_owned(),
            what: "no .wasm file, so not a release build of the app",
        });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// The table: one row a file, then the total and the budget.
pub fn render(files: &[FileSize]) -> String {
    let row = |name: &str, raw: u64, gzip: u64, brotli: u64| {
        format!("{name:<44} {raw:>9} {gzip:>9} {brotli:>9}\n")
    };
    let mut out = format!(
        "{:<44} {:>9} {:>9} {:>9}\n",
        "first-load file", "raw", "gzip", "brotli"
    );
    for file in files {
        out += &row(&file.name, file.raw, file.gzip, file.brotli);
    }
    let total = |pick: fn(&FileSize) -> u64| files.iter().map(pick).sum::<u64>();
    out += &row(
        "total",
        total(|f| f.raw),
        total(|f| f.gzip),
        total(|f| f.brotli),
    );
    out += &format!("{:<44} {BUDGET_BROTLI_BYTES:>29}\n", "budget (brotli)");
    out
}

/// Fails, saying by how much, when the brotli total is over [`BUDGET_BROTLI_BYTES`].
pub fn check_budget(files: &[FileSize]) -> Result<()> {
    let total: u64 = files.iter().map(|file| file.brotli).sum();
    if total > BUDGET_BROTLI_BYTES {
        return Err(Error::OverBudget {
            total,
            budget: BUDGET_BROTLI_BYTES,
        });
    }
    println!(
        "size check passed: {total} of {BUDGET_BROTLI_BYTES} bytes brotli ({} to spare)",
        BUDGET_BROTLI_BYTES - total
    );
    Ok(())
}

fn len(bytes: &[u8]) -> u64 {
    bytes.len() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, brotli: u64) -> FileSize {
        FileSize {
            name: name.to_owned(),
            raw: brotli * 3,
            gzip: brotli + 10,
            brotli,
        }
    }

    #[test]
    fn the_budget_allows_up_to_and_including_its_limit() {
        assert!(check_budget(&[file("a.wasm", BUDGET_BROTLI_BYTES)]).is_ok());
        let over = check_budget(&[file("a.wasm", BUDGET_BROTLI_BYTES), file("b.js", 1)])
            .unwrap_err()
            .to_string();
        assert!(over.contains("1 over the budget"), "{over}");
    }

    #[test]
    fn the_table_lists_each_file_and_the_totals() {
        let table = render(&[file("a.wasm", 100), file("index.html", 20)]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 5, "{table}");
        assert!(lines[1].starts_with("a.wasm") && lines[1].ends_with(" 100"));
        assert!(
            lines[3].starts_with("total") && lines[3].ends_with(" 120"),
            "{table}"
        );
        assert!(
            lines[4].starts_with("budget") && lines[4].ends_with(" 65536"),
            "{table}"
        );
    }

    #[test]
    fn measures_only_first_load_files() {
        let temp = tempfile::tempdir().unwrap();
        let dist = temp.path();
        for (name, body) in [
            ("app.wasm", "wasm"),
            ("index.html", "<p>"),
            ("icon.svg", "<svg>"),
            ("app.wasm.br", "x"),
            ("raw-640a31c1ff1109fa.wasm", "fetched on opening a section"),
        ] {
            std::fs::write(dist.join(name), body).unwrap();
        }
        let names: Vec<String> = measure(dist)
            .unwrap()
            .into_iter()
            .map(|file| file.name)
            .collect();
        assert_eq!(names, ["app.wasm", "index.html"]);
    }
}
