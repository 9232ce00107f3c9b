// The data of a benchmark: a fresh database whose group 1 holds `size` services.
//
// The one place the bench makes its data. Today: the release server creates the database
// (migrations and the demo seed) and stops, then bench/generate.py grows group 1. When
// `services-server generate` (issue 11) lands, call it here instead.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { startServer } from "./server.mjs";

export async function makeDatabase({ binary, dist, host, dir, size, root }) {
  const db = path.join(dir, `services-${size}.sqlite3`);
  const server = await startServer({ binary, db, dist, host });
  await server.stop();
  execFileSync("python3", [path.join(root, "bench/generate.py"), db, "--group", "1", "--count", String(size)], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  return db;
}
