// Turns the raw results of `make bench` into the console table and the "make bench" section of
// BENCHMARKS.md (between its markers, so other sections of the file stay as they are).
import fs from "node:fs";
import { median, ratio, summary } from "./stats.mjs";

export const BEGIN = "<!-- make bench: begin (written by bench/run.mjs; edits here are overwritten) -->";
export const END = "<!-- make bench: end -->";

const KiB = (b) => (b === null || b === undefined ? "—" : (b / 1024).toLocaleString("en-GB", { maximumFractionDigits: b < 10 * 1024 ? 1 : 0 }));
const MB = (b) => (b === null || b === undefined ? "—" : (b / 1e6).toFixed(1));
const ms = (x) => (x === null || x === undefined ? "—" : x < 10 ? x.toFixed(1) : x.toFixed(0));
const times = (r) => (r === null ? "—" : `${r.toFixed(1)}×`);
const n = (x) => x.toLocaleString("en-GB");

function category(url) {
  const p = new URL(url).pathname;
  if (p.startsWith("/api/")) return "api";
  if (p === "/favicon.ico") return "host";
  if (/^\/dashboard\/assets\/(plain|styles)\.js$/.test(p) || !p.startsWith("/dashboard/")) return "code";
  return "host";
}

/** The figures of one page at one size. */
function figures(visits) {
  const all = (f) => visits.flatMap(f);
  const keys = all((v) => v.keys ?? []);
  const mem = (which, part) => median(visits.map((v) => v[which]?.[part]).filter((x) => x !== undefined));
  const resources = (v) => v.load?.resources ?? [];
  const milestone = (f) => median(visits.map((v) => (v.load ? f(v.load) : null)));
  const find = (l, re) => (l.resources ?? []).find((r) => re.test(new URL(r.name).pathname));
  const first = visits.find((v) => v.load?.resources);
  const served = { code: 0, host: 0, api: 0 };
  for (const r of first ? resources(first) : []) served[category(r.name)] += r.encoded;
  if (first?.load.document) served.host += first.load.document.encoded;
  return {
    visits: visits.length,
    loaded: visits.filter((v) => v.load?.ready !== null && v.load?.ready !== undefined).length,
    nav: milestone((l) => l.ready),
    navFrame: milestone((l) => l.readyFrame),
    keysDom: summary(keys.map((k) => k.dom)),
    keysFrame: summary(keys.map((k) => k.frame)),
    keysTimedOut: keys.filter((k) => k.timedOut).length,
    keysNoChange: keys.filter((k) => k.dom === null).length,
    keyCount: keys.length,
    clears: summary(all((v) => v.clears ?? []).map((k) => k.frame)),
    filter: summary(all((v) => v.filter ?? []).map((k) => k.frame)),
    sort: summary(all((v) => v.sort ?? []).map((k) => k.frame)),
    paging: summary(all((v) => v.paging ?? []).map((k) => k.frame)),
    tabCached: summary(all((v) => (v.tabs ?? []).filter((t) => t.group === 1)).map((t) => t.readyFrame)),
    tabCachedSettled: summary(all((v) => (v.tabs ?? []).filter((t) => t.group === 1)).map((t) => t.dom)),
    tabOther: summary(all((v) => (v.tabs ?? []).filter((t) => t.group !== 1 && !t.cached)).map((t) => t.readyFrame)),
    memLoad: mem("memoryAfterLoad", "total"),
    memUse: mem("memoryAfterUse", "total"),
    heapUse: mem("memoryAfterUse", "jsHeap"),
    wasmUse: mem("memoryAfterUse", "wasm"),
    nodes: median(visits.map((v) => v.memoryAfterUse?.dom?.nodes).filter((x) => x !== undefined)),
    renderer: median(visits.map((v) => v.memoryAfterUse?.renderer?.pss).filter((x) => x !== undefined)),
    served,
    load: {
      document: milestone((l) => l.document?.end ?? null),
      code: milestone((l) => Math.max(...(l.resources ?? []).filter((r) => category(r.name) === "code").map((r) => r.end), 0) || null),
      wasm: milestone((l) => (l.wasm?.length ? Math.max(...l.wasm.map((w) => w.end ?? 0)) : null)),
      tokenStart: milestone((l) => find(l, /^\/api\/demo\/users$/)?.start ?? null),
      groupStart: milestone((l) => find(l, /^\/api\/v1\/company-groups\/1\/services(\/lean)?$/)?.start ?? null),
      groupEnd: milestone((l) => find(l, /^\/api\/v1\/company-groups\/1\/services(\/lean)?$/)?.end ?? null),
      rows: milestone((l) => l.ready),
      painted: milestone((l) => l.readyFrame),
      longTasks: milestone((l) => (l.longTasks ?? []).filter((t) => t.start < (l.readyFrame ?? l.ready ?? 0)).reduce((s, t) => s + t.duration, 0)),
    },
    notes: [...new Set(visits.flatMap((v) => v.notes ?? []))],
    errors: [...new Set(visits.flatMap((v) => v.errors ?? []))].slice(0, 5),
  };
}

