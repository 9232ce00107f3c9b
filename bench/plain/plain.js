// The plain-JavaScript baseline of `make bench`: the services list's list view written by hand,
// the way a careful developer would without a framework, to measure the app against.
//
// It does the app's work for the list: the same requests (the token from the host, then the user,
// the company groups, the whole group from GET /api/v1/company-groups/{id}/services/lean decoded
// from its columns, the user's favourites, and the live-update stream GET /api/v1/events, read
// with fetch, opened once the first answer has been painted, which on connecting reloads the
// groups and what is shown, as the app's does; a lean view whose ETag is the held copy's is not
// decoded again, as in the app), the
// same rule (every search word, case-insensitive, in the id, type or name), the same facet counts
// (with "Last run failed" and "Only starred"), sort (last run included: never-run services last),
// pages of 50, highlights, health (last run, failed in 24 h, next run from the schedule) in the
// browser's time zone or UTC, relative times that move every 30 s, stars, row selection with the
// bulk bar, URL state (typing replaces the history entry), per-group cache with a refetch on
// return, and the same markup with the app's classes, so the browser styles and lays out the same
// page. `make bench` compares the two pages' DOM and reports any difference.
// Not here: the actions menu's popup, the Views menu, dialogs (bulk actions, shortcuts), toasts
// and the service page (none is measured).

// The app's stylers classes (from the components' `style!` blocks), so its CSS applies unchanged.
const C = {
  account: "l--13733",
  toasts: "l--21437",
  page: "l-561871",
  tabs: "l--17075",
  list: "l-156819",
  search: "l-132660",
  filters: "l--98516",
  views: "l--20811",
  exporter: "l-199404",
  shortcuts: "l-151435",
  bulk: "l--15877",
  table: "l-601149",
  pageSelect: "l--21233",
  row: "l--13890",
  rowSelect: "l--16122",
  star: "l--19021",
  menu: "l-894866",
  pager: "l-163590",
};
const PAGE_SIZES = [25, 50, 100, 250];
const DEFAULT_PAGE_SIZE = 50;
const SORT_KEYS = ["id", "name", "status", "system", "last_run"];
const BELL =
  '<path d="M8 1.5a4 4 0 0 0-4 4v3L2.5 11h11L12 8.5v-3a4 4 0 0 0-4-4zM6.5 12.5a1.5 1.5 0 0 0 3 0" fill="none" stroke="currentColor" stroke-width="1.4"></path>';
const STRIKE = '<path d="M2 2l12 12" stroke="currentColor" stroke-width="1.6"></path>';

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);

// ---- The view in the URL (the app's ListQuery and its query string) ----

function parseView(search) {
  const params = new URLSearchParams(search);
  const view = { group: null, q: "", statuses: new Set(), systems: new Set(), entities: new Set(), favourites: false, failed: false, sort: { key: "id", desc: false }, page: 1, size: DEFAULT_PAGE_SIZE };
  const group = Number.parseInt(params.get("group") ?? "", 10);
  if (group > 0) view.group = group;
  view.q = params.get("q") ?? "";
  for (const s of params.getAll("status")) if (s === "active" || s === "inactive") view.statuses.add(s);
  for (const s of params.getAll("system")) if (s) view.systems.add(s);
  for (const e of params.getAll("entity")) if (e) view.entities.add(e);
  view.favourites = params.getAll("favourites").includes("true");
  view.failed = params.getAll("last_run_failed").includes("true");
  const sort = params.get("sort");
  if (sort) {
    const desc = sort.startsWith("-");
    const key = desc ? sort.slice(1) : sort;
    if (SORT_KEYS.includes(key)) view.sort = { key, desc };
  }
  const page = Number.parseInt(params.get("page") ?? "", 10);
  if (page >= 1) view.page = page;
  const size = Number.parseInt(params.get("per_page") ?? "", 10);
  if (PAGE_SIZES.includes(size)) view.size = size;
  return view;
}

const byBytes = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function viewQuery(view) {
  const params = new URLSearchParams();
  if (view.group !== null) params.append("group", view.group);
  if (view.q) params.append("q", view.q);
  for (const s of ["active", "inactive"]) if (view.statuses.has(s)) params.append("status", s);
  for (const s of [...view.systems].sort(byBytes)) params.append("system", s);
  for (const e of [...view.entities].sort(byBytes)) params.append("entity", e);
  if (view.favourites) params.append("favourites", "true");
  if (view.failed) params.append("last_run_failed", "true");
  if (view.sort.key !== "id" || view.sort.desc) params.append("sort", `${view.sort.desc ? "-" : ""}${view.sort.key}`);
  if (view.page > 1) params.append("page", view.page);
  if (view.size !== DEFAULT_PAGE_SIZE) params.append("per_page", view.size);
  const text = params.toString();
  return text ? `?${text}` : "";
}

const copyView = (v) => ({ ...v, statuses: new Set(v.statuses), systems: new Set(v.systems), entities: new Set(v.entities), sort: { ...v.sort } });
const searchTerms = (q) => q.split(/\s+/).filter(Boolean).map((t) => t.toLowerCase());

// ---- Search, facets, sort and pages (services-model's rules) ----

const SERVICE_TYPES = ["standard", "sweeper"];
const STATUSES = ["active", "inactive"];
const RUN_STATUSES = ["queued", "running", "ok", "failed"];

/** The list endpoint's parameters for one view of a per-query group (a page of `size` at `page`). */
function pageQuery(view) {
  const params = new URLSearchParams(viewQuery({ ...view, group: null, page: 1, size: DEFAULT_PAGE_SIZE }));
  params.append("limit", view.size);
  params.append("offset", (Math.max(view.page, 1) - 1) * view.size);
  return params.toString();
}

/** The services of a lean whole-group view (format 1, see model/src/lean.rs), as the list's JSON. */
function decodeLean(view) {
  const c = view.services;
  const str = c.strings;
  const out = new Array(c.id.length);
  const runStatus = c.last_run_status ?? [];
  const runAt = c.last_run_at ?? [];
  const failed = c.failed_24h ?? [];
  let id = 0;
  for (let i = 0; i < c.id.length; i++) {
    id += c.id[i];
    const cron = c.schedule[i];
    const run = runStatus[i] ?? null;
    out[i] = {
      id,
      group_id: view.group.id,
      name: c.name[i],
      service_type: SERVICE_TYPES[c.service_type[i]],
      status: STATUSES[c.status[i]],
      source: { system: str[c.source_system[i]], entity: str[c.source_entity[i]] },
      destination: { system: str[c.destination_system[i]], entity: str[c.destination_entity[i]] },
      trigger: cron === null ? { kind: "webhook" } : { kind: "schedule", cron: str[cron] },
      alerts_enabled: c.alerts[i] === 1,
      health: { last_run_status: run === null ? null : RUN_STATUSES[run], last_run_at: runAt[i] ?? null, failed_24h: failed[i] ?? 0 },
    };
  }
  return out;
}

/** A service (or a list answer's summary, with its `next_run_at` and `last_run`) as a row. */
function prepareOne(s) {
  const health = s.health ?? { last_run_status: null, last_run_at: null, failed_24h: 0 };
  return {
    s,
    health,
    idText: String(s.id),
    nameLower: s.name.toLowerCase(),
    systemLower: s.source.system.toLowerCase(),
    failed: health.last_run_status === "failed",
    lastRunAt: health.last_run_at ?? null,
    nextRunAt: s.next_run_at ?? null,
    lastRun: s.last_run ? `${s.last_run.id} ${s.last_run.status}` : "",
  };
}
/** A group's rows; `i` is each row's place, for the search hits. */
const prepare = (items) =>
  items.map((s, i) => {
    const row = prepareOne(s);
    row.i = i;
    return row;
  });

function matchesSearch(row, terms) {
  for (const t of terms) {
    if (!(row.idText.includes(t) || row.s.service_type.includes(t) || row.nameLower.includes(t))) return false;
  }
  return true;
}

// Work kept between keystrokes, for the group's rows as loaded (a new load or a live change
// makes a new array): the search hits (typing on only narrows them: "sh" → "sho"), the rows in
// each sort order, and every source system and entity seen.
let lastSearch = null; // { rows, terms, list: indexes of the hits, or null for all }
/** Which rows match every search word: a flag per row, or null when there are no words. */
function searchHits(rows, terms) {
  const prev = lastSearch;
  const narrows = prev !== null && prev.rows === rows && prev.list !== null && prev.terms.every((old) => terms.some((t) => t.includes(old)));
  const list = [];
  let hits = null;
  if (terms.length) {
    hits = new Uint8Array(rows.length);
    if (narrows) {
      for (const i of prev.list) if (matchesSearch(rows[i], terms)) (hits[i] = 1), list.push(i);
    } else {
      for (let i = 0; i < rows.length; i += 1) if (matchesSearch(rows[i], terms)) (hits[i] = 1), list.push(i);
    }
  }
  lastSearch = { rows, terms, list: terms.length ? list : null };
  return hits;
}

