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
  ready ??= init({ module_or_path: new URL("__APP_WASM__", import.meta.url) });
  await ready;
  await addStyles();
  let handle;
  try {
    handle = mountInWasm(element, options);
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
