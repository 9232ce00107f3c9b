#!/usr/bin/env node
// `make bench`: the app against the plain-JavaScript baseline (bench/plain/), side by side in one
// run, in headless Chromium on the release server, for groups of 1,000, 10,000 and 100,000
// services. Prints the figures with their ratios and writes them into BENCHMARKS.md.
//
// Expects a release build: dist/ (make dist) and target/release/services-server. Environment:
//   BENCH_SIZES=1000,10000,100000   the group sizes
//   BENCH_ROUNDS=3                  visits of each page per size (ABAB…), 1 for sizes ≥ 50,000
//   BENCH_PROFILE=1                 the trace and CPU profile of typing at 10,000 (0: skip)
//   BENCH_OUT=BENCHMARKS.md         where the report goes ("-": nowhere)
// `node bench/run.mjs --report` writes the report again from target/bench/results.json.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { visit } from "./lib/browser.mjs";
import { makeDatabase } from "./lib/data.mjs";
import { compareMarkup } from "./lib/parity.mjs";
import { profileTyping } from "./lib/profile.mjs";
import { writeReport } from "./lib/report.mjs";
import { startServer } from "./lib/server.mjs";
import { compressedSizes } from "./lib/sizes.mjs";
import { sizeMap } from "./lib/wasm-map.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(ROOT, ".tools/node_modules/"));
const { chromium } = require("playwright-core");

const DIST = path.join(ROOT, "dist");
const SERVER = path.join(ROOT, "target/release/services-server");
// What trunk builds with the wasm-release profile (index.html), before wasm-bindgen and wasm-opt.
const RUSTC_WASM = path.join(ROOT, "target/wasm32-unknown-unknown/wasm-release/services-list.wasm");
const HARNESS = path.join(ROOT, "bench/lib/harness.js");
const OUT_DIR = path.join(ROOT, "target/bench");
const SIZES = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROFILE = process.env.BENCH_PROFILE !== "0";
const OUT = process.env.BENCH_OUT ?? path.join(ROOT, "BENCHMARKS.md");
export const QUERIES = ["shopify orders", "netsuite", "2001", "sweeper inv"];
// Where the two pages' markup is compared (at the first size): the list as opened, search with
// filters, sort and page, no matches, the health filter with the sort by last run, the last page
// by last run (never-run services) in a zone west of UTC, the favourites in UTC mode in a zone
// east of it, and a page selected (checkboxes and the bulk bar).
const PARITY_VIEWS = [
  { query: "?group=1" },
  { query: "?group=1&q=shop+e&status=active&sort=-name&page=2" },
  { query: "?group=1&q=zzz+yy" },
  { query: "?group=1&last_run_failed=true&sort=-last_run" },
  { query: "?group=1&sort=last_run&page=20", timezoneId: "America/St_Johns" },
  { query: "?group=1&favourites=true&q=e", timezoneId: "Asia/Kolkata", utc: true },
  { query: "?group=1&q=sweeper&sort=system&page=2", selectPage: true },
];
const LARGE = 50_000;

const log = (...a) => console.log(...a);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

function need(file, how) {
  if (!fs.existsSync(file)) {
    console.error(`make bench: ${path.relative(ROOT, file)} is missing: ${how}`);
    process.exit(2);
  }
}
need(path.join(DIST, "embed.js"), "run `make dist` first");
need(SERVER, "run `cargo build --release -p services-server` first");
need(RUSTC_WASM, "run `make dist` first");
fs.mkdirSync(OUT_DIR, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "services-bench-"));

/** The bench's host folder: bench/host, the plain page, and the app's stylesheet names. */
function hostFolder() {
  const dir = path.join(tmp, "host");
  fs.mkdirSync(dir);
  for (const f of fs.readdirSync(path.join(ROOT, "bench/host"))) fs.copyFileSync(path.join(ROOT, "bench/host", f), path.join(dir, f));
  fs.copyFileSync(path.join(ROOT, "bench/plain/plain.js"), path.join(dir, "plain.js"));
  const styles = /const STYLES = \[([^\]]*)\]/.exec(fs.readFileSync(path.join(DIST, "embed.js"), "utf8"));
  if (!styles) throw new Error("dist/embed.js names no STYLES");
  fs.writeFileSync(path.join(dir, "styles.js"), `export const STYLES = [${styles[1]}];\n`);
  return dir;
}

