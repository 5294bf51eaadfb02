import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CACHE_AGENT_ACCESS, cacheUsers } from "../../lib/targets/aws/state-shape";
import { cacheKeyPrefix, valkeyAclUsers } from "../../lib/targets/kubernetes/state-store";
import { engineBinary, engineVersion, freePort, PINNED_ENGINES, startProcess, tempDir, waitFor, type EngineProcess } from "./engines";

/**
 * The results-cache ACLs on a real redis-server (the protocol and ACL rules Valkey and
 * ElastiCache implement): the Kubernetes target's Valkey users, written to an ACL file
 * exactly as the valkey chart's init script does (`user <name> on #<sha256> <permissions>`,
 * templates/init_config.yaml), and the AWS target's ElastiCache access strings applied
 * with ACL SETUSER (password instead of IAM authentication, which is the only difference
 * a client sees).
 */
const AGENTS = ["writer", "reader"];
const password = (user: string) => `pw-${user}-0123456789`;

async function startRedis(dir: string, extra: ReadonlyArray<string>): Promise<{ server: EngineProcess; port: number }> {
  const port = await freePort();
  const server = startProcess(engineBinary("redis-server"), ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, ...extra]);
  await waitFor("redis-server", () => server.output().includes("Ready to accept connections"), 15_000, server);
  return { server, port };
}

/** One command through redis-cli as a user; the reply text (errors such as NOPERM come back as text, exit code 0). */
function cli(port: number, user: string, pass: string, ...command: string[]): string {
  const r = spawnSync(engineBinary("redis-cli"), ["-p", String(port), "--user", user, "--pass", pass, "--no-auth-warning", ...command], { encoding: "utf8", timeout: 10_000 });
  assert.equal(r.status, 0, r.stderr);
  return `${r.stdout}${r.stderr}`.trim();
}

describe(`results-cache ACLs on a real redis-server (${engineVersion(engineBinary("redis-server"))}; pinned: ${PINNED_ENGINES["redis-server"]})`, { timeout: 60_000 }, () => {
  const dir = tempDir("redis");
  let kubernetes: { server: EngineProcess; port: number };
  let aws: { server: EngineProcess; port: number };

  before(async () => {
    const users = valkeyAclUsers(AGENTS);
    const lines = Object.entries(users).map(([name, u]) => `user ${name} on #${createHash("sha256").update(password(u.passwordKey)).digest("hex")} ${u.permissions}`);
    writeFileSync(join(dir.path, "users.acl"), `${lines.join("\n")}\n`);
    kubernetes = await startRedis(dir.path, ["--aclfile", join(dir.path, "users.acl")]);
    aws = await startRedis(dir.path, []);
  });

  after(async () => {
    await kubernetes?.server.stop();
    await aws?.server.stop();
    dir.remove();
  });

  it("Kubernetes: an agent's Valkey user reaches its own keys, with TTLs", () => {
    const { port } = kubernetes;
    const own = `${cacheKeyPrefix("writer")}result:42`;
    assert.equal(cli(port, "writer", password("writer"), "SET", own, "done", "EX", "3600"), "OK");
    assert.equal(cli(port, "writer", password("writer"), "GET", own), "done");
    assert.match(cli(port, "writer", password("writer"), "TTL", own), /^3[0-9]{3}$/);
    assert.equal(cli(port, "writer", password("writer"), "DEL", own), "1");
    assert.equal(cli(port, "writer", password("writer"), "PING"), "PONG");
  });

  it("Kubernetes: and nothing else: other agents' keys, key listing, flushing, administration, channels", () => {
    const { port } = kubernetes;
    assert.equal(cli(port, "reader", password("reader"), "SET", "reader:mine", "x"), "OK");
    for (const command of [
      ["GET", "reader:mine"],
      ["SET", "reader:mine", "overwritten"],
      ["DEL", "reader:mine"],
      ["SET", "unprefixed", "x"],
      ["KEYS", "*"],
      ["SCAN", "0"],
      ["RANDOMKEY"],
      ["FLUSHALL"],
      ["FLUSHDB"],
      ["CONFIG", "GET", "*"],
      ["ACL", "LIST"],
      ["CLIENT", "KILL", "ID", "1"],
      ["PUBLISH", "reader:events", "x"],
    ]) {
      assert.match(cli(port, "writer", password("writer"), ...command), /NOPERM/, command.join(" "));
    }
    assert.equal(cli(port, "reader", password("reader"), "GET", "reader:mine"), "x", "the other agent's value is untouched");
    assert.match(cli(port, "writer", password("reader"), "PING"), /WRONGPASS/, "a user's password is its own");
    assert.equal(cli(port, "default", password("default"), "DBSIZE"), "1", "the default user administers the whole cache");
  });

  it("AWS: ElastiCache's default user is off, and an agent user can use data commands only", () => {
    const { port } = aws;
    const users = cacheUsers("acme-prod", AGENTS);
    assert.deepEqual(users.map((u) => u.agents), [["writer"], ["reader"]], "one user per agent in a small fleet");
    // ElastiCache's user `default` of the fleet's user group: "off -@all" (state-store.ts).
    for (const u of users) assert.equal(cli(port, "default", "", "ACL", "SETUSER", u.id, "reset", ...CACHE_AGENT_ACCESS.split(" "), `>${password(u.id)}`), "OK");
    assert.equal(cli(port, "default", "", "ACL", "SETUSER", "default", "reset", "off", "-@all"), "OK");
    assert.match(cli(port, "default", "", "PING"), /NOAUTH|WRONGPASS|disabled/i, "nobody gets in as default");
    const writer = users[0];
    const own = `${cacheKeyPrefix("writer")}result:7`;
    assert.equal(cli(port, writer.id, password(writer.id), "SET", own, "v", "EX", "60"), "OK");
    assert.equal(cli(port, writer.id, password(writer.id), "GET", own), "v");
    for (const command of [
      ["CONFIG", "GET", "*"],
      ["ACL", "LIST"],
      ["SAVE"],
      ["SHUTDOWN"],
    ]) {
      assert.match(cli(port, writer.id, password(writer.id), ...command), /NOPERM/, command.join(" "));
    }
  });
});
