//! Names every file a browser may cache for a year after a hash of its final bytes.
//!
//! Trunk 0.21 names the glue and the module from a hash of what rustc produced, before
//! wasm-bindgen, wasm-opt and this post-build change them, so a change to the tools alone
//! would ship new bytes under a name returning visitors have cached as `immutable`. Here,
//! once every byte is final, each such file is renamed `stem-<hash>.ext` (the module keeps its
//! `_bg.wasm` ending), where `<hash>` is the first 16 hex digits of the SHA-256 of its bytes,
//! and the page's references follow.
//!
//! Which files are cached for a year is the deploy configuration's word
//! (`deploy/hello-wasm.conf`, its `immutable` rule), read here rather than repeated, and
//! [`check`] refuses a build in which any such file is not named after its own bytes.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use sha2::{Digest as _, Sha256};

use crate::error::{Error, Result};
use crate::fs::{files_under, read};

/// The nginx configuration people deploy with.
const DEPLOY_CONF: &str = include_str!("../../deploy/hello-wasm.conf");

/// Hex digits of the content hash in a name.
const HASH_DIGITS: usize = 16;

/// The deploy configuration's rule for what is cached as `immutable`: the regular expression
/// its `map` matches against `"$status $uri"`.
static IMMUTABLE: LazyLock<regex::Regex> = LazyLock::new(|| {
    let line = DEPLOY_CONF
        .lines()
        .find(|line| line.contains("immutable") && line.trim_start().starts_with("\"~"))
        .expect("deploy/hello-wasm.conf has a map line caching some names as immutable");
    let pattern = line
        .trim_start()
        .trim_start_matches("\"~")
        .split('"')
        .next()
        .expect("the map line's pattern is quoted");
    regex::Regex::new(pattern).expect("the deploy configuration's pattern is a valid regex")
});

/// Whether the deployed site sends the file at `path` (relative to the site's root, e.g.
/// `favicon-0123456789abcdef.svg`) with `Cache-Control: immutable`.
pub fn served_immutable(path: &str) -> bool {
    IMMUTABLE.is_match(&format!("200 /{path}"))
}

/// The name a file called `name` (`hello-wasm-<trunk hash>.js`, `greetings.txt`) gets when
/// its bytes are `bytes`: any hash in the name replaced by the hash of the bytes.
pub fn content_name(name: &str, bytes: &[u8]) -> String {
    let (stem, ending) = split_ending(name);
    let stem = without_hash(stem);
    let digest = Sha256::digest(bytes);
    let hash: String = digest
        .iter()
        .take(HASH_DIGITS / 2)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("{stem}-{hash}{ending}")
}

/// Splits `name` before its ending: `_bg.wasm` for a wasm-bindgen module, else the extension.
fn split_ending(name: &str) -> (&str, &str) {
    if let Some(stem) = name.strip_suffix("_bg.wasm") {
        return (stem, "_bg.wasm");
    }
    match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    }
}

/// `stem` without a trailing `-<hex>` of the length a hash would have.
fn without_hash(stem: &str) -> &str {
    match stem.rsplit_once('-') {
        Some((rest, hex))
            if (12..=20).contains(&hex.len())
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) =>
        {
            rest
        }
        _ => stem,
    }
}

/// What [`rename_all`] did: the page with its references renamed, and each file's move.
pub struct Renamed {
    /// The page, naming the files by their new names.
    pub html: String,
    /// Each renamed file: where it was, and where it is now.
    pub moves: Vec<(PathBuf, PathBuf)>,
}

impl Renamed {
    /// Where the file that was at `path` is now (`path` itself if it was not renamed).
    pub fn now_at(&self, path: &Path) -> PathBuf {
        self.moves
            .iter()
            .find(|(from, _)| from == path)
            .map_or_else(|| path.to_owned(), |(_, to)| to.clone())
    }
}

/// Renames each file under `dist` that the deploy configuration would cache as `immutable`
/// once content-addressed (not `index.html`, which is revalidated) after its bytes, and
/// rewrites the page's references to it. Each renamed file must be referenced by the page at
/// least once (see [`page::rename_references`]); otherwise the page would go on naming a
/// file that no longer exists.
pub fn rename_all(dist: &Path, html: &str) -> Result<Renamed> {
    let mut html = html.to_owned();
    let mut moves = Vec::new();
    for path in files_under(dist)? {
        let relative = relative(dist, &path);
        let name = file_name(&path);
        if name == "index.html" {
            continue;
        }
        let renamed = content_name(&name, &read(&path)?);
        let new_relative = relative.with_file_name(&renamed);
        if !served_immutable(&slashed(&new_relative)) || renamed == name {
            continue;
        }
        html = page::rename_references(&html, &slashed(&relative), &slashed(&new_relative))
            .map_err(|error| Error::Page(error).in_file(&path))?;
        let new_path = dist.join(&new_relative);
        std::fs::rename(&path, &new_path).map_err(|source| hook::Error::Write {
            path: path.clone(),
            source,
        })?;
        moves.push((path, new_path));
    }
    Ok(Renamed { html, moves })
}