/** The wasm with its name section: the same code as dist's (checked), for the size map and profiles. */
function namedWasm(distWasm) {
  const out = path.join(OUT_DIR, "services-list.named.wasm");
  if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(RUSTC_WASM).mtimeMs) {
    log(`building a copy of the wasm with function names (wasm-bindgen, wasm-opt -Oz -g)…`);
    const dir = path.join(tmp, "named");
    const env = { ...process.env, PATH: `${path.join(ROOT, ".tools/node_modules/.bin")}:${path.join(os.homedir(), ".cargo/bin")}:${process.env.PATH}` };
    execFileSync("wasm-bindgen", ["--target", "web", "--out-dir", dir, "--out-name", "services-list", "--no-typescript", RUSTC_WASM], { env });
    execFileSync("wasm-opt", ["-Oz", "-g", "--output", out, path.join(dir, "services-list_bg.wasm")], { env });
  }
  const named = sizeMap(out);
  const shipped = sizeMap(distWasm);
  named.sameCode = named.codeBytes === shipped.codeBytes && named.functionCount === shipped.functionCount;
  named.shipped = { bytes: shipped.bytes, codeBytes: shipped.codeBytes, dataBytes: shipped.dataBytes, functionCount: shipped.functionCount };
  return { file: out, map: named };
}

/** A copy of dist/ whose wasm carries function names, for profiling only. */
function namedDist(distWasm, named) {
  const dir = path.join(tmp, "dist-named");
  fs.cpSync(DIST, dir, { recursive: true });
  fs.copyFileSync(named, path.join(dir, path.basename(distWasm)));
  return dir;
}

