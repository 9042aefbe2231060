//! The Content-Security-Policy written into the built `index.html`.
//!
//! Trunk loads the app with an inline module script, so `script-src` names the SHA-256 hash
//! of exactly each inline script in the final HTML (read with the `page` crate's parser). It
//! is computed after Trunk and the other post-build steps are done, so it stays right whenever
//! Trunk's output changes.

use page::{InlineCode, PageError, after_charset, attribute, inline_code, source_hash};

/// Why a page cannot get its policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CspError {
    /// The page cannot be read, or has no one `<meta charset>` to put the policy after.
    #[error(transparent)]
    Page(#[from] PageError),
    /// The page already carries a policy.
    #[error("index.html already has a Content-Security-Policy")]
    AlreadyPresent,
}

/// The policy for a page with `inline` scripts and style sheets. `frame-ancestors` cannot be
/// set from a `<meta>`: the nginx configuration sends it. Trusted Types are enforced with no
/// policy at all (`trusted-types 'none'`): no string may reach an HTML or script sink, and
/// nothing in the page needs one to.
pub fn policy(inline: &InlineCode) -> String {
    let hashes = |sources: &[String]| -> String {
        sources
            .iter()
            .map(|source| format!(" {}", source_hash(source)))
            .collect()
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'{}; \
         object-src 'none'; base-uri 'self'; form-action 'none'; \
         require-trusted-types-for 'script'; trusted-types 'none'",
        hashes(&inline.scripts),
        hashes(&inline.styles)
    )
}

/// Adds `<meta http-equiv=Content-Security-Policy>` right after `<meta charset>`, before
/// anything the policy governs.
pub fn with_policy(html: &str) -> Result<String, CspError> {
    if attribute(html, "meta[http-equiv=Content-Security-Policy]", "content")?.is_some() {
        return Err(CspError::AlreadyPresent);
    }
    let policy = policy(&inline_code(html)?);
    let meta = format!(r#"<meta http-equiv="Content-Security-Policy" content="{policy}">"#);
    Ok(after_charset(html, &meta)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(scripts: &[&str], styles: &[&str]) -> InlineCode {
        InlineCode {
            scripts: scripts.iter().map(|s| s.to_string()).collect(),
            styles: styles.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_policy_is_strict() {
        // The whole policy: nothing `unsafe-inline` or `unsafe-eval`, only hashes.
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`, and so for the style.
        assert_eq!(
            policy(&inline(&["alert(1)"], &["p{color:red}"])),
            "default-src 'self'; \
             script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='; \
             style-src 'self' 'sha256-p0bF+un5yUb9MBO6xRb8kPHlY2BdpHVtLiFkDrZPF64='; \
             object-src 'none'; base-uri 'self'; form-action 'none'; \
             require-trusted-types-for 'script'; trusted-types 'none'"
        );
    }

    #[test]
    fn the_meta_goes_right_after_the_charset_and_names_the_pages_inline_code() {
        let html = "<!doctype html><html><meta charset=utf-8><title>t</title>\
                    <style>p{color:red}</style><script>alert(1)</script><script src=/b.js></script>";
        let with = with_policy(html).unwrap();
        let expected = format!(
            "<!doctype html><html><meta charset=utf-8><meta http-equiv=\"Content-Security-Policy\" content=\"{}\"><title>t</title>",
            policy(&inline(&["alert(1)"], &["p{color:red}"]))
        );
        assert!(with.starts_with(&expected), "{with}");
        assert_eq!(with_policy(&with), Err(CspError::AlreadyPresent));
        assert!(matches!(
            with_policy("<title>t</title>"),
            Err(CspError::Page(PageError::NotOnce { found: 0, .. }))
        ));
    }
}
