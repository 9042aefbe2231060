//! One download of the module in every engine.
//!
//! Trunk preloads the module with `<link rel=preload as=fetch crossorigin integrity=…>`, and
//! its loader passes the module's URL to wasm-bindgen's `init`, which fetches it in CORS mode.
//! Chromium and Firefox answer that fetch from the preload; WebKit (2.50, and Safari) never
//! answers a CORS-mode fetch from an `as=fetch` preload, and downloads the module twice. The
//! one pairing all three reuse is a preload without `crossorigin` and a same-origin fetch in
//! `no-cors` mode with credentials (whose response is still readable, so streaming
//! compilation works). So the preload loses `crossorigin`, and `integrity`, which no engine
//! checks on such a preload and which makes Chromium warn on every load; and the loader passes
//! `init` a `Request` in that mode instead of the URL, an input wasm-bindgen's `init` accepts
//! as it is. The module's name is still the hash of its bytes (see `content_names`).

use page::{MODULE_PRELOAD, PageError, module_url, remove_attributes, replace_property_string};

/// `html` with the module preloaded and fetched as every engine reuses it: the loader's
/// `module_or_path`, found on its syntax tree, must be the preloaded URL.
pub fn one_request_in_every_engine(html: &str) -> Result<String, PageError> {
    let url = module_url(html)?;
    let html = remove_attributes(html, MODULE_PRELOAD, &["crossorigin", "integrity"])?;
    replace_property_string(&html, "module_or_path", |literal, value| {
        if value != url {
            return Err(PageError::Script(format!(
                "Trunk's loader passes `module_or_path: {literal}`, but the module preloaded is {url}"
            )));
        }
        Ok(format!(
            "new Request({literal}, {{ mode: 'no-cors', credentials: 'include' }})"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preload_and_the_loaders_request_match_in_mode() {
        let html = "<meta charset=utf-8><script type=module>import init from '/app/a.js';\n\
            const wasm = await init({ module_or_path: '/app/a_bg.wasm' });</script>\
            <link as=fetch crossorigin href=/app/a_bg.wasm integrity=sha384-x rel=preload type=application/wasm>";
        let html = one_request_in_every_engine(html).unwrap();
        assert!(
            html.contains("init({ module_or_path: new Request('/app/a_bg.wasm', { mode: 'no-cors', credentials: 'include' }) })"),
            "{html}"
        );
        assert!(
            html.ends_with("<link as=fetch href=/app/a_bg.wasm rel=preload type=application/wasm>"),
            "{html}"
        );
        // A loader that names another module is refused, not half changed.
        let other = html.replace(
            "new Request('/app/a_bg.wasm', { mode: 'no-cors', credentials: 'include' })",
            "'/app/b_bg.wasm'",
        );
        assert!(matches!(
            one_request_in_every_engine(&other),
            Err(PageError::Script(message)) if message.contains("'/app/b_bg.wasm'")
        ));
        // One that passes no `module_or_path` string is refused too.
        let other = html.replace("module_or_path", "module");
        assert!(matches!(
            one_request_in_every_engine(&other),
            Err(PageError::NotOnce { found: 0, .. })
        ));
    }
}
