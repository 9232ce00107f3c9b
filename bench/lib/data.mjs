// The data of a benchmark: a fresh database whose group 1 holds `size` services.
//
// The one place the bench makes its data: the release server creates the database (migrations
// and the demo data, `--demo`) and stops, then `services-server generate` (the server's load
// generator) grows group 1 to `size` services.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { startServer } from "./server.mjs";

/** Services in group 1 of the demo data. */
const DEMO_GROUP_1 = 64;

export async function makeDatabase({ binary, dist, host, dir, size }) {
  const db = path.join(dir, `services-${size}.sqlite3`);
  const server = await startServer({ binary, db, dist, host });
  await server.stop();
  const more = Math.max(0, size - DEMO_GROUP_1);
  if (more > 0) {
    execFileSync(binary, ["generate", "--db", db, "--group", "1", "--services", String(more)], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, RUST_LOG: "warn" },
    });
  }
  return db;
}