const orders = new WeakMap(); // rows → Map("key desc" → rows sorted)
/** The group's rows in `sort` order (ties by id), sorted once per load and order. */
function sortedRows(rows, sort) {
  let byOrder = orders.get(rows);
  if (!byOrder) orders.set(rows, (byOrder = new Map()));
  const name = `${sort.key} ${sort.desc}`;
  let sorted = byOrder.get(name);
  if (sorted) return sorted;
  const { key, desc } = sort;
  sorted = rows.slice();
  if (key === "last_run") {
    // RFC 3339 UTC times compare as written; services that never ran go last either way.
    sorted.sort((a, b) => {
      if (a.lastRunAt === null || b.lastRunAt === null) return (a.lastRunAt === null) - (b.lastRunAt === null) || a.s.id - b.s.id;
      const by = byBytes(a.lastRunAt, b.lastRunAt);
      return (desc ? -by : by) || a.s.id - b.s.id;
    });
  } else {
    const value = { id: null, name: (r) => r.nameLower, status: (r) => r.s.status, system: (r) => r.systemLower }[key];
    const original = { name: (r) => r.s.name, status: (r) => r.s.status, system: (r) => r.s.source.system }[key];
    sorted.sort((a, b) => {
      let by = 0;
      if (value === null) by = a.s.id - b.s.id;
      else by = byBytes(value(a), value(b)) || byBytes(original(a), original(b));
      if (desc) by = -by;
      return by || a.s.id - b.s.id;
    });
  }
  byOrder.set(name, sorted);
  return sorted;
}

const valuesSeen = new WeakMap(); // rows → [source systems, source entities]
function facetValues(rows) {
  let seen = valuesSeen.get(rows);
  if (!seen) {
    const systems = new Set();
    const entities = new Set();
    for (const row of rows) {
      systems.add(row.s.source.system);
      entities.add(row.s.source.entity);
    }
    valuesSeen.set(rows, (seen = [systems, entities]));
  }
  return seen;
}

/** Matching rows, sorted, and the facet counts, in one pass over the group (`starred`: the
 * user's favourites). */
function narrow(rows, view, starred) {
  const terms = searchTerms(view.q);
  const { statuses, systems, entities, favourites, failed } = view;
  let facetStarred = 0;
  let facetFailed = 0;
  const facetStatus = { active: 0, inactive: 0 };
  const facetSystem = new Map();
  const facetEntity = new Map();
  const [allSystems, allEntities] = facetValues(rows);
  for (const v of allSystems) facetSystem.set(v, 0);
  for (const v of systems) facetSystem.set(v, 0);
  for (const v of allEntities) facetEntity.set(v, 0);
  for (const v of entities) facetEntity.set(v, 0);
  const hits = searchHits(rows, terms);
  const found = [];
  for (const row of sortedRows(rows, view.sort)) {
    if (hits !== null && hits[row.i] === 0) continue;
    const s = row.s;
    const statusOk = statuses.size === 0 || statuses.has(s.status);
    const systemOk = systems.size === 0 || systems.has(s.source.system);
    const entityOk = entities.size === 0 || entities.has(s.source.entity);
    const isStarred = starred.has(s.id);
    const failedOk = !failed || row.failed;
    if (isStarred && statusOk && systemOk && entityOk && failedOk) facetStarred += 1;
    if (favourites && !isStarred) continue;
    if (row.failed && statusOk && systemOk && entityOk) facetFailed += 1;
    if (!failedOk) continue;
    if (systemOk && entityOk) facetStatus[s.status] += 1;
    if (statusOk && entityOk) facetSystem.set(s.source.system, facetSystem.get(s.source.system) + 1);
    if (statusOk && systemOk) facetEntity.set(s.source.entity, facetEntity.get(s.source.entity) + 1);
    if (statusOk && systemOk && entityOk) found.push(row);
  }
  const sorted = (m) => [...m].sort((a, b) => byBytes(a[0], b[0]));
  return { terms, found, facets: { statuses: facetStatus, systems: sorted(facetSystem), entities: sorted(facetEntity), favourites: facetStarred, failed: facetFailed } };
}

/** A per-query answer in `narrow`'s shape: `found` stands for every match (its length is the
 * total) and carries the page the server sent. */
function remoteView(answer, view) {
  const found = { length: answer.total, page: prepare(answer.items) };
  const pairs = (list) => list.map((f) => [f.value, f.count]);
  const statuses = { active: 0, inactive: 0 };
  for (const f of answer.facets.statuses) statuses[f.value] = f.count;
  const f = answer.facets;
  return { terms: searchTerms(view.q), found, facets: { statuses, systems: pairs(f.source_systems), entities: pairs(f.source_entities), favourites: f.favourites ?? 0, failed: f.last_run_failed ?? 0 } };
}

function pageWindow(current, count) {
  const pages = [];
  for (let n = 1; n <= count; n += 1) {
    if (n === 1 || n === count || Math.abs(n - current) <= 2) {
      const last = pages[pages.length - 1];
      if (last !== undefined && last !== null && last + 1 < n) pages.push(null);
      pages.push(n);
    }
  }
  return pages;
}

// ---- Highlights, schedules, badges ----

/** `text` with the parts matching any term wrapped in <mark>, escaped. */
function highlight(text, terms) {
  if (!terms.length) return esc(text);
  const lower = text.toLowerCase();
  // Where each lowercase code unit came from, when lowercasing changed the length.
  let origin = null;
  if (lower.length !== text.length) {
    origin = [];
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i);
      const width = cp > 0xffff ? 2 : 1;
      const l = String.fromCodePoint(cp).toLowerCase();
      for (let k = 0; k < l.length; k += 1) origin.push([i, i + width]);
      i += width;
    }
  }
  const found = [];
  for (const t of terms) {
    for (let from = 0; ; ) {
      const at = lower.indexOf(t, from);
      if (at < 0) break;
      found.push(origin ? [origin[at][0], origin[at + t.length - 1][1]] : [at, at + t.length]);
      from = at + 1;
    }
  }
  if (!found.length) return esc(text);
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let out = "";
  let at = 0;
  let cur = null;
  const flush = () => {
    out += esc(text.slice(at, cur[0])) + "<mark>" + esc(text.slice(cur[0], cur[1])) + "</mark>";
    at = cur[1];
  };
  for (const r of found) {
    if (cur && r[0] <= cur[1]) cur[1] = Math.max(cur[1], r[1]);
    else {
      if (cur) flush();
      cur = [r[0], r[1]];
    }
  }
  flush();
  return out + esc(text.slice(at));
}

const FIELDS = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const NAMES = [null, null, null, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]];
const WEEKDAYS = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];
const pad2 = (n) => String(n).padStart(2, "0");

/** A 5-field crontab expression as the sorted values of each field (names, `7` for Sunday,
 * ranges, steps and lists; `L` for the last day of the month), or null if it isn't one. */
