//! The Content-Security-Policy written into the built `index.html`.
//!
//! Trunk loads the app with an inline module script, so `script-src` names the SHA-256 hash
//! of exactly each inline script in the final HTML. It is computed after Trunk and the other
//! post-build steps are done, so it stays right whenever Trunk's output changes.

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

/// Why a page cannot get its policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CspError {
    /// The page has no `<meta charset>` to put the policy after.
    #[error("index.html has no <meta charset> to put the CSP after")]
    NoCharsetMeta,
    /// A `<script>` or `<style>` is never closed.
    #[error("index.html has a <{0}> without </{0}>")]
    Unclosed(&'static str),
    /// The page already carries a policy.
    #[error("index.html already has a Content-Security-Policy")]
    AlreadyPresent,
}

/// The policy for a page whose inline scripts and style sheets are `inline_scripts` and
/// `inline_styles`. `frame-ancestors` cannot be set from a `<meta>`: the nginx configuration
/// sends it.
pub fn policy(inline_scripts: &[&str], inline_styles: &[&str]) -> String {
    let scripts = hashes(inline_scripts);
    let styles = hashes(inline_styles);
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'{styles}; \
         object-src 'none'; base-uri 'self'; form-action 'none'"
    )
}

/// Each source's `'sha256-…'`, each after a space.
fn hashes(sources: &[&str]) -> String {
    sources
        .iter()
        .map(|source| {
            let digest = Sha256::digest(source.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect()
}

/// The text of every `<script>` without a `src`, exactly as the browser hashes it.
pub fn inline_scripts(html: &str) -> Result<Vec<&str>, CspError> {
    inline(html, "script")
}

/// The text of every `<style>`, exactly as the browser hashes it.
pub fn inline_styles(html: &str) -> Result<Vec<&str>, CspError> {
    inline(html, "style")
}

/// The text of every `<{element}>` element without a `src`.
fn inline<'a>(html: &'a str, element: &'static str) -> Result<Vec<&'a str>, CspError> {
    let (open, close) = (format!("<{element}"), format!("</{element}>"));
    let mut bodies = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after_tag = &rest[start..];
        let tag_end = after_tag.find('>').ok_or(CspError::Unclosed(element))?;
        let tag = &after_tag[..tag_end];
        let body_and_rest = &after_tag[tag_end + 1..];
        let end = body_and_rest
            .find(&close)
            .ok_or(CspError::Unclosed(element))?;
        if !tag.contains(" src=") {
            bodies.push(&body_and_rest[..end]);
        }
        rest = &body_and_rest[end..];
    }
    Ok(bodies)
}

/// Adds `<meta http-equiv=Content-Security-Policy>` right after `<meta charset>`, before
/// anything the policy governs.
pub fn with_policy(html: &str) -> Result<String, CspError> {
    if html.contains("Content-Security-Policy") {
        return Err(CspError::AlreadyPresent);
    }
    let charset = html.find("<meta charset").ok_or(CspError::NoCharsetMeta)?;
    let insert_at = charset + html[charset..].find('>').ok_or(CspError::NoCharsetMeta)? + 1;
    let policy = policy(&inline_scripts(html)?, &inline_styles(html)?);
    let meta = format!(r#"<meta http-equiv="Content-Security-Policy" content="{policy}">"#);
    Ok(format!(
        "{}{meta}{}",
        &html[..insert_at],
        &html[insert_at..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_each_inline_script_and_skips_external_ones() {
        let html = "<meta charset=utf-8><script type=module>import init from '/a.js';</script>\
                    <script src=/b.js></script><script>x</script>";
        assert_eq!(
            inline_scripts(html).unwrap(),
            ["import init from '/a.js';", "x"]
        );
        let policy = policy(&["alert(1)"], &[]);
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert!(policy.contains(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='; style-src 'self';"
        ));
    }

    #[test]
    fn hashes_each_inline_style_sheet_into_style_src() {
        let html =
            "<meta charset=utf-8><style>p{color:red}</style><link rel=stylesheet href=/a.css>";
        assert_eq!(inline_styles(html).unwrap(), ["p{color:red}"]);
        let with = with_policy(html).unwrap();
        // `echo -n 'p{color:red}' | openssl dgst -sha256 -binary | base64`
        let expected = format!("style-src 'self' {};", hashes(&["p{color:red}"]).trim());
        assert!(with.contains(&expected), "{with}");
    }

    #[test]
    fn the_policy_is_strict() {
        // The whole policy: nothing `unsafe-inline` or `unsafe-eval`, only hashes.
        assert_eq!(
            policy(&["alert(1)"], &["p{color:red}"]),
            "default-src 'self'; \
             script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='; \
             style-src 'self' 'sha256-p0bF+un5yUb9MBO6xRb8kPHlY2BdpHVtLiFkDrZPF64='; \
             object-src 'none'; base-uri 'self'; form-action 'none'"
        );
    }

    #[test]
    fn the_meta_goes_right_after_the_charset() {
        let html = "<!doctype html><html><meta charset=utf-8><title>t</title><script>x</script>";
        let with = with_policy(html).unwrap();
        assert!(with.starts_with(
            "<!doctype html><html><meta charset=utf-8><meta http-equiv=\"Content-Security-Policy\""
        ));
        assert!(with.ends_with("<title>t</title><script>x</script>"));
        assert_eq!(with_policy(&with), Err(CspError::AlreadyPresent));
        assert_eq!(
            with_policy("<title>t</title>"),
            Err(CspError::NoCharsetMeta)
        );
        assert_eq!(
            with_policy("<meta charset=utf-8><script>x"),
            Err(CspError::Unclosed("script"))
        );
    }
}