/// Refuses a build in which a file the deploy configuration caches as `immutable` has a
/// name that does not come from its own bytes.
pub fn check(dist: &Path) -> Result<()> {
    for path in files_under(dist)? {
        let relative = slashed(&relative(dist, &path));
        if served_immutable(&relative)
            && content_name(&file_name(&path), &read(&path)?) != file_name(&path)
        {
            return Err(Error::NotContentAddressed(path));
        }
    }
    Ok(())
}

fn relative(dist: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(dist).unwrap_or(path).to_owned()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// A relative path as a URL path writes it.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_comes_from_the_bytes_alone() {
        // `echo -n abc | sha256sum`: ba7816bf8f01cfea…
        assert_eq!(
            content_name("hello-wasm-415c85bb8e5df5e2.js", b"abc"),
            "hello-wasm-ba7816bf8f01cfea.js"
        );
        assert_eq!(
            content_name("hello-wasm-415c85bb8e5df5e2_bg.wasm", b"abc"),
            "hello-wasm-ba7816bf8f01cfea_bg.wasm"
        );
        assert_eq!(
            content_name("greetings.txt", b"abc"),
            "greetings-ba7816bf8f01cfea.txt"
        );
        // A name that is already the bytes' own is its own content name.
        let named = content_name("favicon.svg", b"<svg/>");
        assert_eq!(content_name(&named, b"<svg/>"), named);
        assert_ne!(content_name(&named, b"<svg />"), named);
        // A word that merely looks short of a hash stays.
        assert_eq!(
            content_name("hello-wasm.js", b"abc"),
            "hello-wasm-ba7816bf8f01cfea.js"
        );
    }

    #[test]
    fn the_deploy_configuration_says_what_is_cached_for_a_year() {
        for cached in [
            "hello-wasm-0123456789abcdef.js",
            "hello-wasm-0123456789abcdef_bg.wasm",
            "favicon-0123456789abcdef.svg",
            "greetings-0123456789abcdef.txt",
            "apps/hello/hello-wasm-0123456789abcdef.js",
        ] {
            assert!(served_immutable(cached), "{cached}");
        }
        for revalidated in [
            "index.html",
            "greetings.txt",
            "hello-wasm-0123456789abcdef_bg.wasm.names",
            "hello-wasm-0123456789abcdef.js.br",
        ] {
            assert!(!served_immutable(revalidated), "{revalidated}");
        }
    }

    #[test]
    fn renames_each_cached_file_and_the_pages_references() {
        let temp = tempfile::tempdir().unwrap();
        let dist = temp.path();
        std::fs::create_dir(dist.join("snippets")).unwrap();
        for (name, body) in [
            ("app-0123456789abcdef.js", "js"),
            ("favicon-0123456789abcdef.svg", "<svg/>"),
            ("greetings.txt", "en\tltr\tEnglish\tHello, {name}!\n"),
            ("snippets/x.js", "export {}"),
            ("index.html", "ignored"),
        ] {
            std::fs::write(dist.join(name), body).unwrap();
        }
        let html = "<link rel=modulepreload href=/app-0123456789abcdef.js>\
                    <link rel=icon href=/favicon-0123456789abcdef.svg>\
                    <link id=greetings href=greetings.txt>\
                    <script type=module>import '/snippets/x.js';</script>";
        let renamed = rename_all(dist, html).unwrap();
        let html = &renamed.html;
        let js = content_name("app.js", b"js");
        let catalogue = content_name("greetings.txt", b"en\tltr\tEnglish\tHello, {name}!\n");
        let snippet = content_name("x.js", b"export {}");
        assert!(html.contains(&format!("href=/{js}>")), "{html}");
        assert!(html.contains(&format!("href={catalogue}>")), "{html}");
        assert!(html.contains(&format!("'/snippets/{snippet}'")), "{html}");
        for name in [&js, &catalogue, &format!("snippets/{snippet}")] {
            assert!(dist.join(name).is_file(), "{name}");
        }
        let old = dist.join("app-0123456789abcdef.js");
        assert_eq!(renamed.now_at(&old), dist.join(&js));
        assert_eq!(
            renamed.now_at(&dist.join("index.html")),
            dist.join("index.html")
        );
        check(dist).unwrap();
    }

    #[test]
    fn a_cached_file_not_named_after_its_bytes_is_refused_by_name() {
        let temp = tempfile::tempdir().unwrap();
        let dist = temp.path();
        std::fs::write(dist.join("index.html"), "<p>").unwrap();
        let good = content_name("favicon.svg", b"<svg/>");
        std::fs::write(dist.join(&good), "<svg/>").unwrap();
        check(dist).unwrap();
        let stale = dist.join("hello-wasm-0123456789abcdef_bg.wasm");
        std::fs::write(&stale, b"\0asm new bytes").unwrap();
        let error = check(dist).unwrap_err();
        assert!(matches!(&error, Error::NotContentAddressed(path) if *path == stale));
        assert!(
            error
                .to_string()
                .contains("hello-wasm-0123456789abcdef_bg.wasm"),
            "{error}"
        );
    }
}