function parseCron(expression) {
  const raw = expression.split(/\s+/).filter(Boolean);
  if (raw.length !== 5 || expression.length > 200) return null;
  const cron = { values: [], star: [], lastDay: false, other: false };
  for (let i = 0; i < 5; i += 1) {
    const [min, max] = FIELDS[i];
    const number = (text) => {
      const s = text.toUpperCase();
      const named = NAMES[i] ? NAMES[i].indexOf(s) : -1;
      if (named >= 0) return named + (i === 3 ? 1 : 0);
      if (!/^\d+$/.test(s)) throw new Error("not a number");
      const n = Number(s);
      if (n < min || n > max) throw new Error("out of range");
      return n;
    };
    const field = raw[i];
    cron.star.push(field.startsWith("*") || field === "?");
    const seen = new Set();
    try {
      for (const part of field.split(",")) {
        if (i === 2 && (part === "L" || part === "l")) {
          cron.lastDay = true;
          continue;
        }
        if (/[LW#?]/i.test(part) && !(part === "?" && (i === 2 || i === 4))) {
          if (i < 2) throw new Error("no modifiers here");
          cron.other = true;
          continue;
        }
        const slash = part.indexOf("/");
        const base = slash < 0 ? part : part.slice(0, slash);
        let step = 1;
        if (slash >= 0) {
          const text = part.slice(slash + 1);
          if (!/^\d+$/.test(text) || Number(text) === 0) throw new Error("bad step");
          step = Number(text);
        }
        let from = min;
        let to = i === 4 ? 6 : max;
        if (base !== "*" && base !== "?") {
          const dash = base.indexOf("-");
          if (dash > 0) {
            from = number(base.slice(0, dash));
            to = number(base.slice(dash + 1));
            if (from > to) throw new Error("backwards");
          } else {
            from = number(base);
            to = step > 1 ? max : from;
          }
        }
        for (let n = from; n <= to; n += step) seen.add(i === 4 && n === 7 ? 0 : n);
      }
    } catch {
      return null;
    }
    cron.values.push([...seen].sort((a, b) => a - b));
  }
  return cron;
}

/** `n` when `values` are exactly min, min+n, … up to max (a star field, with or without a step). */
function every(values, min, max) {
  if (values.length < 2 || values[0] !== min) return null;
  const step = values[1] - values[0];
  let k = 0;
  for (let n = min; n <= max; n += step, k += 1) if (values[k] !== n) return null;
  return k === values.length ? step : null;
}
const single = (values) => (values.length === 1 ? values[0] : null);
const plural = (n, unit) => (n === 1 ? `Every ${unit}` : `Every ${n} ${unit}s`);
const joinTimes = (times) => (times.length === 1 ? times[0] : `${times.slice(0, -1).join(", ")} and ${times[times.length - 1]}`);
const clock = (minuteOfDay) => `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;

/** `Cron::describe`: the schedule in words, in UTC. */
function describeUtc(cron) {
  if (cron.lastDay || cron.other) return "Custom schedule";
  const [minutes, hours, days, months, weekdays] = cron.values;
  const anyDay = every(days, 1, 31) === 1 && every(months, 1, 12) === 1;
  const allWeek = every(weekdays, 0, 6) === 1;
  if (anyDay && allWeek && every(hours, 0, 23) === 1) {
    const n = every(minutes, 0, 59);
    if (n !== null) return plural(n, "minute");
    const m = single(minutes);
    if (m !== null) return m === 0 ? "Every hour" : `Every hour at :${pad2(m)}`;
  }
  if (anyDay && allWeek) {
    const m = single(minutes);
    const n = every(hours, 0, 23);
    if (m !== null && n !== null) return m === 0 ? plural(n, "hour") : `${plural(n, "hour")} at :${pad2(m)}`;
  }
  const minute = single(minutes);
  if (minute === null || hours.length === 0 || hours.length > 4) return "Custom schedule";
  const at = joinTimes(hours.map((h) => clock(h * 60 + minute)));
  let when = null;
  if (anyDay && allWeek) when = hours.length === 2 ? "Twice daily" : "Daily";
  else if (anyDay) when = weekdays.join() === "1,2,3,4,5" ? "Weekdays" : weekdays.map((d) => WEEKDAYS[d]).join(", ");
  else if (allWeek && every(months, 1, 12) === 1) {
    const d = single(days);
    when = d === null ? null : `Monthly on day ${d}`;
  }
  return when === null ? "Custom schedule" : `${when} at ${at} UTC`;
}

/** "Daily", "Twice daily", "Weekdays", "Mondays, Wednesdays" (`weekdays` null: every day). */
const whenWords = (times, weekdays) =>
  weekdays === null ? (times === 2 ? "Twice daily" : "Daily") : weekdays.join() === "1,2,3,4,5" ? "Weekdays" : weekdays.map((d) => WEEKDAYS[d % 7]).join(", ");

/** `describe_at_offset`: the words at `offset` minutes east of UTC, with UTC in brackets where
 * they differ ("Daily at 07:15 (06:15 UTC)"); shapes without times of day read as in UTC. */
function describeAtOffset(cron, offset) {
  const utc = describeUtc(cron);
  if (offset === 0 || cron.lastDay || cron.other) return utc;
  const [minutes, hours, days, months, weekdays] = cron.values;
  const anyDay = every(days, 1, 31) === 1 && every(months, 1, 12) === 1;
  const allWeek = every(weekdays, 0, 6) === 1;
  const minute = single(minutes);
  if (minute === null || !anyDay || hours.length === 0 || hours.length > 4 || weekdays.length === 0) return utc;
  if (allWeek && every(hours, 0, 23) !== null) return utc;
  const days7 = allWeek ? null : weekdays;
  let shift = null;
  const local = [];
  for (const hour of hours) {
    const at = hour * 60 + minute + offset;
    const s = Math.floor(at / 1440);
    if (days7 !== null && shift !== null && s !== shift) return utc;
    shift = s;
    local.push(((at % 1440) + 1440) % 1440);
  }
  local.sort((a, b) => a - b);
  const localDays = days7 === null ? null : days7.map((d) => (((d + (shift ?? 0)) % 7) + 7) % 7).sort((a, b) => a - b);
  const utcTimes = joinTimes(hours.map((h) => clock(h * 60 + minute)));
  const localWhen = whenWords(local.length, localDays);
  const utcWhen = whenWords(hours.length, days7);
  const utcPart = localWhen === utcWhen ? `${utcTimes} UTC` : `${utcWhen} at ${utcTimes} UTC`;
  return `${localWhen} at ${joinTimes(local.map(clock))} (${utcPart})`;
}

/** `Cron::next_after`: the first minute strictly after `unix` seconds when it fires (Unix
 * seconds, UTC), or null (never, or a modifier this page does not evaluate). Day of month and
 * day of week both restricted: either one. */
function nextAfter(cron, unix) {
  if (cron.other) return null;
  const [minutes, hours, days, months, weekdays] = cron.values;
  const domAny = cron.star[2];
  const dowAny = cron.star[4];
  const t = new Date((Math.floor(unix / 60) + 1) * 60_000);
  let day = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
  let fromMinute = t.getUTCHours() * 60 + t.getUTCMinutes();
  for (let k = 0; k < 366 * 8; k += 1, day += 86_400_000, fromMinute = 0) {
    const d = new Date(day);
    if (!months.includes(d.getUTCMonth() + 1)) continue;
    const date = d.getUTCDate();
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    const domOk = days.includes(date) || (cron.lastDay && date === last);
    const dowOk = weekdays.includes(d.getUTCDay());
    if (!(domAny || dowAny ? (domAny || domOk) && (dowAny || dowOk) : domOk || dowOk)) continue;
    for (const h of hours) {
      if (h * 60 + 59 < fromMinute) continue;
      for (const m of minutes) {
        if (h * 60 + m >= fromMinute) return day / 1000 + h * 3600 + m * 60;
      }
    }
  }
  return null;
}

const parsedCrons = new Map();
function cronOf(expression) {
  let cron = parsedCrons.get(expression);
  if (cron === undefined) {
    cron = parseCron(expression);
    parsedCrons.set(expression, cron);
  }
  return cron;
}

// Times show in the browser's zone, or in UTC if the user chose it (remembered on this device).
const TIMES_KEY = "pw-services-list:times";
const times = { utc: false };
try {
  times.utc = localStorage.getItem(TIMES_KEY) === "utc";
} catch {
  /* no storage */
}
const offsetAt = (unix) => -new Date(unix * 1000).getTimezoneOffset();
const nowSeconds = () => Math.floor(Date.now() / 1000);
const offsetLabel = (m) => (m === 0 ? "UTC" : `UTC${m > 0 ? "+" : "-"}${pad2(Math.floor(Math.abs(m) / 60))}:${pad2(Math.abs(m) % 60)}`);
function wallClock(unix, offset) {
  const d = new Date((unix + offset * 60) * 1000);
  return `${String(d.getUTCFullYear()).padStart(4, "0")}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}
function zoneName() {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) return zone;
  } catch {
    /* below */
  }
  return offsetLabel(offsetAt(nowSeconds()));
}
/** "just now", "5 min ago", "3 h ago", "2 d ago", "in 12 min". */
function relative(at, now) {
  const delta = now - at;
  const span = Math.abs(delta);
  if (span < 60) return "just now";
  const amount = span < 3600 ? `${Math.floor(span / 60)} min` : span < 86_400 ? `${Math.floor(span / 3600)} h` : `${Math.floor(span / 86_400)} d`;
  return delta > 0 ? `${amount} ago` : `in ${amount}`;
}
/** A time relative to `now`, focusable, with the exact time in both zones in its tooltip. */
function relativeHtml(unix, now) {
  const offset = offsetAt(unix);
  const utcText = `${wallClock(unix, 0)} UTC`;
  const shown = times.utc ? utcText : wallClock(unix, offset);
  const other = times.utc ? `${wallClock(unix, offset)} ${offsetLabel(offset)}, your time` : utcText;
  return `<span class="pw-time" tabindex="0"><time datetime="${wallClock(unix, 0).replace(" ", "T")}Z">${relative(unix, now)}</time><span class="pw-time-other"> (${esc(shown)}, ${esc(other)})</span></span>`;
}
const parseTime = (text) => {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
};

const RUN_LABELS = { queued: "Queued", running: "Running", ok: "Succeeded", failed: "Failed" };
const RUN_STATES = { queued: "live", running: "live", ok: "ok", failed: "failed" };
/** The last run's outcome and when, and the failures of the last 24 hours. */
function healthHtml(row, now) {
  const R = C.row;
  const h = row.health;
  let out;
  if (!h.last_run_status) out = `<span class="health never ${R}">Never run</span>`;
  else {
    if (row.lastRunUnix === undefined) row.lastRunUnix = parseTime(h.last_run_at);
    const at = row.lastRunUnix === null ? "" : relativeHtml(row.lastRunUnix, now);
    out = `<span class="health ${RUN_STATES[h.last_run_status]} ${R}" data-health="${h.last_run_status}">${RUN_LABELS[h.last_run_status]} ${at}</span>`;
  }
  if (h.failed_24h > 0) out += `<span class="failed-24h ${R}" data-failed-24h="${h.failed_24h}">${h.failed_24h} failed in 24 h</span>`;
  return out;
}

