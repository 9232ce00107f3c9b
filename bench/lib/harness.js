// The in-page timing harness of `make bench`, injected before any script of the page runs (the
// same code on the app and on the plain-JavaScript page).
//
// - Every DOM change is seen by one MutationObserver on the whole document; after each, a frame
//   probe (requestAnimationFrame, then a message posted from it, which runs once that frame has
//   been rendered) records when the change reached the screen.
// - `arm(kind, until)` starts a measurement at the next trusted event of that kind (capture phase
//   on window, so before the page's own handlers): `keydown` for a keystroke, `click` for a click.
//   `until` (a function body over `document`) marks when the wanted state first shows.
// - `settle(quietMs, timeoutMs, needReady)` resolves when nothing changed and no request was in flight for
//   `quietMs`, with: `dom` (event → last DOM change), `frame` (→ the frame after it), `ready`
//   (→ `until` true) and `readyFrame`, in milliseconds.
// - Navigation: `load()` gives the same from time 0 (the navigation's start) with `until` =
//   `firstRows` and the page's resource timings, long tasks and wasm instantiation.
(() => {
  if (window.__bench) return;
  const now = () => performance.now();
  const state = {
    armed: null, // { kind, until }
    t0: null,
    lastMutation: null,
    mutations: 0,
    ready: null,
    readyFrame: null,
    frameAt: null, // when the last frame probe ran
    frameCovers: null, // the last mutation that frame probe's frame included
    probing: false,
    inflight: 0,
    lastFetchEnd: 0,
    longTasks: [],
    wasm: [], // { start, end, instance }
    loadUntil: null,
  };
  // Navigation counts as armed from time 0 until the harness is armed for something else.
  state.t0 = 0;
  state.armed = { kind: "navigation", until: null };

  const firstRows = () => document.querySelector("#services-panel tbody tr, #services-panel li.card") !== null;
  state.armed.until = firstRows;

  const channel = new MessageChannel();
  let afterFrame = null;
  channel.port1.onmessage = () => {
    const covers = afterFrame;
    afterFrame = null;
    state.frameAt = now();
    state.frameCovers = covers.mutation;
    if (covers.ready && state.ready !== null && state.readyFrame === null) state.readyFrame = state.frameAt;
    state.probing = false;
    if (state.lastMutation !== null && state.lastMutation > covers.mutation) probe();
  };
  function probe() {
    if (state.probing) return;
    state.probing = true;
    requestAnimationFrame(() => {
      afterFrame = { mutation: state.lastMutation, ready: state.ready !== null };
      channel.port2.postMessage(null);
    });
  }

  const observer = new MutationObserver(() => {
    if (state.t0 === null) return;
    const t = now();
    state.lastMutation = t;
    state.mutations += 1;
    if (state.ready === null && state.armed && state.armed.until) {
      let ok = false;
      try {
        ok = state.armed.until();
      } catch (_) {
        ok = false;
      }
      if (ok) state.ready = t;
    }
    probe();
  });
  const observe = () =>
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  observe();

  // Requests in flight: the page is not settled while one is pending. A stream of live updates
  // (server-sent events) stays open for good: it counts as done once its headers have come.
  const fetch0 = window.fetch;
  window.fetch = function (...args) {
    state.inflight += 1;
    const done = () => {
      state.inflight -= 1;
      state.lastFetchEnd = now();
    };
    return fetch0.apply(this, args).then(
      (r) => {
        if ((r.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
          done();
          return r;
        }
        // The body is read later; count the request as done when the body has been read.
        const clone = r.clone();
        clone.arrayBuffer().then(done, done);
        return r;
      },
      (e) => {
        done();
        throw e;
      },
    );
  };

  // The wasm instances, for their memory, and when they were compiled and instantiated.
  for (const name of ["instantiateStreaming", "instantiate"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = async function (...args) {
      const entry = { how: name, start: now(), end: null, instance: null };
      state.wasm.push(entry);
      const result = await original.apply(this, args);
      entry.end = now();
      entry.instance = result instanceof WebAssembly.Instance ? result : result.instance;
      return result;
    };
  }

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch (_) {
    /* no long task timing */
  }

  for (const kind of ["keydown", "click"]) {
    window.addEventListener(
      kind,
      (ev) => {
        if (!ev.isTrusted || !state.armed || state.armed.kind !== kind || state.t0 !== null) return;
        state.t0 = now();
      },
      true,
    );
  }

  function result() {
    const t0 = state.t0;
    const rel = (t) => (t === null || t0 === null ? null : t - t0);
    const frameOk = state.lastMutation !== null && state.frameCovers !== null && state.frameCovers >= state.lastMutation;
    const busy = state.longTasks
      .filter((l) => l.start + l.duration >= t0)
      .reduce((sum, l) => sum + l.duration, 0);
    return {
      dom: rel(state.lastMutation),
      frame: frameOk ? rel(state.frameAt) : null,
      ready: rel(state.ready),
      readyFrame: rel(state.readyFrame),
      mutations: state.mutations,
      longTaskMs: busy,
    };
  }

  window.__bench = {
    arm(kind, until) {
      state.armed = { kind, until: until ? new Function(until) : null };
      state.t0 = null;
      state.lastMutation = null;
      state.mutations = 0;
      state.ready = null;
      state.readyFrame = null;
      state.frameCovers = null;
    },
    // Resolves once quiet; `timedOut` when the page never got quiet (or the event never came).
    settle(quietMs, timeoutMs, needReady = false) {
      const started = now();
      return new Promise((resolve) => {
        const check = () => {
          const t = now();
          const last = Math.max(state.lastMutation ?? 0, state.lastFetchEnd, state.t0 ?? 0, started);
          const frameDone = state.lastMutation === null || (state.frameCovers ?? -1) >= state.lastMutation;
          const readyOk = !needReady || (state.ready !== null && (state.readyFrame !== null || state.frameCovers >= state.ready));
          if (state.t0 !== null && state.inflight === 0 && frameDone && readyOk && t - last >= quietMs) {
            resolve({ ...result(), timedOut: false });
          } else if (t - started > timeoutMs) {
            resolve({ ...result(), timedOut: true });
          } else {
            setTimeout(check, Math.min(50, quietMs / 2));
          }
        };
        setTimeout(check, Math.min(50, quietMs / 2));
      });
    },
    // The navigation: time 0 is its start.
    load() {
      const resources = performance.getEntriesByType("resource").map((r) => ({
        name: r.name,
        type: r.initiatorType,
        start: r.startTime,
        end: r.responseEnd,
        transfer: r.transferSize,
        encoded: r.encodedBodySize,
        decoded: r.decodedBodySize,
      }));
      const nav = performance.getEntriesByType("navigation")[0];
      return {
        ...result(),
        resources,
        document: nav
          ? { end: nav.responseEnd, transfer: nav.transferSize, encoded: nav.encodedBodySize, domContentLoaded: nav.domContentLoadedEventEnd }
          : null,
        wasm: state.wasm.map((w) => ({ how: w.how, start: w.start, end: w.end })),
        longTasks: state.longTasks.slice(),
      };
    },
    wasmMemoryBytes() {
      let bytes = 0;
      for (const w of state.wasm) {
        const exports = w.instance ? w.instance.exports : {};
        for (const value of Object.values(exports)) {
          if (value instanceof WebAssembly.Memory) bytes += value.buffer.byteLength;
        }
      }
      return bytes;
    },
  };
})();
