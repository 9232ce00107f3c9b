#!/bin/sh
# Trunk's post_build hook (see Trunk.toml). Runs in the staging folder's build with
# TRUNK_STAGING_DIR and TRUNK_PUBLIC_URL set. It
#  1. copies stylers' scoped component CSS (written by build.rs) next to index.html, named by a
#     hash of its content like trunk's own files;
#  2. points index.html's non-trunk links (stylers.css, the favicon) at the public URL;
#  3. writes embed.js, the stable entry hosts import: it knows this build's hashed file names;
#  4. writes build.json, which tells the server where the assets live and which of them are
#     immutable (their names carry their content's hash);
#  5. precompresses the immutable files: file.br (brotli -q 11) and file.gz (gzip -9), which the
#     server sends to clients that accept them.
set -eu
staging=${TRUNK_STAGING_DIR:?run by trunk}
public_url=${TRUNK_PUBLIC_URL:-/}
case "$public_url" in */) ;; *) public_url="$public_url/" ;; esac

for tool in brotli gzip sha256sum; do
    command -v "$tool" >/dev/null || { echo "post-build: $tool is missing (make setup installs it)" >&2; exit 1; }
done

stylers_hash=$(sha256sum target/stylers.css | cut -c1-16)
stylers_css="stylers-$stylers_hash.css"
cp target/stylers.css "$staging/$stylers_css"

sed -i -e "s#__PUBLIC_URL__stylers.css#__PUBLIC_URL__$stylers_css#g" \
    -e "s#__PUBLIC_URL__#$public_url#g" "$staging/index.html"

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
    -e "s#__STYLES__#\"$tokens_css\", \"$main_css\", \"$stylers_css\"#g" \
    src/embed.template.js > "$staging/embed.js"

immutable="$app_js $app_wasm $tokens_css $main_css $stylers_css"
list=""
for file in $immutable; do
    list="$list${list:+,}\"$file\""
    gzip -9 -n -k -f "$staging/$file"
    brotli -q 11 -k -f "$staging/$file"
done
printf '{"public_url":"%s","immutable":[%s]}\n' "$public_url" "$list" > "$staging/build.json"
