// Where the time goes while typing: one extra visit per page with a Chromium trace (the main
// thread's time by kind: scripting, style, layout, paint, GC) and a V8 CPU profile (which
// functions; for the app, the wasm served with its name section, so functions have names).
import { CHROMIUM_ARGS } from "./browser.mjs";
import { cleanName, crateOf } from "./wasm-map.mjs";

const CATEGORY = [
  [/^(UpdateLayoutTree|RecalculateStyles|ScheduleStyleRecalculation|ParseAuthorStyleSheet|InvalidateLayout|StyleInvalidatorInvalidationTracking)$/, "style"],
  [/^(Layout|UpdateLayerTree|PrePaint|IntersectionObserverController::computeIntersections|LocalFrameView::RunPostLifecycleSteps)$/, "layout"],
  [/^(Paint|PaintImage|PaintSetup|CompositeLayers|Layerize|Commit|RasterTask|UpdateLayer)$/, "paint"],
  [/GC|GCEvent|BlinkGC|CppGC/, "gc"],
  [/^(ParseHTML|ParseHTMLElement)$/, "parse HTML"],
  [/^(RunTask|ThreadControllerImpl::RunTask|ThreadPool_RunTask)$/, "other"],
];
const categoryOf = (name) => CATEGORY.find(([re]) => re.test(name))?.[1] ?? "scripting";

/** Main-thread self time (ms) by category from the trace events of the renderer's main thread. */
export function traceSummary(events) {
  const main = new Set(
    events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`),
  );
  const slices = events
    .filter((e) => e.ph === "X" && main.has(`${e.pid}:${e.tid}`) && typeof e.dur === "number")
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const totals = {};
  const stack = [];
  const close = (until) => {
    while (stack.length && stack[stack.length - 1].end <= until) {
      const s = stack.pop();
      totals[s.category] = (totals[s.category] ?? 0) + s.self / 1000;
    }
  };
  for (const e of slices) {
    close(e.ts);
    const slice = { end: e.ts + e.dur, self: e.dur, category: categoryOf(e.name) };
    if (stack.length) stack[stack.length - 1].self -= e.dur;
    stack.push(slice);
  }
  close(Infinity);
  return totals;
}

/** Self time by function and by crate from a V8 CPU profile. */
export function profileSummary(profile, top = 15) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const byFunction = new Map();
  const byKind = {};
  const byCrate = new Map();
  for (const [id, ms] of self) {
    const frame = nodes.get(id).callFrame;
    const raw = frame.functionName || "(anonymous)";
    const file = (frame.url.split("/").pop() || "").replace(/-[0-9a-f]{16}/, "");
    const wasm = frame.url.startsWith("wasm://") || frame.url.endsWith(".wasm");
    const kind = raw.startsWith("(") && raw !== "(anonymous)" ? raw : wasm ? "wasm" : frame.url ? "JavaScript" : "native";
    byKind[kind] = (byKind[kind] ?? 0) + ms;
    if (kind === "(idle)" || kind === "(root)") continue;
    const name = wasm ? cleanName(raw.replace(/^\$/, "")) : kind === "JavaScript" ? `${raw} (${file})` : raw;
    const key = `${kind}\u0000${name}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const crate = wasm ? crateOf(raw.replace(/^\$/, "")) : kind === "JavaScript" ? `JS: ${file}` : kind === "native" ? "native (DOM and built-ins)" : kind;
    byCrate.set(crate, (byCrate.get(crate) ?? 0) + ms);
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    byKind,
    functions: sorted(byFunction)
      .slice(0, top)
      .map(([k, ms]) => ({ kind: k.split("\u0000")[0], name: k.split("\u0000")[1], ms })),
    crates: sorted(byCrate).slice(0, top).map(([crate, ms]) => ({ crate, ms })),
  };
}

/** Loads `url`, then types `queries` with a trace and a CPU profile running. */
export async function profileTyping({ chromium, harness, url, queries, quietMs = 150, timeoutMs = 30_000 }) {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript({ path: harness });
    await page.goto(url, { waitUntil: "commit" });
    const load = await page.evaluate(() => window.__bench.settle(500, 120_000, true));
    if (load.ready === null) return { error: "no rows" };
    await page.click("#service-search");
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "blink.user_timing"] });
    await cdp.send("Profiler.start");
    const started = Date.now();
    let keys = 0;
    for (const query of queries) {
      for (const ch of query) {
        await page.evaluate(() => window.__bench.arm("keydown"));
        await page.keyboard.type(ch);
        await page.evaluate(([q, t]) => window.__bench.settle(q, t), [quietMs, timeoutMs]);
        keys += 1;
      }
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Backspace");
      await page.evaluate(([q, t]) => window.__bench.settle(q, t), [quietMs, timeoutMs]);
    }
    const { profile } = await cdp.send("Profiler.stop");
    const trace = JSON.parse((await browser.stopTracing()).toString());
    const events = Array.isArray(trace) ? trace : trace.traceEvents;
    return { keys, wallMs: Date.now() - started, trace: traceSummary(events), profile: profileSummary(profile) };
  } finally {
    await browser.close();
  }
}