const TARGETS = {
  nav: "≤ 1.5× at 10,000",
  keysDomMedian: "≤ 1.5× at 10,000",
  keysDomP95: "≤ 1.5× at 10,000",
  memUse: "≤ 40 MB at 10,000",
};

function rowsFor(size, app, plain) {
  const s = n(size);
  const row = (figure, a, p, fmt, target = "", unit = "ms") => ({ figure, size: s, app: a, plain: p, fmt, unit, target });
  return [
    row("navigation → first rows", app.nav, plain.nav, ms, size === 10_000 ? TARGETS.nav : ""),
    row("navigation → first rows painted", app.navFrame, plain.navFrame, ms),
    row("keystroke → last DOM change, median", app.keysDom.median, plain.keysDom.median, ms, size === 10_000 ? TARGETS.keysDomMedian : ""),
    row("keystroke → last DOM change, p95", app.keysDom.p95, plain.keysDom.p95, ms, size === 10_000 ? TARGETS.keysDomP95 : ""),
    row("keystroke → next frame, median", app.keysFrame.median, plain.keysFrame.median, ms),
    row("keystroke → next frame, p95", app.keysFrame.p95, plain.keysFrame.p95, ms),
    row("filter toggle → next frame, median", app.filter.median, plain.filter.median, ms),
    row("sort change → next frame, median", app.sort.median, plain.sort.median, ms),
    row("page change → next frame, median", app.paging.median, plain.paging.median, ms),
    row("cached tab switch → rows painted, median", app.tabCached.median, plain.tabCached.median, ms),
    row("JS heap + wasm after GC, loaded", app.memLoad, plain.memLoad, MB, "", "MB"),
    row("JS heap + wasm after GC, after use", app.memUse, plain.memUse, MB, size === 10_000 ? TARGETS.memUse : "", "MB"),
    row("renderer memory (PSS), after use", app.renderer, plain.renderer, MB, "", "MB"),
  ];
}

