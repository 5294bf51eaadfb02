import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Real engines for the integration tests: Debian's nats-server, postgresql and
 * redis-server (`.ci/run` installs them; so does `npm test` through
 * scripts/ensure-engines.sh when it runs as root). A missing binary fails the test
 * with the install command; nothing is skipped.
 */
export const ENGINE_PACKAGES = { "nats-server": "nats-server", postgres: "postgresql", "redis-server": "redis-server" } as const;

/** Versions the package pins on its targets, to say where the tested engine differs. */
export const PINNED_ENGINES = {
  "nats-server": "2.11.9 (nats chart 1.3.14, container.image.tag 2.11.9-alpine)",
  postgres: "RDS PostgreSQL 17 on AWS (state-shape.ts); CloudNativePG 1.30's default image on Kubernetes (the Cluster sets no imageName)",
  "redis-server": "Valkey 9.1.1 on Kubernetes (valkey chart appVersion at 0.11.0; 1.0.0 pinned); ElastiCache engine valkey on AWS",
} as const;

/** Absolute path of an engine binary, or a failure that says how to install it. */
export function engineBinary(name: "nats-server" | "redis-server" | "redis-cli" | "postgres" | "initdb" | "pg_ctl" | "psql"): string {
  const pg = (existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql", { withFileTypes: true }) : []).filter((d) => d.isDirectory()).map((d) => d.name).sort((a, b) => Number(b) - Number(a));
  const candidates = ["postgres", "initdb", "pg_ctl", "psql"].includes(name) ? pg.map((v) => `/usr/lib/postgresql/${v}/bin/${name}`) : [`/usr/bin/${name}`, `/usr/sbin/${name}`, `/usr/local/bin/${name}`];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    const pkg = name.startsWith("redis") ? "redis-server" : name === "nats-server" ? "nats-server" : "postgresql";
    throw new Error(`engine binary '${name}' is missing: install it with \`apt-get install -y ${pkg}\` (.ci/run does; as root, \`npm test\` does through scripts/ensure-engines.sh)`);
  }
  return found;
}

/** `<binary> --version` (or the given flag), first line. */
export function engineVersion(binary: string, flag = "--version"): string {
  const r = spawnSync(binary, [flag], { encoding: "utf8", timeout: 10_000 });
  return `${r.stdout}${r.stderr}`.split("\n")[0].trim();
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `microagents-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A server process the test owns: output kept for failure messages, stopped (then killed) at the end. */
export interface EngineProcess {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function startProcess(command: string, args: ReadonlyArray<string>, options: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number } = {}): EngineProcess {
  const child = spawn(command, [...args], { env: options.env ?? process.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"], ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}) });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return {
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Polls until `ready` resolves true, or fails with the process output after `timeoutMs`. */
export async function waitFor(what: string, ready: () => Promise<boolean> | boolean, timeoutMs: number, proc?: EngineProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.child.exitCode !== null) throw new Error(`${what}: the process exited (${proc.child.exitCode}):\n${proc.output()}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms${proc ? `:\n${proc.output()}` : ""}`);
}
