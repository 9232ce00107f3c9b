// What the wasm is made of: a name-section analysis of a build with function names (the same
// code as dist/'s, see bench/run.mjs), by function, by crate and by generic function (how many
// monomorphised copies each has).
import fs from "node:fs";

function reader(bytes) {
  let at = 0;
  const u32 = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  return {
    get at() {
      return at;
    },
    set at(v) {
      at = v;
    },
    u8: () => bytes[at++],
    u32,
    name: () => {
      const len = u32();
      const s = new TextDecoder().decode(bytes.subarray(at, at + len));
      at += len;
      return s;
    },
  };
}

/** Sections, function body sizes and names of a wasm binary. */
export function parseWasm(file) {
  const bytes = fs.readFileSync(file);
  const r = reader(bytes);
  r.at = 8;
  const sections = [];
  let importedFunctions = 0;
  const bodies = [];
  const names = new Map();
  let dataBytes = 0;
  while (r.at < bytes.length) {
    const id = r.u8();
    const size = r.u32();
    const start = r.at;
    const end = start + size;
    let label = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"][id] ?? `#${id}`;
    if (id === 0) {
      const custom = r.name();
      label = `custom "${custom}"`;
      if (custom === "name") {
        while (r.at < end) {
          const sub = r.u8();
          const subSize = r.u32();
          const subEnd = r.at + subSize;
          if (sub === 1) {
            const count = r.u32();
            for (let i = 0; i < count; i += 1) {
              const index = r.u32();
              names.set(index, r.name());
            }
          }
          r.at = subEnd;
        }
      }
    } else if (id === 2) {
      const count = r.u32();
      for (let i = 0; i < count; i += 1) {
        r.name();
        r.name();
        const kind = r.u8();
        if (kind === 0) {
          importedFunctions += 1;
          r.u32();
        } else if (kind === 1) {
          r.u8();
          const flags = r.u8();
          r.u32();
          if (flags & 1) r.u32();
        } else if (kind === 2) {
          const flags = r.u8();
          r.u32();
          if (flags & 1) r.u32();
        } else if (kind === 3) {
          r.u8();
          r.u8();
        } else if (kind === 4) {
          r.u8();
          r.u32();
        }
      }
    } else if (id === 10) {
      const count = r.u32();
      for (let i = 0; i < count; i += 1) {
        const bodySize = r.u32();
        bodies.push({ index: importedFunctions + i, size: bodySize });
        r.at += bodySize;
      }
    } else if (id === 11) {
      dataBytes = size;
    }
    sections.push({ id, label, size });
    r.at = end;
  }
  const functions = bodies.map((b) => ({ ...b, name: names.get(b.index) ?? `func[${b.index}]` }));
  return { bytes: bytes.length, sections, functions, dataBytes, named: names.size > 0 };
}

/**
 * A readable function name: crate disambiguators (`tachys[f21cc8a2110a7cd4]`) and legacy hashes
 * (`::h0123…`) dropped; legacy `_ZN…E` names demangled (wasm-bindgen demangles v0 names).
 */
export function cleanName(name) {
  let n = name;
  if (n.startsWith("_ZN")) n = demangleLegacy(n) ?? n;
  return n.replace(/\[[0-9a-f]{1,16}\]/g, "").replace(/::h[0-9a-f]{16}$/, "");
}

function demangleLegacy(sym) {
  let at = 3;
  const parts = [];
  while (at < sym.length && sym[at] !== "E") {
    const m = /^\d+/.exec(sym.slice(at));
    if (!m) return null;
    at += m[0].length;
    parts.push(sym.slice(at, at + Number(m[0])));
    at += Number(m[0]);
  }
  const map = { $LT$: "<", $GT$: ">", $RF$: "&", $BP$: "*", $LP$: "(", $RP$: ")", $C$: ",", $SP$: "@", $u20$: " ", $u27$: "'", $u5b$: "[", $u5d$: "]", $u7b$: "{", $u7d$: "}", $u7e$: "~", $u3b$: ";", $u2b$: "+", $u22$: '"' };
  return parts
    .map((p) => p.replace(/\$[A-Za-z0-9]+\$/g, (m) => map[m] ?? m).replace(/\.\./g, "::").replace(/^_\$/, "$"))
    .join("::");
}

