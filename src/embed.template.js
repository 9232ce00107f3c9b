// The services list for host pages:
// `mountServicesList(element, { getToken, basePath, apiBase, keyboardShortcuts })`.
// scripts/post-build.sh turns this template into dist/embed.js, filling in the build's file names.
import init, { mountServicesList as mountInWasm } from "./__APP_JS__";

const STYLES = [__STYLES__];
let ready = null;
let users = 0;
let links = [];

// Our stylesheets go first in <head>, so a host rule of equal weight wins; they are added for the
// first mounted app and removed with the last.
function addStyles() {
  users += 1;
  if (users > 1) {
    return Promise.resolve();
  }
  links = STYLES.map((name) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL(name, import.meta.url).href;
    link.dataset.servicesList = "";
    return link;
  });
  document.head.prepend(...links);
  return Promise.all(
    links.map(
      (link) =>
        new Promise((done) => {
          link.addEventListener("load", done, { once: true });
          link.addEventListener("error", done, { once: true });
        }),
    ),
  );
}

function removeStyles() {
  users -= 1;
  if (users === 0) {
    links.forEach((link) => link.remove());
    links = [];
  }
}

// The first token and the list's first GETs, started now rather than after the wasm has been
// downloaded and compiled: the app takes these answers (src/prefetch.rs) instead of asking again.
// The host is asked for a token once, as before: the app's first `getToken` call gets this one.
function prefetch(options) {
  if (typeof options.getToken !== "function") {
    return options;
  }
  const first = Promise.resolve().then(() => options.getToken());
  first.catch(() => {});
  let unused = first;
  const getToken = () => {
    const token = unused ?? options.getToken();
    unused = null;
    return token;
  };
  const api = (options.apiBase ?? "/api/v1").trim().replace(/\/+$/, "");
  const paths = ["/me", "/company-groups"];
  const base = (options.basePath ?? "").trim().replace(/\/+$/, "");
  const group = new URLSearchParams(location.search).get("group") ?? "";
  if (location.pathname.replace(/\/+$/, "") === base && /^[1-9][0-9]{0,14}$/.test(group)) {
    paths.push(`/company-groups/${group}/services/lean`);
  }
  const prefetched = first.then(
    (token) => {
      if (typeof token !== "string" || token === "") {
        return null;
      }
      const headers = { Accept: "application/json", Authorization: `Bearer ${token}` };
      const answers = new Map(paths.map((path) => [api + path, fetch(api + path, { headers })]));
      answers.forEach((answer) => answer.catch(() => {}));
      return { token, answers };
    },
    () => null,
  );
  return { ...options, getToken, prefetched };
}

/**
 * Mounts the services list into `element` and resolves to `{ unmount() }`.
 * - getToken: () => string | Promise<string>, the bearer token; asked again when it expires.
 * - basePath: the path the app's routes live under, e.g. "/dashboard/services" (default "").
 * - apiBase: the API's base URL (default "/api/v1", same origin).
 * - keyboardShortcuts: whether `/` focuses the search while focus is in the app (default true;
 *   users can turn it off in the app).
 */
export async function mountServicesList(element, options = {}) {
  if (!(element instanceof HTMLElement)) {
    throw new TypeError("mountServicesList needs the element to mount the app in.");
  }
  const started = prefetch(options);
  ready ??= init({ module_or_path: new URL("__APP_WASM__", import.meta.url) });
  await ready;
  await addStyles();
  let handle;
  try {
    handle = mountInWasm(element, started);
  } catch (error) {
    removeStyles();
    throw error;
  }
  let mounted = true;
  return {
    unmount() {
      if (!mounted) {
        return;
      }
      mounted = false;
      handle.unmount();
      handle.free();
      removeStyles();
    },
  };
}
