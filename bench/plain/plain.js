// The plain-JavaScript baseline of `make bench`: the services list's list view written by hand,
// the way a careful developer would without a framework, to measure the app against.
//
// It does the app's work for the list: the same requests (the token from the host, then the user,
// the company groups and the whole group from GET /api/v1/company-groups/{id}/services/lean,
// decoded from its columns), the same
// rule (every search word, case-insensitive, in the id, type or name), the same facet counts,
// sort, pages of 50, highlights, URL state (typing replaces the history entry), per-group cache
// with a refetch on return, and the same markup with the app's classes, so the browser styles and
// lays out the same page. `make bench` compares the two pages' DOM and reports any difference.
// Not here: the actions menu's popup, dialogs, toasts and the service page (none is measured).

// The app's stylers classes (from the components' `style!` blocks), so its CSS applies unchanged.
const C = {
  account: "l--13733",
  toasts: "l--21437",
  page: "l-561871",
  tabs: "l--17075",
  list: "l-156819",
  search: "l-132660",
  filters: "l--98516",
  table: "l-601149",
  row: "l--15246",
  menu: "l-894866",
  pager: "l-163590",
};
const PAGE_SIZES = [25, 50, 100, 250];
const DEFAULT_PAGE_SIZE = 50;
const SORT_KEYS = ["id", "name", "status", "system"];
const BELL =
  '<path d="M8 1.5a4 4 0 0 0-4 4v3L2.5 11h11L12 8.5v-3a4 4 0 0 0-4-4zM6.5 12.5a1.5 1.5 0 0 0 3 0" fill="none" stroke="currentColor" stroke-width="1.4"></path>';
const STRIKE = '<path d="M2 2l12 12" stroke="currentColor" stroke-width="1.6"></path>';

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);

// ---- The view in the URL (the app's ListQuery and its query string) ----

function parseView(search) {
  const params = new URLSearchParams(search);
  const view = { group: null, q: "", statuses: new Set(), systems: new Set(), entities: new Set(), sort: { key: "id", desc: false }, page: 1, size: DEFAULT_PAGE_SIZE };
  const group = Number.parseInt(params.get("group") ?? "", 10);
  if (group > 0) view.group = group;
  view.q = params.get("q") ?? "";
  for (const s of params.getAll("status")) if (s === "active" || s === "inactive") view.statuses.add(s);
  for (const s of params.getAll("system")) if (s) view.systems.add(s);
  for (const e of params.getAll("entity")) if (e) view.entities.add(e);
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
  let id = 0;
  for (let i = 0; i < c.id.length; i++) {
    id += c.id[i];
    const cron = c.schedule[i];
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
    };
  }
  return out;
}

function prepare(items) {
  return items.map((s) => ({
    s,
    idText: String(s.id),
    nameLower: s.name.toLowerCase(),
    systemLower: s.source.system.toLowerCase(),
  }));
}

function matchesSearch(row, terms) {
  for (const t of terms) {
    if (!(row.idText.includes(t) || row.s.service_type.includes(t) || row.nameLower.includes(t))) return false;
  }
  return true;
}

