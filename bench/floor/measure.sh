#!/bin/sh
# Weighs the stack's floor: a minimal Leptos 0.8 app doing the plain-JS baseline's list work
# (src/main.rs), built as the SPA is (trunk --release, opt-level z, LTO, one codegen unit,
# panic=abort, --cfg erase_components from the repository's .cargo/config.toml, wasm-opt -Oz),
# against the SPA's dist/. Prints raw, gzip -9 and brotli -11 KiB of the wasm and its JS glue.
# Run from the repository root after `make setup` (and `make dist` for the SPA's column).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$root/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cd "$root/bench/floor"
trunk build --release >/dev/null
kib() { echo "scale=1; $1 / 1024" | bc; }
weigh() {
    raw=$(stat -c %s "$1"); gz=$(gzip -9 -c "$1" | wc -c); br=$(brotli -q 11 -c "$1" | wc -c)
    printf '| %s | %s | %s | %s | %s |\n' "$2" "$3" "$(kib "$raw")" "$(kib "$gz")" "$(kib "$br")"
}
echo "| build | file | raw KiB | gzip -9 KiB | brotli -11 KiB |"
echo "|---|---|---:|---:|---:|"
weigh dist/leptos-floor_bg.wasm "floor (bench/floor)" wasm
weigh dist/leptos-floor.js "floor (bench/floor)" "JS glue"
if ls "$root"/dist/*_bg.wasm >/dev/null 2>&1; then
    weigh "$(ls "$root"/dist/*_bg.wasm)" "the app (dist/)" wasm
    weigh "$(ls "$root"/dist/services-list-*.js)" "the app (dist/)" "JS glue"
fi
