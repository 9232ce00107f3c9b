// Checks that the plain-JavaScript page renders the same DOM as the app, so the browser does the
// same style, layout and paint work for both: the mount element serialised, one node a line.
import { CHROMIUM_ARGS } from "./browser.mjs";

/** Runs in the page: the mounted list as lines of tags, sorted attributes, states and text. */
function serialise(basePath) {
  const lines = [];
  const walk = (node, depth) => {
    let text = "";
    const flush = () => {
      if (text !== "") lines.push(`${"  ".repeat(depth)}"${text}"`);
      text = "";
    };
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        text += child.data;
        continue;
      }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      flush();
      const attrs = [];
      for (const a of child.attributes) {
        if (a.name.startsWith("data-") && a.name !== "data-actions-for") continue;
        let value = a.value;
        if (a.name === "class") value = value.split(/\s+/).filter(Boolean).sort().join(" ");
        if (a.name === "href" && value.startsWith(basePath)) value = "BASE" + value.slice(basePath.length);
        attrs.push(`${a.name}="${value}"`);
      }
      if (child instanceof HTMLInputElement) attrs.push(`(checked=${child.checked} value="${child.value}")`);
      if (child instanceof HTMLSelectElement) attrs.push(`(value="${child.value}")`);
      attrs.sort();
      lines.push(`${"  ".repeat(depth)}<${child.localName}${attrs.length ? " " + attrs.join(" ") : ""}>`);
      walk(child, depth + 1);
    }
    flush();
  };
  walk(document.getElementById("services-root"), 0);
  return lines;
}

async function snapshot(browser, url, basePath, harness, view, fixedTime) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...(view.timezoneId ? { timezoneId: view.timezoneId } : {}) });
  try {
    // Both pages read the same clock, so relative times ("3 h ago") and next runs agree.
    await page.clock.setFixedTime(fixedTime);
    if (view.utc) await page.addInitScript(() => localStorage.setItem("pw-services-list:times", "utc"));
    await page.addInitScript({ path: harness });
    await page.goto(url, { waitUntil: "commit" });
    // Rows, or the "no matches" state.
    await page.waitForSelector("#services-panel tbody tr, #services-panel div.empty", { timeout: 60_000 });
    // Longer than both pages wait (600 ms) before announcing the count in their live region.
    await page.evaluate(() => window.__bench.settle(800, 10_000));
    if (view.selectPage) {
      await page.click("#services-panel thead input[data-select-page]");
      await page.evaluate(() => window.__bench.settle(800, 10_000));
    }
    return await page.evaluate(serialise, basePath);
  } finally {
    await page.close();
  }
}

/** What a view is: its query string, and the zone, the times setting and the selection. */
export function describeView(view) {
  const extra = [view.timezoneId && `in ${view.timezoneId}`, view.utc && "times in UTC", view.selectPage && "page selected"].filter(Boolean);
  return `${view.query}${extra.length ? ` (${extra.join(", ")})` : ""}`;
}

/**
 * Compares the two pages at a few views; returns [{ view, same, differences, first }]. A view is
 * { query, timezoneId?, utc?, selectPage? }: the list's query string, the browser's time zone,
 * times shown in UTC, and the page's "select all on this page" ticked before comparing.
 */
export async function compareMarkup({ chromium, harness, origin, views }) {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  const fixedTime = new Date();
  const results = [];
  try {
    for (const view of views) {
      const app = await snapshot(browser, `${origin}/dashboard/services${view.query}`, "/dashboard/services", harness, view, fixedTime);
      const plain = await snapshot(browser, `${origin}/dashboard/plain${view.query}`, "/dashboard/plain", harness, view, fixedTime);
      let differences = 0;
      let first = null;
      for (let i = 0; i < Math.max(app.length, plain.length); i += 1) {
        if (app[i] !== plain[i]) {
          differences += 1;
          first ??= { line: i + 1, app: app[i] ?? "(end)", plain: plain[i] ?? "(end)", context: app.slice(Math.max(0, i - 3), i) };
        }
      }
      results.push({ view: describeView(view), lines: app.length, same: differences === 0, differences, first });
    }
  } finally {
    await browser.close();
  }
  return results;
}