// Next runs: one search per schedule and minute, shared by the rows.
let nextMinute = -1;
const nextCache = new Map();
/** When an active scheduled service runs next: the server's time if it sent one, else the
 * schedule's next minute after now; "—" for webhooks and inactive services. */
function nextRunHtml(row, now) {
  let next = parseTime(row.nextRunAt);
  if (next !== null && next <= now) next = null;
  const s = row.s;
  if (next === null && s.trigger.kind === "schedule" && s.status === "active") {
    const minute = Math.floor(now / 60);
    if (minute !== nextMinute) {
      nextMinute = minute;
      nextCache.clear();
    }
    next = nextCache.get(s.trigger.cron);
    if (next === undefined) {
      const cron = cronOf(s.trigger.cron);
      next = cron === null ? null : nextAfter(cron, now);
      nextCache.set(s.trigger.cron, next);
    }
  }
  return next === null ? "—" : relativeHtml(next, now);
}

const describeCache = new Map();
/** The schedule in words, in the user's zone (UTC alongside where it differs) or in UTC. */
function scheduleWords(expression) {
  const offset = times.utc ? 0 : offsetAt(nowSeconds());
  const key = `${offset} ${expression}`;
  let words = describeCache.get(key);
  if (words === undefined) {
    const cron = cronOf(expression);
    words = cron === null ? "Invalid schedule" : describeAtOffset(cron, offset);
    describeCache.set(key, words);
  }
  return words;
}
function schedule(trigger, id) {
  if (trigger.kind !== "schedule") return "<span>Webhook</span>";
  return `<span class="schedule ${C.row}" tabindex="0" aria-describedby="cron-${id}">${esc(scheduleWords(trigger.cron))}<span class="cron ${C.row}" id="cron-${id}" role="tooltip">Cron (UTC): ${esc(trigger.cron)}</span></span>`;
}

const badgeCache = new Map();
function badge(system) {
  let html = badgeCache.get(system);
  if (html === undefined) {
    const initials = system
      .split(/[\s-]/)
      .filter((w) => w.length)
      .map((w) => String.fromCodePoint(w.codePointAt(0)))
      .slice(0, 2)
      .join("")
      .toUpperCase();
    let h = 7;
    for (const b of new TextEncoder().encode(system)) h = (Math.imul(h, 31) + b) >>> 0;
    html = `<span class="badge shade-${h % 8} ${C.row}" aria-hidden="true">${esc(initials)}</span>`;
    badgeCache.set(system, html);
  }
  return html;
}

// ---- Markup (the app's components, by hand) ----

/** The highlighted texts of a row: its ID, type and name. */
const highlights = (row, terms) => [
  highlight(row.idText, terms),
  highlight(row.s.service_type === "sweeper" ? "Sweeper" : "Standard", terms),
  highlight(row.s.name, terms),
];

/** A star: whether the user starred the service, as a toggle button. */
const starHtml = (id, name, on) =>
  `<button type="button" class="star ${C.star}" data-star="${id}" aria-pressed="${on}" aria-label="Favourite: ${name}" title="Favourite"><span aria-hidden="true" class="${C.star}">${on ? "★" : "☆"}</span></button>`;

/** A row's checkbox cell: hidden, and empty, for roles that may only look. */
const selectCell = (id, name, selecting) =>
  selecting
    ? `<td class="select ${C.row}"><input type="checkbox" data-select="${id}" data-row-select="" aria-label="Select ${name} (ID ${id})" class="${C.rowSelect}"></td>`
    : `<td class="select ${C.row}" hidden=""></td>`;

/** One row; `ctx` says who may select, what is starred and selected, and the time now. */
function rowHtml(row, marks, base, ctx, times) {
  const s = row.s;
  const active = s.status === "active";
  const href = `${base}/services/${s.id}`;
  const alerts = s.alerts_enabled ? "On" : "Off";
  const name = esc(s.name);
  const R = C.row;
  return (
    `<tr class="${R}${ctx.selected.has(s.id) ? " selected" : ""}" data-row-id="${s.id}" data-last-run="${esc(row.lastRun)}">${selectCell(s.id, name, ctx.selecting)}` +
    `<td class="${R}"><span class="flow ${R}">${badge(s.source.system)}${esc(s.source.system)}</span></td>` +
    `<td class="${R}"><span class="id-cell ${R}"><span class="id ${R}">${marks[0]}</span><button class="copy ${R}" type="button" aria-label="Copy ID ${s.id}">Copy</button></span></td>` +
    `<td class="${R}"><span class="status ${active ? "active" : "inactive"} ${R}"><span aria-hidden="true" class="${R}">${active ? "●" : "○"}</span>${active ? "Active" : "Inactive"}</span></td>` +
    `<td class="${R}">${marks[1]}</td>` +
    `<td class="${R}"><span class="name-cell ${R}">${starHtml(s.id, name, ctx.starred.has(s.id))}<a class="name ${R}" href="${esc(href)}">${marks[2]}</a></span></td>` +
    `<td class="${R}"><span class="flow ${R}">${badge(s.source.system)}${esc(s.source.system)} ${esc(s.source.entity)}<span aria-hidden="true" class="${R}">→</span><span class="visually-hidden ${R}">to</span>${badge(s.destination.system)}${esc(s.destination.system)} ${esc(s.destination.entity)}</span></td>` +
    `<td class="${R}">${schedule(s.trigger, s.id)}</td>` +
    `<td class="health-cell ${R}">${times[0]}</td><td class="next-run ${R}">${times[1]}</td>` +
    `<td class="${R}"><a class="alerts ${R}" href="${esc(href)}?tab=alerts" aria-label="Alerts ${alerts.toLowerCase()}: alert settings for ${name}"><svg class="bell ${R}" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">${BELL}${s.alerts_enabled ? "" : STRIKE}</svg>${alerts}</a></td>` +
    `<td class="actions ${R}"><div data-actions-for="${s.id}" class="${C.menu}"><button type="button" aria-label="Actions for ${name} (ID ${s.id})" aria-haspopup="menu" aria-expanded="false" class="${C.menu}"><span aria-hidden="true" class="${C.menu}">⋯</span></button></div></td></tr>`
  );
}

/** Whether two versions of a service show the same row (a reload keeps unchanged rows). */
const sameRow = (a, b) =>
  a.s.name === b.s.name &&
  a.s.status === b.s.status &&
  a.s.service_type === b.s.service_type &&
  a.s.alerts_enabled === b.s.alerts_enabled &&
  a.s.trigger.cron === b.s.trigger.cron &&
  a.lastRunAt === b.lastRunAt &&
  a.nextRunAt === b.nextRunAt &&
  a.lastRun === b.lastRun &&
  a.health.last_run_status === b.health.last_run_status &&
  a.health.failed_24h === b.health.failed_24h;

const HEADERS = [
  ["Source system", "system"],
  ["ID", "id"],
  ["Status", "status"],
  ["Type", null],
  ["Name", "name"],
  ["Flow", null],
  ["Schedule", null],
  ["Last run", "last_run"],
  ["Next run", null],
  ["Alerts", null],
];

function theadHtml(sort, selecting) {
  const T = C.table;
  const P = C.pageSelect;
  const select = selecting
    ? `<th scope="col" class="${T}"><label class="${P}"><input type="checkbox" data-select-page="" class="${P}"><span class="visually-hidden ${P}">Select all on this page</span></label></th>`
    : `<th scope="col" class="${T}" hidden=""></th>`;
  const cells = HEADERS.map(([label, key]) => {
    if (!key) return `<th scope="col" class="${T}">${label}</th>`;
    const on = sort.key === key;
    const aria = on ? ` aria-sort="${sort.desc ? "descending" : "ascending"}"` : "";
    const arrow = on ? (sort.desc ? "▼" : "▲") : "↕";
    return `<th scope="col"${aria} class="${T}"><button type="button" data-sort="${key}" class="${T}">${label}<span class="arrow ${T}" aria-hidden="true">${arrow}</span></button></th>`;
  });
  return `<tr class="${T}">${select}${cells.join("")}<th scope="col" class="${T}"><span class="visually-hidden ${T}">Actions</span></th></tr>`;
}

function facetHtml(values, label = (v) => v) {
  const F = C.filters;
  return values
    .map(([v, n]) => `<label class="${F}"><input type="checkbox" data-value="${esc(v)}" class="${F}">${esc(label(v))}<span class="count ${F}">(${n})</span></label>`)
    .join("");
}

const BULK_ACTIONS = [
  ["Activate", "Activate"],
  ["Deactivate", "Deactivate"],
  ["AlertsOn", "Alerts on"],
  ["AlertsOff", "Alerts off"],
  ["Remove", "Remove…"],
];
const servicesWord = (n) => (n === 1 ? "1 service" : `${n} services`);

/** The bar above the list while services are selected. */
function bulkHtml(count, offerAll, total) {
  const B = C.bulk;
  return (
    `<p class="${B}">${servicesWord(count)} selected</p>` +
    (offerAll ? `<button type="button" class="link ${B}" data-select-all="">Select all ${total} matching</button>` : "") +
    `<button type="button" class="link ${B}" data-clear-selection="">Clear selection</button><div class="actions ${B}">` +
    BULK_ACTIONS.map(([a, label]) => `<button type="button" class="button${a === "Remove" ? " button-danger" : ""} ${B}" data-bulk-action="${a}">${label}</button>`).join("") +
    `</div>`
  );
}

