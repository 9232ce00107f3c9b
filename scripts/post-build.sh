#!/bin/sh
# Trunk's post_build hook (see Trunk.toml). Runs in the staging folder's build with
# TRUNK_STAGING_DIR and TRUNK_PUBLIC_URL set. It
#  1. copies stylers' scoped component CSS (written by build.rs) next to index.html;
#  2. points index.html's non-trunk links (stylers.css, the favicon) at the public URL;
#  3. writes build.json, which tells the server where the assets live;
#  4. writes embed.js, the stable entry hosts import: it knows this build's hashed file names.
set -eu
staging=${TRUNK_STAGING_DIR:?run by trunk}
public_url=${TRUNK_PUBLIC_URL:-/}
case "$public_url" in */) ;; *) public_url="$public_url/" ;; esac

cp target/stylers.css "$staging/stylers.css"

sed -i "s#__PUBLIC_URL__#$public_url#g" "$staging/index.html"

printf '{"public_url":"%s"}\n' "$public_url" > "$staging/build.json"

only() {
    # Exactly one file must match, or the build is not what we think it is.
    set -- $1
    if [ "$#" -ne 1 ] || [ ! -e "$1" ]; then
        echo "post-build: expected one file, found: $*" >&2
        exit 1
    fi
    basename "$1"
}
app_js=$(only "$staging/services-list-*[!g].js")
app_wasm=$(only "$staging/services-list-*_bg.wasm")
tokens_css=$(only "$staging/tokens-*.css")
main_css=$(only "$staging/main-*.css")
sed -e "s#__APP_JS__#$app_js#g" \
    -e "s#__APP_WASM__#$app_wasm#g" \
    -e "s#__STYLES__#\"$tokens_css\", \"$main_css\", \"stylers.css\"#g" \
    src/embed.template.js > "$staging/embed.js"
