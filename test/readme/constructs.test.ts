import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse as parseYaml, stringify } from "yaml";
import { runOffline } from "../../lib/offline/engine";

const ROOT = join(__dirname, "..", "..");
const HEADING = "### AgentPlatform, AgentBroker, MicroAgentService, GpuAgentPool, AgentStateStore, AgentGateway, ObservabilityStack";

/** The README's construct snippet, as written, importing this repository's lib/ for "microagents". */
function snippet(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const at = readme.indexOf(HEADING);
  assert.ok(at >= 0, "the README's construct section");
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, "its first TypeScript block");
  return m[1].replace('from "microagents"', `from ${JSON.stringify(join(ROOT, "lib"))}`);
}

/** The snippet's fleet file on another runtime (AWS routes go to the agent or to the legacy backend, never split). */
function fleetOn(runtime: "ecs" | "eks", dir: string): string {
  const doc = parseYaml(readFileSync(join(ROOT, "agents", "acme-support.fleet.yaml"), "utf8")) as { spec: { targets: unknown[]; agents: Array<{ route?: { weight?: number } }> } };
  doc.spec.targets = [{ runtime, region: "us-east-1" }];
  for (const a of doc.spec.agents) if (a.route?.weight !== undefined) a.route.weight = 100;
  const path = join(dir, `acme-support.${runtime}.fleet.yaml`);
  writeFileSync(path, stringify(doc));
  return path;
}

describe("the README's construct snippet runs as written", () => {
  for (const runtime of ["kubernetes", "ecs", "eks"] as const) {
    it(`on ${runtime}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "readme-"));
      let code = snippet();
      if (runtime !== "kubernetes") code = code.replace('"agents/acme-support.fleet.yaml"', JSON.stringify(fleetOn(runtime, dir)));
      const program = join(dir, "index.ts");
      writeFileSync(program, code);
      const g = await runOffline(program);
      const types = new Set(g.resources.map((r) => r.type));
      for (const t of ["microagents:platform:AgentPlatform", "microagents:gpu:GpuAgentPool", "microagents:state:AgentStateStore", "microagents:gateway:AgentGateway", "microagents:observability:ObservabilityStack"]) assert.ok(types.has(t), `${t} on ${runtime}`);
      assert.equal(g.resources.filter((r) => r.type === "microagents:service:MicroAgentService").length, 5);
      assert.deepEqual(g.resources.filter((r) => r.type === "microagents:gpu:GpuAgentPool").map((r) => r.name), ["acme-inference"], "the GPU agents' services built their pool once");
    });
  }
});