function pagerHtml(current, count, size) {
  const P = C.pager;
  const pages = pageWindow(current, count)
    .map((n) =>
      n === null
        ? `<li class="${P}"><span class="gap ${P}" aria-hidden="true">…</span></li>`
        : `<li class="${P}"><button type="button" aria-label="Page ${n}" data-page="${n}"${n === current ? ' aria-current="page"' : ""} class="${P}">${n}</button></li>`,
    )
    .join("");
  const options = PAGE_SIZES.map((s) => `<option value="${s}"${s === size ? ' selected=""' : ""} class="${P}">${s}</option>`).join("");
  return (
    `<ul class="${P}"><li class="${P}"><button type="button"${current <= 1 ? ' aria-disabled="true"' : ""} data-page="${current - 1}" class="${P}">Previous</button></li>${pages}` +
    `<li class="${P}"><button type="button"${current >= count ? ' aria-disabled="true"' : ""} data-page="${current + 1}" class="${P}">Next</button></li></ul>` +
    `<label class="${P}">Rows per page<select class="${P}">${options}</select></label>`
  );
}

// ---- The page ----

function addStyles(hrefs) {
  const links = hrefs.map((href) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    return link;
  });
  document.head.prepend(...links);
  return Promise.all(links.map((l) => new Promise((done) => (l.onload = l.onerror = done))));
}