async function apiGet(origin, token, route) {
  const response = await fetch(`${origin}${route}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`${route}: HTTP ${response.status}`);
  return response.json();
}

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model;
  const git = (args) => {
    try {
      return execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
    } catch {
      return "?";
    }
  };
  let chromiumVersion = "?";
  try {
    chromiumVersion = execFileSync("/usr/bin/chromium", ["--version"], { encoding: "utf8" }).trim();
  } catch {
    /* reported as ? */
  }
  return {
    cpu,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    chromium: chromiumVersion,
    node: process.version,
    commit: `${git(["rev-parse", "--short", "HEAD"])}${git(["status", "--porcelain", "--untracked-files=no"]) ? " (with uncommitted changes)" : ""}`,
    branch: git(["rev-parse", "--abbrev-ref", "HEAD"]),
    appCommit: git(["log", "-1", "--format=%h (%cs)", "--", "src", "model", "style", "index.html", "Cargo.toml", "Cargo.lock", "Trunk.toml"]),
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    loadBefore: os.loadavg().map((x) => x.toFixed(2)).join(" "),
  };
}

async function main() {
  const info = machine();
  log(`make bench: ${info.cores} cores, ${info.chromium}, load ${info.loadBefore}; sizes ${SIZES.join(", ")}`);
  const host = hostFolder();
  const distWasm = path.join(DIST, fs.readdirSync(DIST).find((f) => f.endsWith("_bg.wasm")));

  // Files and sizes.
  const appFiles = fs
    .readdirSync(DIST)
    .filter((f) => /\.(js|wasm|css)$/.test(f))
    .map((f) => compressedSizes(path.join(DIST, f)));
  const plainFiles = ["plain.js", "styles.js"].map((f) => compressedSizes(path.join(host, f)));
  const named = namedWasm(distWasm);
  log(`wasm: ${named.map.shipped.bytes} bytes, code ${named.map.codeBytes}, ${named.map.functionCount} functions (${elapsed()})`);

  const results = { info, queries: QUERIES, sizes: [], files: { app: appFiles, plain: plainFiles }, wasm: named.map, parity: null, profiles: null };
  for (const size of SIZES) {
    const large = size >= LARGE;
    const rounds = large ? Math.min(ROUNDS, 1) : ROUNDS;
    log(`\n${size} services: generating…`);
    const db = await makeDatabase({ binary: SERVER, dist: DIST, host, dir: tmp, size, root: ROOT });
    const server = await startServer({ binary: SERVER, db, dist: DIST, host });
    const entry = { size, rounds, visits: [], payload: null, groups: null };
    try {
      const token = (await apiGet(server.url, null, "/api/demo/users")).items.find((u) => u.name === "Ada Morgan").token;
      const groups = (await apiGet(server.url, token, "/api/v1/company-groups")).items;
      entry.groups = groups.map((g) => ({ id: g.id, count: g.service_count }));
      const groupSize = groups.find((g) => g.id === 1).service_count;
      const other = groups.find((g) => g.id !== 1);
      const t = Date.now();
      // What the app (and the plain page) first load of the group: the lean view, or, for a group
      // over the server's lean limit, the per-query marker and then the first page.
      const headers = { Authorization: `Bearer ${token}` };
      let body = await (await fetch(`${server.url}/api/v1/company-groups/1/services/lean`, { headers })).arrayBuffer();
      const mode = JSON.parse(Buffer.from(body).toString("utf8")).mode;
      if (mode === "per_query") body = await (await fetch(`${server.url}/api/v1/company-groups/1/services?limit=50&offset=0`, { headers })).arrayBuffer();
      entry.payload = { ...compressedSizes(writeTemp("group.json", body), { gzip: 6, brotli: 5 }), fetchMs: Date.now() - t, mode };

      if (results.parity === null) {
        log(`  checking the plain page renders the app's markup…`);
        // A few favourites, so stars and the Favourites filter show.
        for (const s of (await apiGet(server.url, token, "/api/v1/company-groups/1/services?limit=3&offset=0&sort=name")).items) {
          const put = await fetch(`${server.url}/api/v1/services/${s.id}/favourite`, { method: "PUT", headers });
          if (!put.ok) throw new Error(`starring ${s.id}: HTTP ${put.status}`);
        }
        results.parity = await compareMarkup({
          chromium,
          harness: HARNESS,
          origin: server.url,
          views: PARITY_VIEWS,
        });
        for (const p of results.parity) {
          log(`    ${p.view}: ${p.same ? "same" : `WARNING: the markup differs (${p.differences} lines), first at ${p.first.line}:\n      app   ${p.first.app}\n      plain ${p.first.plain}`}`);
        }
      }

      const plan = {
        queries: QUERIES,
        quietMs: 150,
        keyTimeoutMs: large ? 30_000 : 15_000,
        loadTimeoutMs: large ? 120_000 : 60_000,
        budgetMs: large ? 240_000 : 120_000,
        groupSize,
        otherGroup: other ? [other.id, other.service_count] : null,
      };
      for (let round = 0; round < rounds; round += 1) {
        for (const page of ["app", "plain"]) {
          const url = `${server.url}/dashboard/${page === "app" ? "services" : "plain"}?group=1`;
          const v = await visit({ chromium, harness: HARNESS, url, plan, log });
          entry.visits.push({ page, round, ...v });
          for (const note of v.notes) log(`    ${page}: ${note}`);
        }
      }
      log(`  ${size}: ${entry.visits.length} visits done (${elapsed()})`);

      if (PROFILE && size === 10_000) {
        log(`  profiling typing at ${size} (trace + CPU profile)…`);
        const profiled = await startServer({ binary: SERVER, db, dist: namedDist(distWasm, named.file), host });
        try {
          results.profiles = { size, queries: QUERIES };
          for (const page of ["app", "plain"]) {
            const url = `${profiled.url}/dashboard/${page === "app" ? "services" : "plain"}?group=1`;
            results.profiles[page] = await profileTyping({ chromium, harness: HARNESS, url, queries: QUERIES });
          }
        } finally {
          await profiled.stop();
        }
      }
    } finally {
      await server.stop();
    }
    results.sizes.push(entry);
    fs.rmSync(db, { force: true });
    fs.rmSync(`${db}-wal`, { force: true });
    fs.rmSync(`${db}-shm`, { force: true });
  }
  results.info.loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(" ");
  results.info.durationS = Math.round((Date.now() - started) / 1000);
  fs.writeFileSync(path.join(OUT_DIR, "results.json"), JSON.stringify(results, null, 1));
  const { table } = writeReport(results, OUT === "-" ? null : OUT);
  log(`\n${table}`);
  log(`\nraw results: ${path.relative(ROOT, path.join(OUT_DIR, "results.json"))}${OUT === "-" ? "" : `; report: ${path.relative(ROOT, OUT)}`} (${elapsed()})`);
}

function writeTemp(name, data) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, Buffer.from(data));
  return file;
}

/** `node bench/run.mjs --report`: BENCHMARKS.md again from the last run's raw figures. */
function reportOnly() {
  const file = path.join(OUT_DIR, "results.json");
  need(file, "run `make bench` first");
  const results = JSON.parse(fs.readFileSync(file, "utf8"));
  const named = path.join(OUT_DIR, "services-list.named.wasm");
  if (fs.existsSync(named)) results.wasm = { ...results.wasm, ...sizeMap(named) };
  const { table } = writeReport(results, OUT === "-" ? null : OUT);
  log(table);
}

try {
  if (process.argv.includes("--report")) reportOnly();
  else await main();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
