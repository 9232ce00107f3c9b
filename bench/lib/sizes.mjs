// Sizes of the files a page loads: raw, gzip and brotli (what they would be if served
// compressed): -9 and -11 for static files (compressed once, ahead of time), 6 and 5 for API
// answers (compressed per response).
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

export function compressedSizes(file, { gzip = 9, brotli = 11 } = {}) {
  const raw = fs.readFileSync(file);
  return {
    file: path.basename(file),
    raw: raw.length,
    gzip: zlib.gzipSync(raw, { level: gzip }).length,
    brotli: zlib.brotliCompressSync(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: brotli,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }).length,
  };
}

export function total(rows) {
  return rows.reduce((sum, r) => ({ raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip, brotli: sum.brotli + r.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
}
