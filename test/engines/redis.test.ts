import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cacheAccessString, cacheKeyPrefix as awsCacheKeyPrefix, CACHE_USERS_PER_GROUP, cacheUsers } from "../../lib/targets/aws/state-shape";
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
/** Commands the agent `writer` may not run on either cloud: the other agent's keys, unprefixed keys, key listing, flushing, administration. */
const FORBIDDEN_TO_WRITER: ReadonlyArray<ReadonlyArray<string>> = [
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
];
const password = (user: string) => `pw-${user}-0123456789`;
/** The results-cache users of a fleet too large for one user group per agent. */
const sharedUsers = cacheUsers("acme-prod", Array.from({ length: CACHE_USERS_PER_GROUP }, (_, i) => `agent-${i}`));

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
    for (const command of [...FORBIDDEN_TO_WRITER, ["PUBLISH", "reader:events", "x"]]) {
      assert.match(cli(port, "writer", password("writer"), ...command), /NOPERM/, command.join(" "));
    }
    assert.equal(cli(port, "reader", password("reader"), "GET", "reader:mine"), "x", "the other agent's value is untouched");
    assert.match(cli(port, "writer", password("reader"), "PING"), /WRONGPASS/, "a user's password is its own");
    assert.equal(cli(port, "default", password("default"), "DBSIZE"), "1", "the default user administers the whole cache");
  });

  it("AWS: ElastiCache's default user is off, and an agent user reaches its own keys with data commands", () => {
    const { port } = aws;
    const users = cacheUsers("acme-prod", AGENTS);
    assert.deepEqual(users.map((u) => u.agents), [["writer"], ["reader"]], "one user per agent in a small fleet");
    // ElastiCache applies the access string to a fresh user; `reset` stands for that here (an access string may not hold it).
    // The shared user of a large fleet (the last test) is created here too, while `default` may still administer.
    for (const u of [...users, ...sharedUsers]) assert.equal(cli(port, "default", "", "ACL", "SETUSER", u.id, "reset", ...cacheAccessString(u).split(" "), `>${password(u.id)}`), "OK");
    // ElastiCache's user `default` of the fleet's user group: "off -@all" (state-store.ts).
    assert.equal(cli(port, "default", "", "ACL", "SETUSER", "default", "reset", "off", "-@all"), "OK");
    assert.match(cli(port, "default", "", "PING"), /NOAUTH|WRONGPASS|disabled/i, "nobody gets in as default");
    const [writer, reader] = users;
    const as = (u: { id: string }, ...command: string[]) => cli(port, u.id, password(u.id), ...command);
    const own = `${awsCacheKeyPrefix("writer")}result:7`;
    assert.equal(as(writer, "PING"), "PONG");
    assert.equal(as(writer, "HELLO", "3", "AUTH", writer.id, password(writer.id)).includes("redis"), true, "HELLO with AUTH");
    assert.equal(as(writer, "AUTH", writer.id, password(writer.id)), "OK");
    assert.equal(as(writer, "SET", own, "v", "EX", "60"), "OK");
    assert.equal(as(writer, "GET", own), "v");
    assert.equal(as(writer, "EXPIRE", own, "120"), "1");
    assert.match(as(writer, "TTL", own), /^1[0-2][0-9]$/);
    assert.equal(as(writer, "MSET", `${own}:a`, "1", `${own}:b`, "2"), "OK");
    assert.equal(as(writer, "MGET", `${own}:a`, `${own}:b`), "1\n2");
    assert.equal(as(writer, "HSET", `${own}:h`, "f", "x"), "1");
    assert.equal(as(writer, "HGET", `${own}:h`, "f"), "x");
    assert.equal(as(writer, "DEL", `${own}:a`, `${own}:b`, `${own}:h`), "3");
    assert.match(as(writer, "PUBLISH", `${awsCacheKeyPrefix("writer")}events`, "x"), /NOPERM/, "no Pub/Sub commands, even on its own channels (@pubsub is not granted)");
    assert.equal(as(reader, "SET", "reader:mine", "x"), "OK");
  });

  it("AWS: and nothing else: other agents' keys and channels, key listing, flushing, administration", () => {
    const { port } = aws;
    const [writer] = cacheUsers("acme-prod", AGENTS);
    for (const command of [...FORBIDDEN_TO_WRITER, ["CLIENT", "LIST"], ["PUBLISH", "reader:events", "x"], ["SAVE"], ["SHUTDOWN"]]) {
      assert.match(cli(port, writer.id, password(writer.id), ...command), /NOPERM/, command.join(" "));
    }
    const reader = cacheUsers("acme-prod", AGENTS)[1];
    assert.equal(cli(port, reader.id, password(reader.id), "GET", "reader:mine"), "x", "the other agent's value is untouched");
  });

  it("AWS: a large fleet's shared user reaches every key, still without flushing, key listing or administration", () => {
    const { port } = aws;
    assert.equal(sharedUsers.length, 1, "one shared user");
    const [shared] = sharedUsers;
    const as = (...command: string[]) => cli(port, shared.id, password(shared.id), ...command);
    assert.equal(as("SET", `${awsCacheKeyPrefix("agent-7")}result`, "v", "EX", "60"), "OK");
    assert.equal(as("GET", `${awsCacheKeyPrefix("agent-7")}result`), "v");
    for (const command of [["KEYS", "*"], ["SCAN", "0"], ["RANDOMKEY"], ["FLUSHALL"], ["FLUSHDB"], ["CONFIG", "GET", "*"], ["CLIENT", "KILL", "ID", "1"], ["ACL", "LIST"]]) {
      assert.match(as(...command), /NOPERM/, command.join(" "));
    }
  });
});
