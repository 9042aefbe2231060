# Installs what building and testing need, and puts it on PATH. Sourced by ./dev.
# Idempotent and quick when everything is there. Downloads only from package registries
# (crates.io, npm, Debian): never from GitHub, so it works behind a strict firewall.

TRUNK_VERSION=0.21.14
GECKODRIVER_VERSION=0.37.1
BINARYEN_VERSION=132
VNU_VERSION=26.9.27
AXE_VERSION=4.14.1
# The last TypeScript written in TypeScript: 7 is the native port, with a binary per platform.
TYPESCRIPT_VERSION=5.9.3
WASM_PACK_VERSION=0.15.1
# npm's tools go here; a caller may name another folder (the serve set-up's check does).
TOOLS_DIR="${TOOLS_DIR:-$ROOT/.tools}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"

# The wasm-bindgen version the app is built with, read from Cargo.lock: the CLI must match it.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock"
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else return 1; fi
}

setup_rust() {
    command -v cargo >/dev/null && command -v rustup >/dev/null \
        || fail "Rust is not installed. Install rustup (https://rustup.rs), then run this again."
    # rust-toolchain.toml lists the target too; adding it here makes sure it is there whatever
    # rustup's version and settings (automatic installs are off on some machines).
    (cd "$ROOT" && rustup target list --installed | grep -qx wasm32-unknown-unknown) || {
        say "adding the wasm32-unknown-unknown target"
        (cd "$ROOT" && rustup target add wasm32-unknown-unknown) || fail "could not add the wasm32-unknown-unknown target"
    }
}

setup_trunk() {
    [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ] && return
    say "installing trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install --locked trunk --version "$TRUNK_VERSION" || fail "could not install trunk $TRUNK_VERSION"
}

setup_wasm_bindgen() {
    local version
    version=$(wasm_bindgen_version)
    [ -n "$version" ] || fail "Cargo.lock names no wasm-bindgen version"
    [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $version" ] \
        && [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" = "wasm-bindgen-test-runner $version" ] && return
    say "installing wasm-bindgen-cli $version (a few minutes, once)"
    # Not --locked: its lock file pins a dependency version that crates.io no longer serves.
    cargo install wasm-bindgen-cli --version "$version" || fail "could not install wasm-bindgen-cli $version"
}

# wasm-opt (npm's binaryen, for release builds), the W3C Nu HTML Checker (npm's vnu-jar, run
# with Java), axe-core and TypeScript (for the npm package's declarations), into .tools/ in one
# npm call: npm removes from that folder whatever a call does not name.
setup_npm_tools() {
    wasm-opt --version 2>/dev/null | grep -q "version_$BINARYEN_VERSION" \
        && grep -q "\"version\": \"$VNU_VERSION\"" "$TOOLS_DIR/node_modules/vnu-jar/package.json" 2>/dev/null \
        && grep -q "\"version\": \"$AXE_VERSION\"" "$TOOLS_DIR/node_modules/axe-core/package.json" 2>/dev/null \
        && grep -q "\"version\": \"$TYPESCRIPT_VERSION\"" "$TOOLS_DIR/node_modules/typescript/package.json" 2>/dev/null \
        && return
    command -v npm >/dev/null \
        || fail "npm is needed to install wasm-opt (npm package binaryen@$BINARYEN_VERSION). On Debian: apt-get install nodejs npm"
    say "installing wasm-opt (binaryen@$BINARYEN_VERSION), the Nu HTML Checker (vnu-jar@$VNU_VERSION), axe-core@$AXE_VERSION and typescript@$TYPESCRIPT_VERSION from npm into .tools/"
    # --ignore-scripts: vnu-jar's install script would download a Java runtime; Debian's is used.
    npm install --prefix "$TOOLS_DIR" --no-save --no-audit --no-fund --loglevel=error --ignore-scripts \
        "binaryen@$BINARYEN_VERSION" "vnu-jar@$VNU_VERSION" "axe-core@$AXE_VERSION" "typescript@$TYPESCRIPT_VERSION" \
        || fail "could not install binaryen@$BINARYEN_VERSION, vnu-jar@$VNU_VERSION, axe-core@$AXE_VERSION and typescript@$TYPESCRIPT_VERSION from npm"
}

# Debian packages for the browser tests: install them where apt is available.
setup_debian_packages() {
    local missing=() package program
    for package in "$@"; do
        case $package in
            chromium-driver) program=chromedriver ;;
            firefox-esr) program=firefox-esr ;;
            webkit2gtk-driver) program=WebKitWebDriver ;;
            xvfb) program=Xvfb ;;
            locales) program=/usr/share/i18n/locales/de_AT ;;
            default-jre-headless) program=java ;;
            libnginx-mod-http-brotli-static) program=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so ;;
            *) program=$package ;;
        esac
        command -v "$program" >/dev/null || [ -e "$program" ] || [ -x "/usr/sbin/$program" ] || missing+=("$package")
    done
    [ ${#missing[@]} = 0 ] && return
    if command -v apt-get >/dev/null; then
        say "installing ${missing[*]} with apt-get"
        as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
            && return
    fi
    fail "the browser tests need ${missing[*]}: Chromium with a matching ChromeDriver, Firefox ESR, WebKitGTK's WebKitWebDriver with Xvfb and the locale sources, Java for the HTML checker, and nginx with the brotli_static module. On Debian: apt-get install chromium chromium-driver firefox-esr webkit2gtk-driver xvfb locales default-jre-headless nginx libnginx-mod-http-brotli-static. Then run this again."
}

# What `./dev serve` needs, and no more: a debug build runs no wasm-opt, no checker and no
# browser. `./dev test` checks that this succeeds without them (check_serve_setup in ./dev).
setup_serve_tools() {
    setup_rust
    setup_trunk
    setup_wasm_bindgen
}

# geckodriver, Firefox's WebDriver, from crates.io.
setup_geckodriver() {
    [ "$(geckodriver --version 2>/dev/null | head -n 1)" = "geckodriver $GECKODRIVER_VERSION" ] && return
    say "installing geckodriver $GECKODRIVER_VERSION (a few minutes, once)"
    cargo install --locked geckodriver --version "$GECKODRIVER_VERSION" || fail "could not install geckodriver $GECKODRIVER_VERSION"
}

# wasm-pack, which builds the npm package (`greetings/`), from crates.io. It is run with
# `--mode no-install`, so it uses the wasm-bindgen CLI above and downloads nothing.
setup_wasm_pack() {
    [ "$(wasm-pack --version 2>/dev/null)" = "wasm-pack $WASM_PACK_VERSION" ] && return
    say "installing wasm-pack $WASM_PACK_VERSION (a few minutes, once)"
    cargo install --locked wasm-pack --version "$WASM_PACK_VERSION" || fail "could not install wasm-pack $WASM_PACK_VERSION"
}

setup_test_tools() {
    setup_serve_tools
    setup_npm_tools
    setup_debian_packages chromium chromium-driver firefox-esr webkit2gtk-driver xvfb locales \
        default-jre-headless nginx libnginx-mod-http-brotli-static
    setup_geckodriver
    setup_wasm_pack
    CHROMEDRIVER=$(command -v chromedriver)
    GECKODRIVER=$(command -v geckodriver)
    export CHROMEDRIVER GECKODRIVER
}