/** The name without generic arguments: one entry for all monomorphised copies of a function. */
export function genericName(name) {
  const n = cleanName(name);
  let out = "";
  for (let i = 0; i < n.length; i += 1) {
    const c = n[i];
    const opensArgs = c === "<" && i > 0 && /[A-Za-z0-9_:]/.test(n[i - 1]);
    if (!opensArgs) {
      out += c;
      continue;
    }
    let depth = 1;
    let j = i + 1;
    for (; j < n.length && depth > 0; j += 1) {
      if (n[j] === "<") depth += 1;
      else if (n[j] === ">" && n[j - 1] !== "-") depth -= 1;
    }
    if (out.endsWith("::")) out = out.slice(0, -2);
    else out += "<…>";
    i = j - 1;
  }
  return out;
}

const STD = new Set(["core", "alloc", "std"]);

/**
 * The crate whose code a function is: the first path of its name; for `<A as B>::f`, A's crate,
 * or B's when A is a tuple, a reference, a closure or a standard-library type.
 */
export function crateOf(name) {
  const n = cleanName(name);
  if (/^__wbg|^__wbindgen|^__externref|^wasm_bindgen|externref shim|multivalue shim|^intounderlying|^mounthandle_|^__original_main/.test(n)) return "wasm_bindgen";
  // Inherent methods of primitive types (`<str>::to_lowercase`, `<[T]>::sort`) are core's.
  if (/^<(str|char|bool|[iuf](8|16|32|64|128|size)|\[|\(|&|\*)/.test(n) && !n.includes(" as ")) return "core";
  if (/^func(\[\d+\])?$/.test(n)) return "(unnamed: made by wasm-opt)";
  const lead = (s) => /^[&*\s]*(?:mut |dyn |const )?([A-Za-z_][A-Za-z0-9_]*)::/.exec(s)?.[1] ?? null;
  if (n.startsWith("<")) {
    // Split `<A as B>` at the top level.
    let depth = 0;
    for (let i = 0; i < n.length; i += 1) {
      if (n[i] === "<") depth += 1;
      else if (n[i] === ">" && n[i - 1] !== "-") depth -= 1;
      if (depth === 1 && n.startsWith(" as ", i)) {
        const self = lead(n.slice(1, i));
        const trait = lead(n.slice(i + 4));
        if (self && !STD.has(self)) return self;
        return trait ?? self ?? "(other)";
      }
    }
    return lead(n.slice(1)) ?? "(other)";
  }
  const m = lead(n);
  if (m) return m;
  if (/^(memcpy|memset|memmove|memcmp|bcmp|strlen|__rust|rust_|dlmalloc|__rdl|__rg)/.test(n)) return "std";
  return "(other)";
}

/** Whether a function was generated for the app's own types (its name mentions them). */
export function forAppTypes(name) {
  return /services_list::|services_model::/.test(cleanName(name)) && !/^services_(list|model)::/.test(cleanName(name));
}

export function sizeMap(file, top = 20) {
  const wasm = parseWasm(file);
  const code = wasm.sections.find((s) => s.id === 10)?.size ?? 0;
  const byCrate = new Map();
  const byGeneric = new Map();
  for (const f of wasm.functions) {
    const crate = crateOf(f.name);
    const c = byCrate.get(crate) ?? { crate, size: 0, functions: 0 };
    c.size += f.size;
    c.functions += 1;
    byCrate.set(crate, c);
    const clean = genericName(f.name);
    const g = byGeneric.get(clean) ?? { name: clean, size: 0, copies: 0 };
    g.size += f.size;
    g.copies += 1;
    byGeneric.set(clean, g);
  }
  const appTypes = wasm.functions.filter((f) => forAppTypes(f.name));
  const biggest = [...wasm.functions].sort((a, b) => b.size - a.size).slice(0, top).map((f) => ({ name: cleanName(f.name), size: f.size, crate: crateOf(f.name) }));
  return {
    file,
    bytes: wasm.bytes,
    named: wasm.named,
    sections: wasm.sections,
    functionCount: wasm.functions.length,
    codeBytes: code,
    dataBytes: wasm.dataBytes,
    appTypes: { size: appTypes.reduce((s, f) => s + f.size, 0), functions: appTypes.length },
    crates: [...byCrate.values()].sort((a, b) => b.size - a.size),
    functions: biggest,
    generics: [...byGeneric.values()].filter((g) => g.copies > 1).sort((a, b) => b.size - a.size).slice(0, top),
  };
}