/** Matching rows, sorted, and the facet counts, in one pass over the group. */
function narrow(rows, view) {
  const terms = searchTerms(view.q);
  const { statuses, systems, entities } = view;
  const facetStatus = { active: 0, inactive: 0 };
  const facetSystem = new Map();
  const facetEntity = new Map();
  for (const v of systems) facetSystem.set(v, 0);
  for (const v of entities) facetEntity.set(v, 0);
  const found = [];
  for (const row of rows) {
    const s = row.s;
    if (!facetSystem.has(s.source.system)) facetSystem.set(s.source.system, 0);
    if (!facetEntity.has(s.source.entity)) facetEntity.set(s.source.entity, 0);
    if (terms.length && !matchesSearch(row, terms)) continue;
    const statusOk = statuses.size === 0 || statuses.has(s.status);
    const systemOk = systems.size === 0 || systems.has(s.source.system);
    const entityOk = entities.size === 0 || entities.has(s.source.entity);
    if (systemOk && entityOk) facetStatus[s.status] += 1;
    if (statusOk && entityOk) facetSystem.set(s.source.system, facetSystem.get(s.source.system) + 1);
    if (statusOk && systemOk) facetEntity.set(s.source.entity, facetEntity.get(s.source.entity) + 1);
    if (statusOk && systemOk && entityOk) found.push(row);
  }
  const { key, desc } = view.sort;
  const value = {
    id: null,
    name: (r) => r.nameLower,
    status: (r) => r.s.status,
    system: (r) => r.systemLower,
  }[key];
  const original = { name: (r) => r.s.name, status: (r) => r.s.status, system: (r) => r.s.source.system }[key];
  found.sort((a, b) => {
    let by = 0;
    if (value === null) by = a.s.id - b.s.id;
    else by = byBytes(value(a), value(b)) || byBytes(original(a), original(b));
    if (desc) by = -by;
    return by || a.s.id - b.s.id;
  });
  const sorted = (m) => [...m].sort((a, b) => byBytes(a[0], b[0]));
  return { terms, found, facets: { statuses: facetStatus, systems: sorted(facetSystem), entities: sorted(facetEntity) } };
}

/** A per-query answer in `narrow`'s shape: `found` stands for every match (its length is the
 * total) and carries the page the server sent. */
function remoteView(answer, view) {
  const found = { length: answer.total, page: prepare(answer.items) };
  const pairs = (list) => list.map((f) => [f.value, f.count]);
  const statuses = { active: 0, inactive: 0 };
  for (const f of answer.facets.statuses) statuses[f.value] = f.count;
  return { terms: searchTerms(view.q), found, facets: { statuses, systems: pairs(answer.facets.source_systems), entities: pairs(answer.facets.source_entities) } };
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
  [0, 6],
];
const WEEKDAYS = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];
const pad2 = (n) => String(n).padStart(2, "0");

function parseCron(expression) {
  const raw = expression.split(/\s+/).filter(Boolean);
  if (raw.length !== 5) return null;
  const fields = [];
  for (let i = 0; i < 5; i += 1) {
    const [min, max] = FIELDS[i];
    const number = (s) => {
      if (!/^\d+$/.test(s)) throw new Error("not a number");
      const n = Number(s);
      if (n < min || n > max) throw new Error("out of range");
      return n;
    };
    try {
      fields.push(
        raw[i].split(",").map((part) => {
          const [base, stepText] = part.includes("/") ? [part.slice(0, part.indexOf("/")), part.slice(part.indexOf("/") + 1)] : [part, null];
          let step = 1;
          if (stepText !== null) {
            if (!/^\d+$/.test(stepText) || Number(stepText) === 0 || Number(stepText) > 255) throw new Error("bad step");
            step = Number(stepText);
          }
          if (base === "*") return { range: null, step };
          if (base.includes("-")) {
            const [from, to] = base.split("-", 2).map(number);
            if (from > to) throw new Error("backwards");
            return { range: [from, to], step };
          }
          const n = number(base);
          return { range: [n, step > 1 ? max : n], step };
        }),
      );
    } catch {
      return null;
    }
  }
  return fields;
}

