import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chownSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DATABASE, STATE_SCHEMA, STATE_SCHEMA_SQL } from "../../lib/targets/kubernetes/state-store";
import { engineBinary, engineVersion, freePort, PINNED_ENGINES, startProcess, tempDir, waitFor, type EngineProcess } from "./engines";

/**
 * The state store's bootstrap on a real PostgreSQL, the way CloudNativePG runs it:
 * initdb, the application owner role and database (`bootstrap.initdb.owner` /
 * `database`), then the package's postInitApplicationSQL as the superuser in the
 * application database. Then the agent's role (the application user agents log in
 * as) may do what agents need and nothing else. initdb refuses root, so as root the
 * server runs as the `postgres` user the Debian package creates.
 */
const PASSWORD = "agent-password-for-tests";

function postgresUser(): { uid?: number; gid?: number; name: string } {
  if (process.getuid?.() !== 0) return { name: userInfo().username };
  const id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (id.status !== 0) throw new Error("running as root needs the `postgres` user (apt-get install -y postgresql creates it)");
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()), name: "postgres" };
}

describe(`PostgreSQL bootstrap and agent grants (${engineVersion(engineBinary("postgres"))}; pinned: ${PINNED_ENGINES.postgres})`, { timeout: 90_000 }, () => {
  const dir = tempDir("pg");
  const user = postgresUser();
  let server: EngineProcess;
  let port = 0;

  /** psql as the superuser over the socket, or as the agent over TCP with its password; ON_ERROR_STOP. */
  const psql = (sql: string, as: "superuser" | "agent", database = DATABASE) => {
    const args = as === "superuser" ? ["-h", dir.path, "-p", String(port), "-U", user.name, "-d", database] : ["-h", "127.0.0.1", "-p", String(port), "-U", DATABASE, "-d", database];
    const r = spawnSync(engineBinary("psql"), [...args, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql], {
      encoding: "utf8",
      timeout: 15_000,
      env: { ...process.env, PGPASSWORD: PASSWORD, PGCONNECT_TIMEOUT: "5" },
      ...(user.uid !== undefined ? { uid: user.uid, gid: user.gid } : {}),
    });
    return { ok: r.status === 0, out: r.stdout.trim(), err: r.stderr.trim() };
  };
  const allowed = (sql: string) => {
    const r = psql(sql, "agent");
    assert.ok(r.ok, `the agent may: ${sql}\n${r.err}`);
    return r.out;
  };
  const denied = (sql: string, why: RegExp) => {
    const r = psql(sql, "agent");
    assert.ok(!r.ok, `the agent must not: ${sql}`);
    assert.match(r.err, why, sql);
  };

  before(async () => {
    if (user.uid !== undefined) chownSync(dir.path, user.uid, user.gid ?? user.uid);
    const data = join(dir.path, "data");
    const pw = join(dir.path, "pw");
    writeFileSync(pw, `${PASSWORD}\n`);
    if (user.uid !== undefined) chownSync(pw, user.uid, user.gid ?? user.uid);
    const as = user.uid !== undefined ? { uid: user.uid, gid: user.gid } : {};
    const init = spawnSync(engineBinary("initdb"), ["-D", data, "-U", user.name, "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-instructions"], { encoding: "utf8", timeout: 60_000, ...as });
    assert.equal(init.status, 0, `initdb: ${init.stderr}`);
    port = await freePort();
    server = startProcess(engineBinary("postgres"), ["-D", data, "-p", String(port), "-k", dir.path, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"], as);
    await waitFor("postgres", () => psql("SELECT 1", "superuser", "postgres").ok, 30_000, server);
    // What CNPG does before the post-init SQL: the owner role (with the app Secret's password) and the database.
    for (const sql of [`CREATE ROLE ${DATABASE} LOGIN PASSWORD '${PASSWORD}'`, `CREATE DATABASE ${DATABASE} OWNER ${DATABASE}`]) {
      const r = psql(sql, "superuser", "postgres");
      assert.ok(r.ok, `${sql}: ${r.err}`);
    }
    const bootstrap = psql(STATE_SCHEMA_SQL, "superuser");
    assert.ok(bootstrap.ok, `the package's bootstrap SQL: ${bootstrap.err}`);
  });

  after(async () => {
    await server?.stop();
    dir.remove();
  });

  it("creates the task table and the context store", () => {
    const tables = psql(`SELECT table_name FROM information_schema.tables WHERE table_schema = '${STATE_SCHEMA}' ORDER BY 1`, "superuser").out.split("\n");
    assert.deepEqual(tables, ["context", "tasks"]);
    const columns = psql(`SELECT column_name FROM information_schema.columns WHERE table_schema = '${STATE_SCHEMA}' AND table_name = 'tasks' ORDER BY ordinal_position`, "superuser").out.split("\n");
    assert.deepEqual(columns, ["id", "agent", "status", "priority", "payload", "result", "error", "attempts", "parent_id", "created_at", "updated_at"]);
    // Re-running the bootstrap is harmless (IF NOT EXISTS everywhere).
    assert.ok(psql(STATE_SCHEMA_SQL, "superuser").ok);
  });

  it("the agent reads and writes tasks and context through its default search_path", () => {
    const id = allowed(`INSERT INTO tasks (agent, payload, priority) VALUES ('triage', '{"q": 1}', 7) RETURNING id`);
    assert.match(id, /^[0-9a-f-]{36}$/);
    allowed(`UPDATE tasks SET status = 'running', attempts = attempts + 1, updated_at = now() WHERE id = '${id}'`);
    assert.equal(allowed(`SELECT status || ':' || priority FROM tasks WHERE id = '${id}'`), "running:7");
    allowed(`INSERT INTO context (scope, key, value) VALUES ('session-1', 'summary', '"hi"') ON CONFLICT (scope, key) DO UPDATE SET value = EXCLUDED.value`);
    assert.equal(allowed(`SELECT value #>> '{}' FROM ${STATE_SCHEMA}.context WHERE scope = 'session-1'`), "hi");
    allowed(`DELETE FROM context WHERE scope = 'session-1'`);
    // The table's own checks hold for the agent too.
    denied(`INSERT INTO tasks (agent, payload, priority) VALUES ('triage', '{}', 12)`, /violates check constraint/);
  });

  it("the agent cannot change the schema, empty the tables or reach beyond them", () => {
    denied(`DROP TABLE ${STATE_SCHEMA}.tasks`, /must be owner of table tasks/);
    denied(`ALTER TABLE ${STATE_SCHEMA}.tasks ADD COLUMN x int`, /must be owner of table tasks/);
    denied(`TRUNCATE ${STATE_SCHEMA}.context`, /permission denied for table context/);
    denied(`CREATE TABLE ${STATE_SCHEMA}.extra (x int)`, /permission denied for schema state/);
    denied(`DROP SCHEMA ${STATE_SCHEMA} CASCADE`, /must be owner of schema state/);
    // A GRANT by a role without grant option only warns; nothing reaches PUBLIC.
    assert.match(psql(`GRANT SELECT ON ${STATE_SCHEMA}.tasks TO PUBLIC`, "agent").err, /no privileges were granted/);
    assert.equal(psql(`SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = 'PUBLIC' AND table_schema = '${STATE_SCHEMA}'`, "superuser").out, "0");
    denied(`CREATE ROLE intruder LOGIN`, /permission denied to create role/);
    denied(`SELECT rolpassword FROM pg_authid`, /permission denied for table pg_authid/);
    denied(`COPY ${STATE_SCHEMA}.tasks TO '/tmp/tasks.csv'`, /permission denied|must be superuser|pg_write_server_files/);
  });
});
