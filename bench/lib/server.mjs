// The release server on a free port, with a temporary database and the bench's host page.
import { spawn } from "node:child_process";
import { once } from "node:events";

/** Starts `binary` and resolves to { url, stop() } once it listens. */
export async function startServer({ binary, db, dist, host, log }) {
  const args = [
    "--addr", "127.0.0.1:0", // the OS picks a free port; the server prints it
    "--db", db,
    "--dist", dist,
    "--demo",
    "--no-scheduler",
    "--example-host", host,
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } });
  let output = "";
  child.stderr.on("data", (d) => {
    output += d;
    log?.(String(d));
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`services-server did not start in 60 s:\n${output}`)), 60_000);
    child.stdout.on("data", (d) => {
      output += d;
      const m = /Patchworks services list: (http:\/\/[^\s/]+)\//.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`services-server exited (${code}):\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await once(child, "exit");
      clearTimeout(timer);
    },
  };
}