/** services-model's `Cron::describe`: the schedule in words. */
function describeCron(expression) {
  const fields = parseCron(expression);
  if (!fields) return "Invalid schedule";
  const single = (i) => (fields[i].length === 1 && fields[i][0].range && fields[i][0].step === 1 && fields[i][0].range[0] === fields[i][0].range[1] ? fields[i][0].range[0] : null);
  const every = (i) => (fields[i].length === 1 && fields[i][0].range === null ? fields[i][0].step : null);
  const singles = (i) => {
    const out = [];
    for (const p of fields[i]) {
      if (!(p.range && p.step === 1 && p.range[0] === p.range[1])) return null;
      out.push(p.range[0]);
    }
    return out;
  };
  const anyDay = every(2) === 1 && every(3) === 1;
  const allWeek = every(4) === 1;
  const plural = (n, unit) => (n === 1 ? `Every ${unit}` : `Every ${n} ${unit}s`);
  if (anyDay && allWeek && every(1) === 1) {
    const n = every(0);
    if (n !== null) return plural(n, "minute");
    const m = single(0);
    if (m !== null) return m === 0 ? "Every hour" : `Every hour at :${pad2(m)}`;
  }
  if (anyDay && allWeek) {
    const m = single(0);
    const n = every(1);
    if (m !== null && n !== null) return m === 0 ? plural(n, "hour") : `${plural(n, "hour")} at :${pad2(m)}`;
  }
  const minute = single(0);
  const hours = singles(1);
  if (minute === null || hours === null) return "Custom schedule";
  const times = hours.map((h) => `${pad2(h)}:${pad2(minute)}`);
  if (!times.length) return "Custom schedule";
  const at = times.length === 1 ? times[0] : `${times.slice(0, -1).join(", ")} and ${times[times.length - 1]}`;
  let days = null;
  if (anyDay && allWeek) days = times.length === 2 ? "Twice daily" : "Daily";
  else if (anyDay) {
    const f = fields[4];
    if (f.length === 1 && f[0].range && f[0].range[0] === 1 && f[0].range[1] === 5 && f[0].step === 1) days = "Weekdays";
    else {
      const d = singles(4);
      days = d ? d.map((x) => WEEKDAYS[x]).join(", ") : null;
    }
  } else if (allWeek && every(3) === 1) {
    const d = single(2);
    days = d !== null ? `Monthly on day ${d}` : null;
  }
  return days === null ? "Custom schedule" : `${days} at ${at} UTC`;
}