export async function mountPlainList(root, { getToken, basePath, styles = [], apiBase = "/api/v1" }) {
  await addStyles(styles);
  root.classList.add("pw-services-list");
  const zone = zoneName();
  const timesLabel = () => (times.utc ? "Times: UTC" : `Times: local (${zone})`);
  root.innerHTML =
    `<div id="pw-announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>` +
    `<div class="${C.account}"><span class="${C.account}">Signed in as </span><button type="button" role="switch" aria-label="Keyboard shortcuts" aria-checked="true" class="${C.account}" data-switch="keys">Keyboard shortcuts: on</button>` +
    `<button type="button" role="switch" aria-label="Show times in UTC" aria-checked="${times.utc}" class="${C.account}" data-switch="times">${esc(timesLabel())}</button></div>` +
    `<div class="region ${C.toasts}" role="status" aria-live="polite"></div>` +
    `<main class="${C.page}"><h1 class="${C.page}" tabindex="-1">Services</h1><p class="state" role="status">Loading company groups…</p></main>`;
  // The count is announced once it settles (600 ms), as the app does.
  const announcer = root.querySelector("#pw-announcer");
  let announceTimer = 0;
  const announce = (text) => {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      if (announcer.textContent !== text) announcer.textContent = text;
    }, 600);
  };
  const main = root.querySelector("main");
  const token = await getToken();
  const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
  const get = async (path) => {
    const response = await fetch(apiBase + path, { headers });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  };

  let view = parseView(location.search);
  const cache = new Map(); // group id → prepared rows, or a per-query group's latest answer
  const loading = new Map(); // group id → promise
  let groups = [];
  // Set once the static structure below is built: a group that answers before that is shown
  // by the first render.
  let built = false;
  const shownGroup = () => view.group ?? groups[0]?.id ?? null;
  const rerender = () => {
    if (built) render();
  };
  // Who may select (admin and manager, once the server has said who this is), the user's stars,
  // the selection (of one group) and the time the relative times are read at (moves every 30 s).
  let selecting = false;
  const starred = new Set();
  const selected = new Set();
  let selectionGroup = null;
  let anchor = null;
  let now = nowSeconds();
  let keysOn = true;
  let live = "connecting"; // the live-update stream: "connecting", "live" or "polling"
  const refreshing = new Map(); // service id → ask again when its answer comes

  get("/me").then((me) => {
    root.querySelector(`div.${C.account} span`).textContent = `Signed in as ${me.name} · ${me.role.replace("_", "-")} · ${me.company.name}`;
    selecting = me.role === "admin" || me.role === "manager";
    rerender();
  });
  get("/favourites").then((f) => {
    for (const id of f.ids) starred.add(id);
    rerender();
  });
  // As the app: the ETag of each group's whole copy held, sent as If-None-Match; a 304 (or an
  // answer with the same ETag) is not decoded.
  const etags = new Map();
  const getLean = async (id) => {
    const path = `/company-groups/${id}/services/lean`;
    const held = etags.get(id);
    const conditional = held === undefined ? headers : { ...headers, "If-None-Match": held };
    const response = await fetch(apiBase + path, { headers: conditional });
    if (response.status === 304) return { etag: held, lean: null };
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    const etag = response.headers.get("etag");
    if (etag !== null && etag === etags.get(id)) return { etag, lean: null };
    return { etag, lean: await response.json() };
  };
  const load = (id) => {
    if (!loading.has(id)) {
      const p = getLean(id).then(({ etag, lean }) => {
        if (lean === null) {
          loading.delete(id);
          return;
        }
        if (etag !== null && lean.mode !== "per_query") etags.set(id, etag);
        else etags.delete(id);
        // Too large to hold: every view is asked of the server (`remote`), as the app does.
        if (lean.mode === "per_query") cache.set(id, { perQuery: true, count: lean.count, answer: cache.get(id)?.answer ?? null, asked: null });
        else {
          const rows = prepare(decodeLean(lean));
          cache.set(id, rows);
          // Services that are gone leave the selection.
          if (selectionGroup === id && selected.size) {
            const ids = new Set(rows.map((r) => r.s.id));
            for (const s of selected) if (!ids.has(s)) selected.delete(s);
          }
        }
        loading.delete(id);
        if (shownGroup() === id) rerender();
      });
      // As the app: the live stream opens once the first answer has been painted.
      const painted = () => requestAnimationFrame(() => setTimeout(startStream, 0));
      p.then(painted, painted);
      loading.set(id, p);
    }
    return loading.get(id);
  };
  const groupsLoaded = get("/company-groups").then((g) => (groups = g.items));
  let streaming = false;
  const startStream = () => {
    if (!streaming) {
      streaming = true;
      followLiveUpdates();
    }
  };
  setTimeout(startStream, 2000);
  if (view.group !== null) load(view.group);
  await groupsLoaded;
  if (view.group === null && shownGroup() !== null) load(shownGroup());

  // Live updates (GET /events, server-sent events read with fetch to send the token): each
  // change asks for the service again; on connecting (or a reset) what is shown is loaded again;
  // without a stream, the shown group is loaded every 5 s and the stream tried again later.
  function followLiveUpdates() {
    let lastId = null;
    let pause = 1000;
    const connect = async () => {
      let connected = false;
      try {
        const h = { ...headers, Accept: "text/event-stream" };
        if (lastId !== null) h["Last-Event-ID"] = lastId;
        const response = await fetch(`${apiBase}/events`, { headers: h });
        if (response.ok && response.body) {
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = "";
          let message = { event: "", data: [], id: null };
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            buffer += value;
            let end;
            while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
              const line = buffer.slice(0, end);
              buffer = buffer.slice(end + (buffer.startsWith("\r\n", end) ? 2 : 1));
              if (line === "") {
                if (message.event || message.data.length) {
                  const hadId = message.id !== null;
                  if (message.id !== null) lastId = message.id;
                  if (message.event === "ready") {
                    connected = true;
                    const resumed = lastId !== null && !hadId;
                    live = "live";
                    if (!resumed) reloadShown();
                  } else if (message.event === "reset") reloadShown();
                  else {
                    try {
                      onEvent(JSON.parse(message.data.join("\n")));
                    } catch {
                      /* not an event */
                    }
                  }
                }
                message = { event: "", data: [], id: null };
                continue;
              }
              if (line.startsWith(":")) continue;
              const colon = line.indexOf(":");
              const field = colon < 0 ? line : line.slice(0, colon);
              const text = colon < 0 ? "" : line.slice(colon + (line[colon + 1] === " " ? 2 : 1));
              if (field === "event") message.event = text;
              else if (field === "data") message.data.push(text);
              else if (field === "id") message.id = text;
            }
          }
        }
      } catch {
        /* polling below */
      }
      live = "polling";
      if (connected) pause = 1000;
      setTimeout(connect, pause);
      pause = Math.min(pause * 2, 30_000);
    };
    connect();
    setInterval(() => {
      if (live === "polling" && shownGroup() !== null && !loading.has(shownGroup())) load(shownGroup());
    }, 5000);
  }
  function reloadShown() {
    const shown = new Set([...cache.keys(), ...loading.keys()]);
    if (shown.size === 0) return;
    get("/company-groups").then((g) => {
      groups = g.items;
      if (built) updateTabs();
    });
    for (const id of shown) if (!loading.has(id)) load(id);
  }
  function onEvent(event) {
    if (event.kind === "run.log") return;
    const held = cache.get(event.group_id);
    if (!held) return;
    if (held.perQuery) {
      held.asked = null;
      rerender();
      return;
    }
    if (event.kind === "service.removed") {
      takeService(event.group_id, event.service_id, null);
      return;
    }
    const id = event.service_id;
    if (refreshing.has(id)) {
      refreshing.set(id, true);
      return;
    }
    refreshing.set(id, false);
    const ask = () =>
      fetch(`${apiBase}/services/${id}`, { headers }).then(async (response) => {
        if (response.ok) takeService(event.group_id, id, prepareOne(await response.json()));
        else if (response.status === 404) takeService(event.group_id, id, null);
        if (refreshing.get(id)) {
          refreshing.set(id, false);
          return ask();
        }
        refreshing.delete(id);
      });
    ask().catch(() => refreshing.delete(id));
  }
  function takeService(group, id, row) {
    const held = cache.get(group);
    if (!Array.isArray(held)) return;
    // A new array: what was kept for the old one (hits, orders) no longer applies.
    const rows = held.slice();
    const at = rows.findIndex((r) => r.s.id === id);
    if (row && at >= 0) rows[at] = row;
    else if (row) rows.push(row);
    else if (at >= 0) {
      rows.splice(at, 1);
      selected.delete(id);
    }
    rows.forEach((r, i) => (r.i = i));
    cache.set(group, rows);
    if (shownGroup() === group) rerender();
  }

  // The static structure, built once.
  const T = C.tabs;
  const F = C.filters;
  main.innerHTML =
    `<h1 class="${C.page}" tabindex="-1">Services</h1>` +
    `<div role="tablist" aria-label="Company groups" class="${T}">` +
    groups
      .map(
        (g) =>
          `<button type="button" role="tab" id="group-tab-${g.id}" aria-selected="false" aria-controls="services-panel" tabindex="-1" class="${T}">${esc(g.name)}<span class="count ${T}"><span class="visually-hidden ${T}">, </span>${g.service_count}<span class="visually-hidden ${T}"> services</span></span></button>`,
      )
      .join("") +
    `</div>` +
    `<div class="panel ${C.page}" role="tabpanel" id="services-panel">` +
    `<div class="toolbar ${C.list}"><div role="search" aria-label="Services" class="${C.search}"><label for="service-search" class="${C.search}">Search services</label><span class="wrap ${C.search}"><input id="service-search" type="search" placeholder="ID, type or name" autocomplete="off" spellcheck="false" aria-keyshortcuts="/" class="${C.search}"><kbd aria-hidden="true" class="${C.search}">/</kbd></span></div>` +
    `<div class="filters ${F}"><div class="bar ${F}"><button class="toggle ${F}" type="button" aria-expanded="false" aria-controls="filter-panel">Filters</button></div>` +
    `<div class="panel ${F}" id="filter-panel" hidden=""><div class="head ${F}"><h2 id="filter-panel-title" class="${F}">Filters</h2><button class="close ${F}" type="button">Done</button></div>` +
    `<fieldset class="${F}" data-dimension="status"><legend class="${F}">Status</legend></fieldset>` +
    `<fieldset class="${F}" data-dimension="system"><legend class="${F}">Source system</legend></fieldset>` +
    `<fieldset class="${F}" data-dimension="entity"><legend class="${F}">Source entity</legend></fieldset>` +
    `<fieldset class="${F}" data-dimension="failed"><legend class="${F}">Health</legend><label class="${F}"><input type="checkbox" data-filter-last-run-failed="" class="${F}">Last run failed<span class="count ${F}">(0)</span></label></fieldset>` +
    `<fieldset class="${F}" data-dimension="favourites"><legend class="${F}">Favourites</legend><label class="${F}"><input type="checkbox" data-filter-favourites="" class="${F}">Only starred<span class="count ${F}">(0)</span></label></fieldset></div></div>` +
    `<div class="views ${C.views}" data-views-menu=""><button type="button" class="toggle ${C.views}" aria-haspopup="menu" aria-expanded="false">Views<span aria-hidden="true" class="${C.views}"> ▾</span></button></div>` +
    `<div class="${C.exporter}"><button type="button" class="button ${C.exporter}" aria-disabled="false">Export CSV</button></div>` +
    `<button type="button" class="button ${C.shortcuts}" aria-keyshortcuts="?">Shortcuts</button></div>` +
    `<p class="count ${C.list}">Loading services…</p><div data-body></div></div>`;
  const panel = main.querySelector("#services-panel");
  const input = panel.querySelector("#service-search");
  const toggle = panel.querySelector("button.toggle");
  const bar = panel.querySelector("div.bar");
  const filterPanel = panel.querySelector("#filter-panel");
  const fieldsets = [...filterPanel.querySelectorAll("fieldset")];
  const count = panel.querySelector("p.count");
  const bodySlot = panel.querySelector("[data-body]");
  const exportButton = panel.querySelector(`div.${C.exporter} button`);
  // The body's parts, created when first needed and kept.
  const table = document.createElement("table");
  table.className = C.table;
  table.innerHTML = `<caption class="visually-hidden ${C.table}"></caption><thead class="${C.table}"></thead><tbody class="${C.table}"></tbody>`;
  const caption = table.querySelector("caption");
  const thead = table.querySelector("thead");
  const tbody = table.querySelector("tbody");
  const pager = document.createElement("nav");
  pager.setAttribute("aria-label", "Pages");
  pager.className = C.pager;
  const skeleton = document.createElement("div");
  skeleton.className = `skeleton ${C.list}`;
  skeleton.setAttribute("aria-hidden", "true");
  skeleton.innerHTML = `<div class="bar ${C.list}"></div>`.repeat(6);
  const empty = document.createElement("div");
  empty.className = `empty ${C.list}`;
  const bulk = document.createElement("div");
  bulk.className = `bulk ${C.bulk}`;
  bulk.setAttribute("role", "region");
  bulk.setAttribute("aria-label", "Bulk actions");
  bulk.setAttribute("data-bulk-bar", "");
  // The table sits in a wrapper that stays (hidden when nothing matches), as the app's does.
  const list = document.createElement("div");
  list.className = C.list;
  list.append(table);
  bodySlot.replaceWith(skeleton);
  let body = skeleton;
  const showBody = (node, withPager = false, after = null) => {
    if (body !== node) {
      body.replaceWith(node);
      body = node;
    }
    if (after) {
      if (node.nextSibling !== after) node.after(after);
    } else if (empty.isConnected && empty !== node) {
      empty.remove();
    }
    if (withPager && !pager.isConnected) (after ?? body).after(pager);
    if (!withPager && pager.isConnected) pager.remove();
  };
  const setText = (node, text) => {
    if (node.textContent !== text) node.textContent = text;
  };
  function updateTabs() {
    for (const g of groups) {
      const n = main.querySelector(`#group-tab-${g.id} span.count`)?.childNodes[1];
      if (n && n.data !== String(g.service_count)) n.data = String(g.service_count);
    }
  }

  // Keyed rows (as a careful hand-written list does): a row shown before is kept, and only what
  // changed in it is touched (its highlights, star, selection); new rows are parsed together;
  // the order is fixed up if it changed.
  let rowsShown = new Map(); // service id → { tr, holders: [id span, type cell, name link], marks, row, … }
  let pageIds = [];
  const template = document.createElement("template");
  const rowTimes = (row) => [healthHtml(row, now), nextRunHtml(row, now)];
  function showRows(shown, terms, base) {
    const next = new Map();
    const fresh = [];
    for (const row of shown) {
      const marks = highlights(row, terms);
      const kept = rowsShown.get(row.s.id);
      if (kept && kept.selecting === selecting && (kept.row === row || sameRow(kept.row, row))) {
        kept.row = row;
        for (let k = 0; k < 3; k += 1) {
          if (kept.marks[k] !== marks[k]) kept.holders[k].innerHTML = marks[k];
        }
        kept.marks = marks;
        const on = starred.has(row.s.id);
        if (kept.star !== on) {
          kept.star = on;
          const star = kept.tr.querySelector("button.star");
          star.setAttribute("aria-pressed", String(on));
          star.firstChild.textContent = on ? "★" : "☆";
        }
        const sel = selected.has(row.s.id);
        if (kept.sel !== sel) {
          kept.sel = sel;
          kept.tr.classList.toggle("selected", sel);
          if (kept.box) kept.box.checked = sel;
        }
        next.set(row.s.id, kept);
      } else {
        fresh.push([row, marks, rowTimes(row)]);
      }
    }
    if (fresh.length) {
      const ctx = { selecting, starred, selected };
      template.innerHTML = fresh.map(([row, marks, t]) => rowHtml(row, marks, base, ctx, t)).join("");
      const trs = [...template.content.children];
      fresh.forEach(([row, marks, t], k) => {
        const tr = trs[k];
        const id = row.s.id;
        const box = selecting ? tr.cells[0].firstChild : null;
        const sel = selected.has(id);
        if (box && sel) box.checked = true;
        next.set(id, { tr, holders: [tr.querySelector("span.id"), tr.cells[4], tr.querySelector("a.name")], marks, row, star: starred.has(id), sel, selecting, box, times: t });
      });
    }
    const order = shown.map((row) => next.get(row.s.id).tr);
    const same = order.length === tbody.children.length && order.every((tr, k) => tbody.children[k] === tr);
    if (!same) tbody.replaceChildren(...order);
    rowsShown = next;
    pageIds = shown.map((row) => row.s.id);
  }
  // The relative times move every 30 s: only the cells whose text changed are written.
  function refreshTimes() {
    for (const rec of rowsShown.values()) {
      const t = rowTimes(rec.row);
      if (t[0] !== rec.times[0]) rec.tr.cells[8].innerHTML = t[0];
      if (t[1] !== rec.times[1]) rec.tr.cells[9].innerHTML = t[1];
      rec.times = t;
    }
  }
  setInterval(() => {
    now = nowSeconds();
    refreshTimes();
  }, 30_000);

  let lastHead = null;
  let lastChips = "";
  let lastPager = "";
  let lastBulk = "";
  let matchingIds = [];
  let matchingTotal = 0;
  const lastFacetKeys = ["", "", ""];
  function render() {
    const group = shownGroup();
    for (const g of groups) {
      const tab = main.querySelector(`#group-tab-${g.id}`);
      const isShown = g.id === group;
      if (tab && tab.getAttribute("aria-selected") !== String(isShown)) {
        tab.setAttribute("aria-selected", String(isShown));
        tab.setAttribute("tabindex", isShown ? "0" : "-1");
      }
    }
    if (group !== null && panel.getAttribute("aria-labelledby") !== `group-tab-${group}`) panel.setAttribute("aria-labelledby", `group-tab-${group}`);
    if (input.value !== view.q) input.value = view.q;
    const rows = cache.get(group);
    const active = [
      ...(view.favourites ? [["Favourites", "Only starred", "favourites", ""]] : []),
      ...(view.failed ? [["Health", "Last run failed", "failed", ""]] : []),
      ...["active", "inactive"].filter((s) => view.statuses.has(s)).map((s) => ["Status", s === "active" ? "Active" : "Inactive", "status", s]),
      ...[...view.systems].sort(byBytes).map((v) => ["Source system", v, "system", v]),
      ...[...view.entities].sort(byBytes).map((v) => ["Source entity", v, "entity", v]),
    ];
    setText(toggle, active.length ? `Filters (${active.length} active)` : "Filters");
    const chips = active.length
      ? `<ul class="chips ${F}" aria-label="Active filters">${active
          .map(([dim, label, d, v]) => `<li class="${F}"><button class="chip ${F}" type="button" aria-label="Remove filter: ${esc(dim)} = ${esc(label)}" data-dimension="${d}" data-value="${esc(v)}">${esc(dim)}: ${esc(label)} ×</button></li>`)
          .join("")}</ul><button class="clear ${F}" type="button">Clear all</button>`
      : "";
    if (lastChips !== chips) {
      lastChips = chips;
      while (toggle.nextSibling) toggle.nextSibling.remove();
      toggle.insertAdjacentHTML("afterend", chips);
    }
    const remote = rows?.perQuery ? rows : null;
    if (remote) {
      const key = pageQuery(view);
      if (remote.asked !== key) {
        remote.asked = key;
        get(`/company-groups/${group}/services?${key}`).then((page) => {
          if (remote.asked !== key) return;
          remote.answer = page;
          if (shownGroup() === group) rerender();
        });
      }
    }
    if (!rows || (remote && !remote.answer)) {
      setText(count, "Loading services…");
      announce("Loading services…");
      showBulk(0);
      showBody(skeleton);
      return;
    }
    const { terms, found, facets } = remote ? remoteView(remote.answer, view) : narrow(rows, view, starred);
    // Facets: rebuilt when the values change, otherwise their counts and boxes updated in place.
    const lists = [
      [
        ["active", facets.statuses.active],
        ["inactive", facets.statuses.inactive],
      ],
      facets.systems,
      facets.entities,
    ];
    const sets = [view.statuses, view.systems, view.entities];
    lists.forEach((values, i) => {
      const key = values.map((x) => x[0]).join("\u0000");
      if (lastFacetKeys[i] !== key) {
        lastFacetKeys[i] = key;
        for (const l of fieldsets[i].querySelectorAll("label")) l.remove();
        fieldsets[i].insertAdjacentHTML("beforeend", facetHtml(values, i === 0 ? (v) => (v === "active" ? "Active" : "Inactive") : undefined));
      }
      const labels = fieldsets[i].querySelectorAll("label");
      values.forEach(([v, n], k) => {
        const box = labels[k].firstChild;
        if (box.checked !== sets[i].has(v)) box.checked = sets[i].has(v);
        setText(labels[k].lastChild, `(${n})`);
      });
    });
    [
      [3, view.failed, facets.failed],
      [4, view.favourites, facets.favourites],
    ].forEach(([i, on, n]) => {
      const label = fieldsets[i].querySelector("label");
      if (label.firstChild.checked !== on) label.firstChild.checked = on;
      setText(label.lastChild, `(${n})`);
    });
    const all = remote ? remote.count : rows.length;
    const noun = all === 1 ? "service" : "services";
    const narrowed = view.q.trim() !== "" || active.length > 0;
    const countText = narrowed ? `${found.length} of ${all} ${noun}` : `${all} ${noun}`;
    setText(count, countText);
    announce(countText);
    if (selectionGroup !== group) {
      selectionGroup = group;
      selected.clear();
      anchor = null;
    }
    matchingTotal = found.length;
    matchingIds = remote ? found.page.map((r) => r.s.id) : found.map((r) => r.s.id);
    if (all === 0 || found.length === 0) {
      const search = view.q.trim();
      const what =
        all === 0
          ? "No services in this group yet."
          : search && active.length
            ? `No services match “${search}” with the selected filters.`
            : search
              ? `No services match “${search}”.`
              : "No services match the selected filters.";
      empty.innerHTML = `<p class="${C.list}">${esc(what)}</p>` + (all === 0 ? "" : `<button class="clear ${C.list}" type="button">Clear search and filters</button>`);
      showBulk(found.length);
      if (all === 0) {
        showBody(empty);
        return;
      }
      setText(caption, `Services in ${groups.find((g) => g.id === group)?.name ?? ""}`);
      showHead();
      showRows([], [], "");
      showPageBox();
      list.hidden = true;
      showBody(list, false, empty);
      return;
    }
    list.hidden = false;
    const pageCount = Math.max(1, Math.ceil(found.length / view.size));
    const current = Math.min(Math.max(view.page, 1), pageCount);
    const start = (current - 1) * view.size;
    const base = basePath.replace(/\/$/, "");
    const shown = remote ? found.page : found.slice(start, start + view.size);
    setText(caption, `Services in ${groups.find((g) => g.id === group)?.name ?? ""}`);
    showHead();
    showRows(shown, terms, base);
    showPageBox();
    showBulk(found.length);
    const paged = found.length > 25;
    if (paged) {
      const html = pagerHtml(current, pageCount, view.size);
      if (lastPager !== html) {
        lastPager = html;
        pager.innerHTML = html;
      }
    }
    showBody(list, paged);
  }
  function showHead() {
    const key = `${view.sort.key} ${view.sort.desc} ${selecting}`;
    if (lastHead !== key) {
      lastHead = key;
      thead.innerHTML = theadHtml(view.sort, selecting);
    }
  }
  // The header's "select all on this page", mixed while part of the page is selected.
  function showPageBox() {
    const box = thead.querySelector("input[data-select-page]");
    if (!box) return;
    const n = pageIds.filter((id) => selected.has(id)).length;
    const all = n > 0 && n === pageIds.length;
    if (box.checked !== all) box.checked = all;
    const mixed = n > 0 && !all;
    if (box.indeterminate !== mixed) box.indeterminate = mixed;
  }
  function showBulk(total) {
    if (!selecting || selected.size === 0) {
      if (bulk.isConnected) bulk.remove();
      lastBulk = "";
      return;
    }
    const allKnown = matchingIds.length === total;
    const covers = matchingIds.length > 0 && matchingIds.every((id) => selected.has(id));
    const offerAll = total > 0 && (!allKnown || !covers) && selected.size < total;
    const html = bulkHtml(selected.size, offerAll, total);
    if (lastBulk !== html) {
      lastBulk = html;
      bulk.innerHTML = html;
    }
    if (bulk.previousSibling !== count) count.after(bulk);
  }

  // Changes: every one goes through the URL, as in the app; the search being typed shows at once
  // and reaches the URL (replacing its entry) when typing pauses or focus leaves the search.
  let urlTimer = 0;
  const writeUrl = () => {
    if (urlTimer === 0) return;
    clearTimeout(urlTimer);
    urlTimer = 0;
    history.replaceState(null, "", `${basePath}${viewQuery(view)}`);
  };
  const search = (text) => {
    const next = copyView(view);
    next.page = 1;
    next.q = text;
    view = next;
    render();
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => writeUrl(), 250);
  };
  function go(next, replace = false) {
    clearTimeout(urlTimer);
    urlTimer = 0;
    const url = `${basePath}${viewQuery(next)}`;
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
    const groupChanged = shownGroup() !== (next.group ?? groups[0]?.id ?? null);
    view = next;
    if (groupChanged && shownGroup() !== null) load(shownGroup());
    render();
  }
  const change = (edit, replace = false) => {
    const next = copyView(view);
    next.page = 1;
    edit(next);
    go(next, replace);
  };
  const clearFilters = (v) => {
    [v.statuses, v.systems, v.entities].forEach((s) => s.clear());
    v.favourites = false;
    v.failed = false;
  };
  window.addEventListener("popstate", () => {
    clearTimeout(urlTimer);
    urlTimer = 0;
    view = parseView(location.search);
    if (shownGroup() !== null && !cache.has(shownGroup())) load(shownGroup());
    render();
  });

  input.addEventListener("input", () => search(input.value));
  input.addEventListener("blur", writeUrl);
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && view.q) {
      ev.preventDefault();
      search("");
    }
  });
  // Keyboard shortcuts (when on, and not while typing): / search, j and k next and previous
  // service, x select the focused service.
  const rowOf = (el) => el?.closest?.("#services-panel tr[data-row-id]") ?? null;
  window.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return;
    const el = document.activeElement;
    if (el && (["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.hasAttribute("contenteditable"))) return;
    if (ev.key === "/") {
      ev.preventDefault();
      input.focus();
      return;
    }
    if (!keysOn || document.querySelector("[aria-modal='true']")) return;
    if (ev.key === "j" || ev.key === "k") {
      ev.preventDefault();
      const trs = [...tbody.rows];
      const at = trs.indexOf(rowOf(el));
      const to = at < 0 ? (ev.key === "j" ? 0 : trs.length - 1) : Math.min(Math.max(at + (ev.key === "j" ? 1 : -1), 0), trs.length - 1);
      trs[to]?.querySelector("a.name")?.focus();
    } else if (ev.key === "x") {
      const box = rowOf(el)?.querySelector("input[data-row-select]");
      if (box) {
        ev.preventDefault();
        box.click();
      }
    }
  });
  // Esc hides a schedule's or a time's tooltip until the pointer or focus leaves it.
  root.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") ev.target.closest?.("span.schedule, span.pw-time")?.classList.add("dismissed");
  });
  const undismiss = (ev) => {
    const tip = ev.target.closest?.("span.schedule, span.pw-time");
    if (tip && !tip.contains(ev.relatedTarget)) tip.classList.remove("dismissed");
  };
  root.addEventListener("focusout", undismiss);
  root.addEventListener("mouseout", undismiss);
  root.querySelector(`div.${C.account}`).addEventListener("click", (ev) => {
    const button = ev.target.closest("button[role=switch]");
    if (!button) return;
    if (button.dataset.switch === "keys") {
      keysOn = !keysOn;
      button.setAttribute("aria-checked", String(keysOn));
      button.textContent = keysOn ? "Keyboard shortcuts: on" : "Keyboard shortcuts: off";
    } else {
      times.utc = !times.utc;
      try {
        localStorage.setItem(TIMES_KEY, times.utc ? "utc" : "local");
      } catch {
        /* not remembered */
      }
      button.setAttribute("aria-checked", String(times.utc));
      button.textContent = timesLabel();
      // Every time and schedule on the page reads differently: the rows are made again.
      rowsShown = new Map();
      render();
    }
  });
  main.querySelector("[role=tablist]").addEventListener("click", (ev) => {
    const tab = ev.target.closest("[role=tab]");
    if (!tab) return;
    const id = Number(tab.id.slice("group-tab-".length));
    const next = copyView(view);
    next.group = id;
    next.page = 1;
    go(next);
  });
  toggle.addEventListener("click", () => {
    const open = filterPanel.hidden;
    filterPanel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  });
  filterPanel.querySelector("button.close").addEventListener("click", () => {
    filterPanel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  });
  const flip = (set, value) => (set.has(value) ? set.delete(value) : set.add(value));
  const dimension = { status: "statuses", system: "systems", entity: "entities" };
  const toggleFilter = (v, d, value) => {
    if (d === "favourites") v.favourites = !v.favourites;
    else if (d === "failed") v.failed = !v.failed;
    else flip(v[dimension[d]], value);
  };
  filterPanel.addEventListener("change", (ev) => {
    const box = ev.target;
    const d = box.closest("fieldset")?.dataset.dimension;
    if (d) change((v) => toggleFilter(v, d, box.dataset.value));
  });
  bar.addEventListener("click", (ev) => {
    const chip = ev.target.closest("button.chip");
    if (chip) change((v) => toggleFilter(v, chip.dataset.dimension, chip.dataset.value));
    else if (ev.target.closest("button.clear")) change(clearFilters);
  });
  empty.addEventListener("click", (ev) => {
    if (ev.target.closest("button.clear")) change((v) => ((v.q = ""), clearFilters(v)));
  });
  thead.addEventListener("click", (ev) => {
    if (ev.target.matches("input[data-select-page]")) {
      const all = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
      for (const id of pageIds) all ? selected.delete(id) : selected.add(id);
      render();
      return;
    }
    const button = ev.target.closest("button[data-sort]");
    if (!button) return;
    const key = button.dataset.sort;
    change((v) => (v.sort = { key, desc: view.sort.key === key && !view.sort.desc }));
  });
  pager.addEventListener("click", (ev) => {
    const button = ev.target.closest("button[data-page]:not([aria-disabled])");
    if (!button || button.disabled) return;
    const next = copyView(view);
    next.page = Number(button.dataset.page);
    go(next);
  });
  pager.addEventListener("change", (ev) => {
    const size = Number(ev.target.value);
    change((v) => (v.size = size));
  });
  tbody.addEventListener("click", (ev) => {
    const copy = ev.target.closest("button.copy");
    if (copy) {
      const id = copy.getAttribute("aria-label").replace("Copy ID ", "");
      navigator.clipboard?.writeText(id).then(() => (copy.textContent = "Copied"), () => {});
      return;
    }
    const box = ev.target.closest("input[data-row-select]");
    if (box) {
      // Shift+click: the range of the page from the last box clicked.
      const id = Number(box.dataset.select);
      const from = ev.shiftKey ? pageIds.indexOf(anchor) : -1;
      const to = pageIds.indexOf(id);
      if (from >= 0 && to >= 0) {
        const on = !selected.has(id);
        for (const r of pageIds.slice(Math.min(from, to), Math.max(from, to) + 1)) on ? selected.add(r) : selected.delete(r);
      } else flip(selected, id);
      anchor = id;
      render();
      return;
    }
    const star = ev.target.closest("button.star");
    if (star) {
      const id = Number(star.dataset.star);
      const on = !starred.has(id);
      const set = (yes) => (yes ? starred.add(id) : starred.delete(id));
      set(on);
      render();
      fetch(`${apiBase}/services/${id}/favourite`, { method: on ? "PUT" : "DELETE", headers })
        .then((r) => {
          if (!r.ok) throw new Error(String(r.status));
        })
        .catch(() => {
          set(!on);
          render();
        });
      return;
    }
    if (ev.target.closest("a, button, input, select, [role=menu], [tabindex]")) return;
    const link = ev.target.closest("tr")?.querySelector("a.name");
    if (link) location.assign(link.href);
  });
  bulk.addEventListener("click", async (ev) => {
    if (ev.target.closest("button[data-clear-selection]")) {
      selected.clear();
      anchor = null;
      render();
      input.focus();
    } else if (ev.target.closest("button[data-select-all]")) {
      const group = shownGroup();
      const held = cache.get(group);
      let ids = matchingIds;
      if (held?.perQuery) {
        // Every match, asked of the server a page of 1,000 at a time.
        ids = [];
        const params = new URLSearchParams(viewQuery({ ...view, group: null, page: 1, size: DEFAULT_PAGE_SIZE }));
        params.set("limit", "1000");
        for (let offset = 0; offset < matchingTotal; offset += 1000) {
          params.set("offset", String(offset));
          const page = await get(`/company-groups/${group}/services?${params}`);
          ids.push(...page.items.map((s) => s.id));
          if (page.items.length === 0) break;
        }
        if (shownGroup() !== group) return;
      }
      for (const id of ids) selected.add(id);
      render();
    }
  });
  // The view as shown, without its page, as a CSV file.
  exportButton.addEventListener("click", async () => {
    if (exportButton.getAttribute("aria-disabled") === "true" || shownGroup() === null) return;
    const query = viewQuery({ ...view, group: null, page: 1, size: DEFAULT_PAGE_SIZE });
    exportButton.setAttribute("aria-disabled", "true");
    exportButton.textContent = "Exporting…";
    try {
      const response = await fetch(`${apiBase}/company-groups/${shownGroup()}/services/export.csv${query}`, { headers: { Authorization: headers.Authorization } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "services.csv";
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      /* the app says so in a message; not here */
    }
    exportButton.setAttribute("aria-disabled", "false");
    exportButton.textContent = "Export CSV";
  });

  built = true;
  render();
  return {
    unmount() {
      root.replaceChildren();
      root.classList.remove("pw-services-list");
    },
  };
}
