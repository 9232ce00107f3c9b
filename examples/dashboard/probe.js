// Diagnostics for the example host: counts the listeners on window and document and the timers
// the page has running, and keeps what was logged to the console, so you (and the end-to-end
// test) can check that unmounting the services list leaves nothing behind and logs no token.
(() => {
  const listeners = [];
  const intervals = new Set();
  const timeouts = new Set();
  const logged = [];
  const watched = (target) => target === window || target === document;
  const capture = (options) => (typeof options === "boolean" ? options : !!(options && options.capture));
  const name = (target) => (target === window ? "window" : "document");
  // Listeners that scripts injected by WebDriver add (axe-core in the tests) are not the page's.
  const page = (l) => !String(l.stack).includes("executeScript");

  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (watched(this) && listener && !(options && options.once)) {
      const c = capture(options);
      if (!listeners.some((l) => l.target === this && l.type === type && l.listener === listener && l.capture === c)) {
        listeners.push({ target: this, type, listener, capture: c, stack: new Error().stack });
      }
    }
    return add.call(this, type, listener, options);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    if (watched(this)) {
      const c = capture(options);
      const i = listeners.findIndex((l) => l.target === this && l.type === type && l.listener === listener && l.capture === c);
      if (i >= 0) listeners.splice(i, 1);
    }
    return remove.call(this, type, listener, options);
  };

  const setI = window.setInterval.bind(window);
  const clearI = window.clearInterval.bind(window);
  const setT = window.setTimeout.bind(window);
  const clearT = window.clearTimeout.bind(window);
  window.setInterval = (...args) => {
    const id = setI(...args);
    intervals.add(id);
    return id;
  };
  window.clearInterval = (id) => {
    intervals.delete(id);
    clearI(id);
  };
  window.setTimeout = (callback, ...rest) => {
    let id;
    const run = (...args) => {
      timeouts.delete(id);
      return typeof callback === "function" ? callback(...args) : undefined;
    };
    id = setT(run, ...rest);
    timeouts.add(id);
    return id;
  };
  window.clearTimeout = (id) => {
    timeouts.delete(id);
    clearT(id);
  };

  for (const level of ["log", "info", "warn", "error", "debug"]) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      logged.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(" "));
      original(...args);
    };
  }

  window.hostProbe = {
    listeners: () => listeners.filter(page).map((l) => `${name(l.target)}:${l.type}`).sort(),
    // Where each listener still registered was added, to find a leak.
    origins: () => listeners.filter(page).map((l) => `${name(l.target)}:${l.type} ${l.stack}`),
    intervals: () => intervals.size,
    timeouts: () => timeouts.size,
    logged: () => logged.slice(),
  };
})();