function consoleTable(rows) {
  const cells = rows.map((r) => [r.figure, r.size, `${r.fmt(r.app)} ${r.unit}`, `${r.fmt(r.plain)} ${r.unit}`, times(ratio(r.app, r.plain)), r.target]);
  const head = ["figure", "services", "app", "plain JS", "ratio", "target"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  const line = (c) => c.map((x, i) => (i >= 1 && i <= 4 ? String(x).padStart(widths[i]) : String(x).padEnd(widths[i]))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

function md(rows, head) {
  return [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

export function writeReport(results, file) {
  const bySize = results.sizes.map((entry) => ({
    entry,
    app: figures(entry.visits.filter((v) => v.page === "app")),
    plain: figures(entry.visits.filter((v) => v.page === "plain")),
  }));
  const rows = bySize.flatMap(({ entry, app, plain }) => rowsFor(entry.size, app, plain));
  const table = consoleTable(rows);
  if (!file) return { table };

  const i = results.info;
  const out = [];
  out.push("## The services list in the browser (`make bench`)", "");
  out.push(
    "The app against a plain-JavaScript page that does the same work (`bench/plain/plain.js`: the same requests, the user's favourites and the live-update stream included, search rule, facet counts, sort, pages, highlights, health and next-run times in the browser's zone, stars, row selection and markup), measured side by side in one run, a fresh headless Chromium per visit (nothing cached: a new user), pages visited alternately (ABAB…). Medians over the visits; keystrokes pooled over every key of every visit. Other work on the machine makes absolute figures noisy: the **ratios** within one run are what count.",
    "",
  );
  out.push(`- **Command:** \`make bench\` (release build: \`make dist\` + \`cargo build --release -p services-server\`, then \`node bench/run.mjs\`); raw figures in \`target/bench/results.json\`.`);
  out.push(`- **Machine:** ${i.cpu}, ${i.cores} cores, ${i.memoryGiB} GiB; ${i.os}; ${i.chromium} (headless), Node ${i.node}; load average ${i.loadBefore} before, ${i.loadAfter} after.`);
  out.push(`- **Build:** ${i.branch} at ${i.commit}, ${i.date}; the app's sources (src/, model/, style/) last changed in ${i.appCommit ?? "?"}; the run took ${Math.round(i.durationS / 60)} min.`);
  out.push(
    `- **What is measured:** group 1 grown to N services (\`services-server generate\`), opened at \`/dashboard/services?group=1\` (the app mounted by \`embed.js\` in \`bench/host/\`) and \`/dashboard/plain?group=1\`, 1280×800. Typing: ${results.queries.map((q) => `"${q}"`).join(", ")}, a key at a time (each query cleared again with Ctrl+A, Backspace), each key timed from its \`keydown\` to the last DOM change (a MutationObserver) and to the frame after it (\`requestAnimationFrame\`), the page quiet for 150 ms between keys. Filter: the first status box on and off; sort: Name, Name again, ID; pages: Next, Next, Previous; tabs: group 2, back to group 1 (cached, shown at once; both pages then fetch the group again and show the answer), twice. Memory after \`HeapProfiler.collectGarbage\`: the JS heap plus the wasm linear memory; the renderer process's PSS.`,
    "",
  );

  out.push("### Targets (issue 13)", "");
  const at10 = bySize.find((b) => b.entry.size === 10_000);
  const appCode = results.files.app.filter((f) => /\.(wasm|js|css)$/.test(f.file));
  const sum = (files, k) => files.reduce((s, f) => s + f[k], 0);
  const targetRows = [
    ["whole app as served (wasm + JS + CSS)", "≤ 150 KiB gzip", `${KiB(sum(appCode, "gzip"))} KiB gzip -9 (${KiB(sum(appCode, "raw"))} KiB raw, ${KiB(sum(appCode, "brotli"))} KiB brotli -11); on the wire ${bySize[0] ? KiB(bySize[0].app.served.code) : "?"} KiB (the server sends the precompressed brotli copies)`, sum(appCode, "gzip") <= 150 * 1024 ? "met" : "not met"],
  ];
  if (at10) {
    const r = (a, p) => ratio(a, p);
    const verdict = (x, limit) => (x === null ? "—" : x <= limit ? "met" : "not met");
    targetRows.push(
      ["keystroke → last DOM change at 10,000, p95", "≤ 1.5× plain JS", `${ms(at10.app.keysDom.p95)} ms vs ${ms(at10.plain.keysDom.p95)} ms: ${times(r(at10.app.keysDom.p95, at10.plain.keysDom.p95))}`, verdict(r(at10.app.keysDom.p95, at10.plain.keysDom.p95), 1.5)],
      ["keystroke → last DOM change at 10,000, median", "≤ 1.5× plain JS", `${ms(at10.app.keysDom.median)} ms vs ${ms(at10.plain.keysDom.median)} ms: ${times(r(at10.app.keysDom.median, at10.plain.keysDom.median))}`, verdict(r(at10.app.keysDom.median, at10.plain.keysDom.median), 1.5)],
      ["navigation → first rows at 10,000", "≤ 1.5× plain JS", `${ms(at10.app.nav)} ms vs ${ms(at10.plain.nav)} ms: ${times(r(at10.app.nav, at10.plain.nav))}`, verdict(r(at10.app.nav, at10.plain.nav), 1.5)],
      ["JS heap + wasm memory after GC at 10,000 (after use)", "≤ 40 MB", `${MB(at10.app.memUse)} MB (JS heap ${MB(at10.app.heapUse)} + wasm ${MB(at10.app.wasmUse)}); plain JS ${MB(at10.plain.memUse)} MB`, at10.app.memUse === null ? "—" : at10.app.memUse <= 40e6 ? "met" : "not met"],
    );
  }
  out.push(md(targetRows, ["target", "goal", "now", ""]), "");

  out.push("### Figures", "");
  out.push(md(rows.map((r) => [r.figure, r.size, `${r.fmt(r.app)} ${r.unit}`, `${r.fmt(r.plain)} ${r.unit}`, times(ratio(r.app, r.plain)), r.target]), ["figure", "services", "app", "plain JS", "ratio (app / plain)", "target"]), "");
  const counts = bySize
    .map(({ entry, app, plain }) => `${n(entry.size)}: ${entry.rounds} visit(s) of each page, ${app.keyCount} / ${plain.keyCount} keystrokes (app / plain), of which ${app.keysNoChange} / ${plain.keysNoChange} changed nothing in the DOM (a space; left out of the keystroke figures)${app.keysTimedOut ? `, ${app.keysTimedOut} app keystroke(s) timed out` : ""}`)
    .join("; ");
  out.push(`Samples: ${counts}. DOM nodes after use: ${bySize.map(({ entry, app, plain }) => `${n(entry.size)}: ${app.nodes ?? "—"} / ${plain.nodes ?? "—"}`).join("; ")}.`, "");
  out.push(
    `After a cached tab switch both pages fetch the group again in the background. When that answer lands the app rebuilds the list once more (its last DOM change: ${bySize.map(({ entry, app }) => `${ms(app.tabCachedSettled.median)} ms at ${n(entry.size)}`).join(", ")}, medians after the click), while the plain page's keyed rows find nothing to change (${bySize.map(({ entry, plain }) => `${ms(plain.tabCachedSettled.median)} ms`).join(", ")}).`,
    "",
  );
  const notes = bySize.flatMap(({ entry, app, plain }) => [
    ...app.notes.map((x) => `- ${n(entry.size)}, app: ${x}`),
    ...plain.notes.map((x) => `- ${n(entry.size)}, plain JS: ${x}`),
    ...app.errors.map((x) => `- ${n(entry.size)}, app, console error: \`${x.slice(0, 200)}\``),
    ...plain.errors.map((x) => `- ${n(entry.size)}, plain JS, console error: \`${x.slice(0, 200)}\``),
  ]);
  if (notes.length) out.push("What did not finish:", "", ...notes, "");

  out.push("### First load: where the time goes", "");
  out.push("Milliseconds from the start of navigation (medians), in a fresh browser. \"Code loaded\": the last of the page's own JS, wasm and CSS files received.", "");
  const loadRows = [];
  for (const { entry, app, plain } of bySize) {
    const L = (f) => [ms(f(app.load)), ms(f(plain.load))];
    const add = (label, f) => loadRows.push([n(entry.size), label, ...L(f)]);
    add("document received", (l) => l.document);
    add("code loaded", (l) => l.code);
    add("wasm compiled and instantiated", (l) => l.wasm);
    add("token requested (the page starts work)", (l) => l.tokenStart);
    add("group requested", (l) => l.groupStart);
    add("group received", (l) => l.groupEnd);
    add("first rows in the DOM", (l) => l.rows);
    add("first rows painted", (l) => l.painted);
    add("long tasks before that (main thread busy)", (l) => l.longTasks);
  }
  out.push(md(loadRows, ["services", "milestone", "app", "plain JS"]), "");

  out.push("### Transfer", "");
  const first = bySize[0];
  if (first) {
    out.push(
      `As served (the server sends the build's precompressed brotli copies to browsers that accept them), from the first visit's resource timings: the app's own files ${KiB(first.app.served.code)} KiB against the plain page's ${KiB(first.plain.served.code)} KiB (both include the same three stylesheets); the host shell ${KiB(first.app.served.host)} KiB for both.`,
      "",
    );
  }
  out.push(md([...results.files.app, ...results.files.plain.map((f) => ({ ...f, file: `plain: ${f.file}` }))].map((f) => [f.file, KiB(f.raw), KiB(f.gzip), KiB(f.brotli)]), ["file", "raw KiB", "gzip -9 KiB", "brotli -11 KiB"]), "");
  out.push(
    md(
      bySize.map(({ entry }) => [n(entry.size), KiB(entry.payload.raw), KiB(entry.payload.gzip), KiB(entry.payload.brotli), ms(entry.payload.fetchMs)]),
      ["services", "the group's first answer (lean view, or per query the first page) KiB", "gzip -6 KiB", "brotli -5 KiB", "fetched by the bench in ms"],
    ),
    "",
  );

  const w = results.wasm;
  out.push("### The wasm: what the bytes are", "");
  out.push(
    `${KiB(w.shipped.bytes)} KiB (${n(w.shipped.bytes)} bytes): code section ${n(w.shipped.codeBytes)} bytes in ${n(w.shipped.functionCount)} functions, data ${n(w.shipped.dataBytes)} bytes. Map from a copy built with function names (\`target/bench/services-list.named.wasm\`: wasm-bindgen, then \`wasm-opt -Oz -g\`), ${w.sameCode ? "whose code is byte-for-byte the same size as dist's" : "**whose code size differs from dist's: the map is approximate**"}. Crates by the first path of each function's name (for \`<A as B>::f\`, A's crate unless A is a std type, a tuple or a closure). ${n(w.appTypes.functions)} functions (${KiB(w.appTypes.size)} KiB of code) are framework or library code instantiated for the app's own types (their names mention \`services_list\` or \`services_model\` without being in those crates): monomorphisation.`,
    "",
  );
  out.push(md(w.crates.slice(0, 20).map((c) => [c.crate, n(c.size), `${((100 * c.size) / w.codeBytes).toFixed(1)} %`, n(c.functions)]), ["crate", "code bytes", "share", "functions"]), "");
  out.push("The 20 largest functions:", "");
  out.push(md(w.functions.map((f) => [`\`${f.name.length > 160 ? f.name.slice(0, 157) + "…" : f.name}\``, f.crate, n(f.size)]), ["function", "crate", "bytes"]), "");
  out.push("Generic functions by their monomorphised copies (all copies together):", "");
  out.push(md(w.generics.slice(0, 15).map((g) => [`\`${g.name.length > 160 ? g.name.slice(0, 157) + "…" : g.name}\``, n(g.copies), n(g.size)]), ["function (generic arguments elided)", "copies", "bytes"]), "");

  if (results.profiles) {
    const p = results.profiles;
    out.push(`### Typing: where the time goes (${n(p.size)} services)`, "");
    out.push(
      `One more visit of each page typing the same queries (${p.app?.keys ?? "—"} keys) with a Chromium trace and a V8 CPU profile running (both slow the page a little; compare the pages, not these with the figures above). The app is served its wasm with function names for this visit only.`,
      "",
    );
    const kinds = ["scripting", "style", "layout", "paint", "gc", "parse HTML", "other"];
    const per = (x, k) => (x?.trace?.[k] !== undefined && x.keys ? x.trace[k] / x.keys : null);
    out.push(md(kinds.map((k) => [k, ms(per(p.app, k)), ms(per(p.plain, k)), times(ratio(per(p.app, k), per(p.plain, k)))]), ["main thread, per keystroke", "app ms", "plain JS ms", "ratio"]), "");
    const prof = (x) => x?.profile;
    const kindRows = ["wasm", "JavaScript", "native", "(garbage collector)", "(program)"].map((k) => [k, ms((prof(p.app)?.byKind[k] ?? 0) / (p.app?.keys || 1)), ms((prof(p.plain)?.byKind[k] ?? 0) / (p.plain?.keys || 1))]);
    out.push(md(kindRows, ["CPU profile (self time), per keystroke", "app ms", "plain JS ms"]), "");
    if (prof(p.app)) {
      out.push("The app's CPU time by crate (self time, all keystrokes):", "");
      out.push(md(prof(p.app).crates.map((c) => [c.crate, ms(c.ms)]), ["crate / kind", "ms"]), "");
      out.push("The app's functions with the most self time:", "");
      out.push(md(prof(p.app).functions.map((f) => [`\`${f.name.length > 150 ? f.name.slice(0, 147) + "…" : f.name}\``, f.kind, ms(f.ms)]), ["function", "kind", "ms"]), "");
    }
    if (prof(p.plain)) {
      out.push("The plain page's functions with the most self time:", "");
      out.push(md(prof(p.plain).functions.slice(0, 8).map((f) => [`\`${f.name}\``, f.kind, ms(f.ms)]), ["function", "kind", "ms"]), "");
    }
  }

  out.push("### Same markup", "");
  out.push("Before measuring, the bench loads both pages at a few views and compares their DOM under the mount element (tags, attributes, classes, text, checkbox and select states; the plain page's `data-` hooks and base path aside), both pages reading the same fixed clock (so relative times agree), some in another time zone or with times in UTC, and one after ticking “select all on this page”; three services are starred first:", "");
  for (const p of results.parity ?? []) {
    out.push(`- \`${p.view}\`: ${p.same ? `the same (${n(p.lines)} nodes)` : `**${p.differences} lines differ**; first at line ${p.first.line}: app \`${p.first.app}\`, plain \`${p.first.plain}\``}`);
  }
  out.push("");

  const section = [BEGIN, ...out, END].join("\n");
  let text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  if (text.includes(BEGIN) && text.includes(END)) {
    text = text.slice(0, text.indexOf(BEGIN)) + section + text.slice(text.indexOf(END) + END.length);
  } else {
    text =
      (text ||
        "# Benchmarks\n\nMeasured figures that the issues' targets are judged by. Each section says which command writes it; rerun that command to refresh it (a section written by a command is replaced whole, the rest of the file is left alone).\n") +
      `\n${section}\n`;
  }
  fs.writeFileSync(file, text);
  return { table };
}