const describeCache = new Map();
function schedule(trigger, id) {
  if (trigger.kind !== "schedule") return "<span>Webhook</span>";
  let words = describeCache.get(trigger.cron);
  if (words === undefined) {
    words = describeCron(trigger.cron);
    describeCache.set(trigger.cron, words);
  }
  return `<span class="schedule ${C.row}" tabindex="0" aria-describedby="cron-${id}">${esc(words)}<span class="cron ${C.row}" id="cron-${id}" role="tooltip">Cron (UTC): ${esc(trigger.cron)}</span></span>`;
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

function rowHtml(row, marks, base) {
  const s = row.s;
  const active = s.status === "active";
  const href = `${base}/services/${s.id}`;
  const alerts = s.alerts_enabled ? "On" : "Off";
  const name = esc(s.name);
  const R = C.row;
  return (
    `<tr class="${R}"><td class="${R}"><span class="flow ${R}">${badge(s.source.system)}${esc(s.source.system)}</span></td>` +
    `<td class="${R}"><span class="id-cell ${R}"><span class="id ${R}">${marks[0]}</span><button class="copy ${R}" type="button" aria-label="Copy ID ${s.id}">Copy</button></span></td>` +
    `<td class="${R}"><span class="status ${active ? "active" : "inactive"} ${R}"><span aria-hidden="true" class="${R}">${active ? "●" : "○"}</span>${active ? "Active" : "Inactive"}</span></td>` +
    `<td class="${R}">${marks[1]}</td>` +
    `<td class="${R}"><a class="name ${R}" href="${esc(href)}">${marks[2]}</a></td>` +
    `<td class="${R}"><span class="flow ${R}">${badge(s.source.system)}${esc(s.source.system)} ${esc(s.source.entity)}<span aria-hidden="true" class="${R}">→</span><span class="visually-hidden ${R}">to</span>${badge(s.destination.system)}${esc(s.destination.system)} ${esc(s.destination.entity)}</span></td>` +
    `<td class="${R}">${schedule(s.trigger, s.id)}</td>` +
    `<td class="${R}"><a class="alerts ${R}" href="${esc(href)}?tab=alerts" aria-label="Alerts ${alerts.toLowerCase()}: alert settings for ${name}"><svg class="bell ${R}" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">${BELL}${s.alerts_enabled ? "" : STRIKE}</svg>${alerts}</a></td>` +
    `<td class="actions ${R}"><div data-actions-for="${s.id}" class="${C.menu}"><button type="button" aria-label="Actions for ${name} (ID ${s.id})" aria-haspopup="menu" aria-expanded="false" class="${C.menu}"><span aria-hidden="true" class="${C.menu}">⋯</span></button></div></td></tr>`
  );
}

const HEADERS = [
  ["Source system", "system"],
  ["ID", "id"],
  ["Status", "status"],
  ["Type", null],
  ["Name", "name"],
  ["Flow", null],
  ["Schedule", null],
  ["Alerts", null],
];

function theadHtml(sort) {
  const T = C.table;
  const cells = HEADERS.map(([label, key]) => {
    if (!key) return `<th scope="col" class="${T}">${label}</th>`;
    const on = sort.key === key;
    const aria = on ? ` aria-sort="${sort.desc ? "descending" : "ascending"}"` : "";
    const arrow = on ? (sort.desc ? "▼" : "▲") : "↕";
    return `<th scope="col"${aria} class="${T}"><button type="button" data-sort="${key}" class="${T}">${label}<span class="arrow ${T}" aria-hidden="true">${arrow}</span></button></th>`;
  });
  return `<tr class="${T}">${cells.join("")}<th scope="col" class="${T}"><span class="visually-hidden ${T}">Actions</span></th></tr>`;
}

function facetHtml(values, label = (v) => v) {
  const F = C.filters;
  return values
    .map(([v, n]) => `<label class="${F}"><input type="checkbox" data-value="${esc(v)}" class="${F}">${esc(label(v))}<span class="count ${F}">(${n})</span></label>`)
    .join("");
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
  root.innerHTML =
    `<div id="pw-announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>` +
    `<div class="${C.account}"><span class="${C.account}">Signed in as </span><button type="button" role="switch" aria-label="Keyboard shortcuts" aria-checked="true" class="${C.account}">Keyboard shortcuts: on</button></div>` +
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
  const cache = new Map(); // group id → prepared rows
  const loading = new Map(); // group id → promise
  let groups = [];
  // Set once the static structure below is built: a group that answers before that is shown
  // by the first render.
  let built = false;
  const shownGroup = () => view.group ?? groups[0]?.id ?? null;

  get("/me").then((me) => {
    root.querySelector(`div.${C.account} span`).textContent = `Signed in as ${me.name} · ${me.role.replace("_", "-")} · ${me.company.name}`;
  });
  const load = (id) => {
    if (!loading.has(id)) {
      const p = get(`/company-groups/${id}/services/lean`).then((lean) => {
        // Too large to hold: every view is asked of the server (`remote`), as the app does.
        cache.set(id, lean.mode === "per_query" ? { perQuery: true, count: lean.count, answer: cache.get(id)?.answer ?? null, asked: null } : prepare(decodeLean(lean)));
        loading.delete(id);
        if (built && shownGroup() === id) render();
      });
      loading.set(id, p);
    }
    return loading.get(id);
  };
  const groupsLoaded = get("/company-groups").then((g) => (groups = g.items));
  if (view.group !== null) load(view.group);
  await groupsLoaded;
  if (view.group === null && shownGroup() !== null) load(shownGroup());

  // The static structure, built once.
  const T = C.tabs;
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
    `<div class="filters ${C.filters}"><div class="bar ${C.filters}"><button class="toggle ${C.filters}" type="button" aria-expanded="false" aria-controls="filter-panel">Filters</button></div>` +
    `<div class="panel ${C.filters}" id="filter-panel" hidden=""><div class="head ${C.filters}"><h2 id="filter-panel-title" class="${C.filters}">Filters</h2><button class="close ${C.filters}" type="button">Done</button></div>` +
    `<fieldset class="${C.filters}" data-dimension="status"><legend class="${C.filters}">Status</legend></fieldset>` +
    `<fieldset class="${C.filters}" data-dimension="system"><legend class="${C.filters}">Source system</legend></fieldset>` +
    `<fieldset class="${C.filters}" data-dimension="entity"><legend class="${C.filters}">Source entity</legend></fieldset></div></div></div>` +
    `<p class="count ${C.list}">Loading services…</p><div data-body></div></div>`;
  const panel = main.querySelector("#services-panel");
  const input = panel.querySelector("#service-search");
  const toggle = panel.querySelector("button.toggle");
  const bar = panel.querySelector("div.bar");
  const filterPanel = panel.querySelector("#filter-panel");
  const fieldsets = [...filterPanel.querySelectorAll("fieldset")];
  const count = panel.querySelector("p.count");
  const bodySlot = panel.querySelector("[data-body]");
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

  // Keyed rows (as a careful hand-written list does): a row shown before is kept, and only its
  // highlighted texts change; new rows are parsed together; the order is fixed up if it changed.
  let rowsShown = new Map(); // service id → { tr, holders: [id span, type cell, name link], marks }
  const template = document.createElement("template");
  function showRows(shown, terms, base) {
    const next = new Map();
    const fresh = [];
    for (const row of shown) {
      const marks = highlights(row, terms);
      const kept = rowsShown.get(row.s.id);
      if (kept) {
        for (let k = 0; k < 3; k += 1) {
          if (kept.marks[k] !== marks[k]) kept.holders[k].innerHTML = marks[k];
        }
        kept.marks = marks;
        next.set(row.s.id, kept);
      } else {
        fresh.push([row, marks]);
      }
    }
    if (fresh.length) {
      template.innerHTML = fresh.map(([row, marks]) => rowHtml(row, marks, base)).join("");
      const trs = [...template.content.children];
      fresh.forEach(([row, marks], k) => {
        const tr = trs[k];
        next.set(row.s.id, { tr, holders: [tr.querySelector("span.id"), tr.cells[3], tr.querySelector("a.name")], marks });
      });
    }
    const order = shown.map((row) => next.get(row.s.id).tr);
    const same = order.length === tbody.children.length && order.every((tr, k) => tbody.children[k] === tr);
    if (!same) tbody.replaceChildren(...order);
    rowsShown = next;
  }

  let lastSort = null;
  let lastChips = "";
  let lastPager = "";
  const lastFacetKeys = ["", "", ""];
  function render() {
    const group = shownGroup();
    for (const g of groups) {
      const tab = main.querySelector(`#group-tab-${g.id}`);
      const selected = g.id === group;
      if (tab.getAttribute("aria-selected") !== String(selected)) {
        tab.setAttribute("aria-selected", String(selected));
        tab.setAttribute("tabindex", selected ? "0" : "-1");
      }
    }
    if (group !== null && panel.getAttribute("aria-labelledby") !== `group-tab-${group}`) panel.setAttribute("aria-labelledby", `group-tab-${group}`);
    if (input.value !== view.q) input.value = view.q;
    const rows = cache.get(group);
    const active = [
      ...["active", "inactive"].filter((s) => view.statuses.has(s)).map((s) => ["Status", s === "active" ? "Active" : "Inactive", "status", s]),
      ...[...view.systems].sort(byBytes).map((v) => ["Source system", v, "system", v]),
      ...[...view.entities].sort(byBytes).map((v) => ["Source entity", v, "entity", v]),
    ];
    setText(toggle, active.length ? `Filters (${active.length} active)` : "Filters");
    const chips = active.length
      ? `<ul class="chips ${C.filters}" aria-label="Active filters">${active
          .map(([dim, label, d, v]) => `<li class="${C.filters}"><button class="chip ${C.filters}" type="button" aria-label="Remove filter: ${esc(dim)} = ${esc(label)}" data-dimension="${d}" data-value="${esc(v)}">${esc(dim)}: ${esc(label)} ×</button></li>`)
          .join("")}</ul><button class="clear ${C.filters}" type="button">Clear all</button>`
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
          if (built && shownGroup() === group) render();
        });
      }
    }
    if (!rows || (remote && !remote.answer)) {
      setText(count, "Loading services…");
      announce("Loading services…");
      showBody(skeleton);
      return;
    }
    const { terms, found, facets } = remote ? remoteView(remote.answer, view) : narrow(rows, view);
    // Facets: rebuilt when the values change, otherwise their counts and boxes updated in place.
    const lists = [
      [["active", facets.statuses.active], ["inactive", facets.statuses.inactive]],
      facets.systems,
      facets.entities,
    ];
    const sets = [view.statuses, view.systems, view.entities];
    lists.forEach((list, i) => {
      const key = list.map((x) => x[0]).join("\u0000");
      if (lastFacetKeys[i] !== key) {
        lastFacetKeys[i] = key;
        for (const l of fieldsets[i].querySelectorAll("label")) l.remove();
        fieldsets[i].insertAdjacentHTML("beforeend", facetHtml(list, i === 0 ? (v) => (v === "active" ? "Active" : "Inactive") : undefined));
      }
      const labels = fieldsets[i].querySelectorAll("label");
      list.forEach(([v, n], k) => {
        const box = labels[k].firstChild;
        if (box.checked !== sets[i].has(v)) box.checked = sets[i].has(v);
        setText(labels[k].lastChild, `(${n})`);
      });
    });
    const all = remote ? remote.count : rows.length;
    const noun = all === 1 ? "service" : "services";
    const narrowed = view.q.trim() !== "" || active.length > 0;
    const countText = narrowed ? `${found.length} of ${all} ${noun}` : `${all} ${noun}`;
    setText(count, countText);
    announce(countText);
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
      if (all === 0) {
        showBody(empty);
        return;
      }
      setText(caption, `Services in ${groups.find((g) => g.id === group)?.name ?? ""}`);
      const emptySort = `${view.sort.key}${view.sort.desc}`;
      if (lastSort !== emptySort) {
        lastSort = emptySort;
        thead.innerHTML = theadHtml(view.sort);
      }
      showRows([], [], "");
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
    const sortKey = `${view.sort.key}${view.sort.desc}`;
    if (lastSort !== sortKey) {
      lastSort = sortKey;
      thead.innerHTML = theadHtml(view.sort);
    }
    showRows(shown, terms, base);
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

  // Changes: every one goes through the URL, as in the app.
  function go(next, replace = false) {
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
  window.addEventListener("popstate", () => {
    view = parseView(location.search);
    if (shownGroup() !== null && !cache.has(shownGroup())) load(shownGroup());
    render();
  });

  input.addEventListener("input", () => change((v) => (v.q = input.value), true));
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && view.q) {
      ev.preventDefault();
      change((v) => (v.q = ""), true);
    }
  });
  window.addEventListener("keydown", (ev) => {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return;
    const el = document.activeElement;
    if (el && (["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.hasAttribute("contenteditable"))) return;
    ev.preventDefault();
    input.focus();
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
  filterPanel.addEventListener("change", (ev) => {
    const box = ev.target;
    const d = box.closest("fieldset")?.dataset.dimension;
    if (d) change((v) => flip(v[dimension[d]], box.dataset.value));
  });
  bar.addEventListener("click", (ev) => {
    const chip = ev.target.closest("button.chip");
    if (chip) change((v) => flip(v[dimension[chip.dataset.dimension]], chip.dataset.value));
    else if (ev.target.closest("button.clear")) change((v) => [v.statuses, v.systems, v.entities].forEach((s) => s.clear()));
  });
  empty.addEventListener("click", (ev) => {
    if (ev.target.closest("button.clear")) change((v) => ((v.q = ""), [v.statuses, v.systems, v.entities].forEach((s) => s.clear())));
  });
  thead.addEventListener("click", (ev) => {
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
    if (ev.target.closest("a, button, input, select, [role=menu], [tabindex]")) return;
    const link = ev.target.closest("tr")?.querySelector("a.name");
    if (link) location.assign(link.href);
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
