#!/usr/bin/env bash
# Installs what building, running and testing the services list needs, and only what is missing:
# the pinned Rust toolchain with the wasm32 target, trunk, wasm-bindgen-cli at exactly the
# version in Cargo.lock, wasm-opt (npm binaryen@132), Chromium and ChromeDriver, brotli, and
# PostgreSQL (the tests start their own throw-away cluster from its binaries), and Schemathesis
# (from PyPI, into a Python virtual environment in .tools/venv).
# Idempotent: a second run only checks. Called by `make setup`, `make run` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLCHAIN=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
TOOLS_DIR="$PWD/.tools"
export PATH="$TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }
fail() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

apt_updated=""
apt_install() {
  if ! is_root; then
    fail "missing $*: install them with: sudo apt-get update && sudo apt-get install -y $*"
  fi
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. Rust: the pinned nightly (stylers needs it) with the wasm32 target.
command -v rustup >/dev/null || fail "rustup is missing: install it (https://rustup.rs), then run this again"
if ! rustup run "$TOOLCHAIN" rustc --version >/dev/null 2>&1; then
  say "installing Rust $TOOLCHAIN"
  rustup toolchain install "$TOOLCHAIN" --profile minimal --target wasm32-unknown-unknown -c rustfmt -c clippy
fi
if ! rustup target list --installed --toolchain "$TOOLCHAIN" | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add --toolchain "$TOOLCHAIN" wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed --toolchain "$TOOLCHAIN" | grep -q "^$component"; then
    rustup component add --toolchain "$TOOLCHAIN" "$component"
  fi
done

# Tools are built with stable when the machine has it (trunk 0.21.14 is known to build there).
install_toolchain="$TOOLCHAIN"
if rustup run stable rustc --version >/dev/null 2>&1; then install_toolchain=stable; fi

# 2. trunk, at the version this project is tested with.
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 12 minutes on 2 cores)"
  (cd /tmp && cargo "+$install_toolchain" install trunk --locked --version "$TRUNK_VERSION")
fi

# 3. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (trunk and the browser
#    test runner refuse any other). No --locked: one of its locked dependencies left the registry.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$WBG_VERSION" ] || fail "no wasm-bindgen in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG_VERSION" ] ||
   ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $WBG_VERSION"
  (cd /tmp && cargo "+$install_toolchain" install wasm-bindgen-cli --version "$WBG_VERSION" --force)
fi

# 4. From npm, into .tools/ (one install, so no package prunes another): wasm-opt from
#    binaryen (Debian's binaryen 108 produces wasm that fails to load), axe-core, which the
#    end-to-end accessibility audits inject into pages, and playwright-core, which `make bench`
#    drives Chromium with (the machine's Chromium: it never downloads a browser).
AXE_VERSION=4.11.1
PLAYWRIGHT_VERSION=1.65.1
npm_has() { grep -qs "\"version\": \"$2\"" "$TOOLS_DIR/node_modules/$1/package.json"; }
if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION" ||
   ! npm_has axe-core "$AXE_VERSION" || ! npm_has playwright-core "$PLAYWRIGHT_VERSION"; then
  command -v npm >/dev/null || apt_install nodejs npm
  say "installing binaryen@$BINARYEN_VERSION, axe-core@$AXE_VERSION and playwright-core@$PLAYWRIGHT_VERSION into .tools/"
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent --save-exact \
    "binaryen@$BINARYEN_VERSION" "axe-core@$AXE_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
fi

# 5. Chromium and ChromeDriver for the browser and end-to-end tests.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt_install chromium chromium-driver
fi

# 6. brotli, with which the build precompresses its hashed files (scripts/post-build.sh).
if ! command -v brotli >/dev/null; then
  apt_install brotli
fi

# 6b. PostgreSQL, the scale-out store: `make run-postgres` and the tests start clusters from its
#    binaries (nothing runs as a service).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
  apt_install postgresql
fi

pg_version() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -n "$bin" ]; then "$bin/postgres" --version; else postgres --version 2>/dev/null; fi
}

# 7. Schemathesis, the OpenAPI fuzzer of `make test`, with every package it needs pinned
#    (scripts/schemathesis-requirements.txt), in a virtual environment in .tools/venv.
SCHEMATHESIS_REQUIREMENTS=scripts/schemathesis-requirements.txt
SCHEMATHESIS_VERSION=$(sed -n 's/^schemathesis==//p' "$SCHEMATHESIS_REQUIREMENTS")
if [ "$("$TOOLS_DIR/venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  command -v python3 >/dev/null || apt_install python3 python3-venv
  say "installing schemathesis $SCHEMATHESIS_VERSION into .tools/venv"
  rm -rf "$TOOLS_DIR/venv"
  # Debian's python3 makes virtual environments only with python3-venv (ensurepip).
  if ! python3 -m venv "$TOOLS_DIR/venv" >/dev/null 2>&1; then
    rm -rf "$TOOLS_DIR/venv"
    apt_install python3-venv
    python3 -m venv "$TOOLS_DIR/venv"
  fi
  "$TOOLS_DIR/venv/bin/pip" install --quiet --disable-pip-version-check -r "$SCHEMATHESIS_REQUIREMENTS"
fi

# 8. Every crate, so trunk's offline build finds them.
cargo fetch --quiet

say "ready: $(rustup run "$TOOLCHAIN" rustc --version), $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version | head -1), $(chromium --version 2>/dev/null), $(pg_version), $("$TOOLS_DIR/venv/bin/schemathesis" --version)"
