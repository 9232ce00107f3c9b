// One measured visit of one page in a fresh headless Chromium: the first load, typing, a filter,
// sorting, paging, tab switches and memory. The same steps, selectors and harness for the app
// and for the plain-JavaScript page (their markup is the same).
import fs from "node:fs";
import path from "node:path";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless=new",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const SEARCH = "#service-search";
const PANEL = "#services-panel";
const FILTERS_TOGGLE = "button[aria-controls=filter-panel]";
const FIRST_STATUS_BOX = "#filter-panel fieldset:first-of-type label:first-of-type input";
const FILTERS_DONE = "#filter-panel button.close";
// A sortable column's header button, by its label (the table may have a selection column first).
const SORT_BY = (label) => `${PANEL} thead >> role=button[name="${label}" s]`;
const NEXT_PAGE = "nav[aria-label=Pages] li:last-child button";
const PREVIOUS_PAGE = "nav[aria-label=Pages] li:first-child button";

/** A predicate (a function body run in the page) for "group `id` shows `count` services". */
function groupShown(id, count) {
  return `const tab = document.getElementById("group-tab-${id}");
    const status = document.querySelector("${PANEL} p.count");
    return tab !== null && tab.getAttribute("aria-selected") === "true" && status !== null &&
      status.textContent.trim() === "${count} ${count === 1 ? "service" : "services"}" &&
      document.querySelector("${PANEL} tbody tr") !== null;`;
}

/** Resident and proportional memory of the renderer processes under the browser `pid`. */
function rendererMemory(pid) {
  const parents = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      /* gone */
    }
  }
  const descends = (p) => {
    for (let at = p, hops = 0; at > 1 && hops < 10; at = parents.get(at), hops += 1) {
      if (at === pid) return true;
    }
    return false;
  };
  const renderers = [];
  for (const p of parents.keys()) {
    if (p === pid || !descends(p)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, "utf8");
      if (!cmd.includes("--type=renderer")) continue;
      const rollup = fs.readFileSync(`/proc/${p}/smaps_rollup`, "utf8");
      const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0);
      renderers.push({ pid: p, pss: kb("Pss") * 1024, rss: kb("Rss") * 1024 });
    } catch {
      /* gone or not ours */
    }
  }
  // The page's renderer is the biggest; Chromium may keep a spare one.
  renderers.sort((a, b) => b.pss - a.pss);
  return renderers[0] ?? null;
}

/**
 * Visits `url` once and measures. `plan` says what to do:
 * { queries, quietMs, keyTimeoutMs, loadTimeoutMs, budgetMs, groupSize, otherGroup }.
 */
export async function visit({ chromium, harness, url, plan, log }) {
  const server = await chromium.launchServer({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const browserPid = server.process().pid;
  const browser = await chromium.connect(server.wsEndpoint());
  const out = { url, notes: [] };
  const started = Date.now();
  const overBudget = () => Date.now() - started > plan.budgetMs;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript({ path: harness });
    const page = await context.newPage();
    page.setDefaultTimeout(plan.keyTimeoutMs + 5_000);
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    const cdp = await context.newCDPSession(page);

    const settle = (quietMs, timeoutMs, needReady = false) =>
      page.evaluate(([q, t, r]) => window.__bench.settle(q, t, r), [quietMs, timeoutMs, needReady]);
    const memory = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      await cdp.send("HeapProfiler.collectGarbage");
      const heap = await cdp.send("Runtime.getHeapUsage");
      const wasm = await page.evaluate(() => window.__bench.wasmMemoryBytes());
      const dom = await cdp.send("Memory.getDOMCounters");
      return { jsHeap: heap.usedSize, wasm, total: heap.usedSize + wasm, dom, renderer: rendererMemory(browserPid) };
    };
    // One measured action: arm the harness, act, wait until the page is quiet again.
    const measure = async (kind, act, until = null, timeoutMs = plan.keyTimeoutMs) => {
      await page.evaluate(([k, u]) => window.__bench.arm(k, u), [kind, until]);
      await act();
      return settle(plan.quietMs, timeoutMs);
    };
    const click = (selector, until) => measure("click", () => page.click(selector), until);

    // 1. The first load, as a new user: a fresh browser, nothing cached.
    await page.goto(url, { waitUntil: "commit" });
    const load = await settle(500, plan.loadTimeoutMs, true);
    out.load = { ...load, ...(await page.evaluate(() => window.__bench.load())) };
    if (load.ready === null) {
      out.notes.push(`no rows within ${plan.loadTimeoutMs / 1000} s of navigation`);
      out.errors = errors;
      return out;
    }
    out.memoryAfterLoad = await memory();

    // 2. Typing, a key at a time, each query cleared again afterwards.
    out.keys = [];
    out.clears = [];
    await page.click(SEARCH);
    typing: for (const query of plan.queries) {
      for (const ch of query) {
        const r = await measure("keydown", () => page.keyboard.type(ch));
        out.keys.push({ query, key: ch, ...r });
        if (r.timedOut) {
          out.notes.push(`typing "${query}": a keystroke took over ${plan.keyTimeoutMs / 1000} s; typing stopped`);
          break typing;
        }
        if (overBudget()) {
          out.notes.push(`time budget (${plan.budgetMs / 1000} s) spent while typing; later steps skipped`);
          break typing;
        }
      }
      await page.keyboard.press("Control+A");
      out.clears.push({ query, ...(await measure("keydown", () => page.keyboard.press("Backspace"))) });
    }

    // 3. A filter toggled on and off (the panel opened first, not measured).
    out.filter = [];
    out.sort = [];
    out.paging = [];
    out.tabs = [];
    if (!overBudget()) {
      await measure("click", () => page.click(FILTERS_TOGGLE));
      out.filter.push(await click(FIRST_STATUS_BOX));
      out.filter.push(await click(FIRST_STATUS_BOX));
      await measure("click", () => page.click(FILTERS_DONE));
    }
    // 4. Sorting: by name, name descending, back to ID.
    if (!overBudget()) {
      out.sort.push(await click(SORT_BY("Name")));
      out.sort.push(await click(SORT_BY("Name")));
      out.sort.push(await click(SORT_BY("ID")));
    }
    // 5. Paging: next, next, previous.
    if (!overBudget()) {
      out.paging.push(await click(NEXT_PAGE));
      out.paging.push(await click(NEXT_PAGE));
      out.paging.push(await click(PREVIOUS_PAGE));
    }
    // 6. Tabs: another group (the first time: a request), back to the big one (cached), twice.
    if (!overBudget() && plan.otherGroup) {
      const [other, otherCount] = plan.otherGroup;
      for (let i = 0; i < 2 && !overBudget(); i += 1) {
        const away = await click(`#group-tab-${other}`, groupShown(other, otherCount));
        out.tabs.push({ ...away, group: other, cached: i > 0 });
        const back = await click("#group-tab-1", groupShown(1, plan.groupSize));
        out.tabs.push({ ...back, group: 1, cached: true });
      }
    }
    if (overBudget()) out.notes.push(`time budget (${plan.budgetMs / 1000} s) spent; some steps skipped`);
    out.memoryAfterUse = await memory();
    out.errors = errors;
    return out;
  } catch (e) {
    out.notes.push(`failed: ${e.message.split("\n")[0]}`);
    return out;
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
    log?.(`  ${path.basename(new URL(url).pathname)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
