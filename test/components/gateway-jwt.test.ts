import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AgentBroker } from "../../lib/components/agent-broker";
import { AgentGateway } from "../../lib/components/agent-gateway";
import { AgentPlatform } from "../../lib/components/agent-platform";
import { MicroAgentService } from "../../lib/components/micro-agent-service";
import type { JwtSettingsInput } from "../../lib/components/inputs";
import { runOffline } from "../../lib/offline/engine";
import { MicroAgentsConfigError } from "../../lib/spec/errors";
import type { FleetInput } from "../../lib/spec";
import { DIGEST } from "../helpers/fleets";
import { binary } from "../helpers/cli";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

const DECLARED = { issuer: "https://placeholder.acme.example/", jwksUri: "https://placeholder.acme.example/jwks.json", audiences: ["placeholder"] };
const later = <T>(value: T) => pulumi.output(new Promise<T>((done) => setTimeout(() => done(value), 5)));

function fleet(runtime: "kubernetes" | "ecs"): FleetInput {
  return {
    apiVersion: "microagents/v1",
    kind: "Fleet",
    metadata: { name: "acme" },
    spec: { tier: "small", environment: "prod", team: "platform", targets: [{ runtime, region: runtime === "ecs" ? "eu-west-1" : "local" }], agents: [{ name: "a", image: `ghcr.io/acme/a@${DIGEST}`, route: { path: "/a" } }], gateway: { jwt: DECLARED } },
  };
}

function gateway(runtime: "kubernetes" | "ecs", jwt: JwtSettingsInput) {
  const platform = new AgentPlatform("acme", { fleet: fleet(runtime) });
  const broker = new AgentBroker("acme", { platform });
  const service = new MicroAgentService("acme-a", { platform, agent: "a", broker });
  new AgentGateway("acme-gateway", { platform, services: [service], broker, jwt });
}

describe("AgentGateway takes computed JWT settings", () => {
  it("kubernetes: the route's SecurityPolicy verifies tokens against the resolved issuer, JWKS and audiences", async () => {
    const g = await runOffline(() => gateway("kubernetes", { issuer: later("https://login.acme.example/tenant/"), jwksUri: later("https://login.acme.example/tenant/keys"), audiences: later(["api://agents"]) }));
    const policy = g.resources.find((r) => r.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy" && (r.inputs.metadata as { name: string }).name === "a");
    assert.ok(policy, g.resources.filter((r) => r.type.includes("SecurityPolicy")).map((r) => r.name).join(", "));
    assert.deepEqual((policy.inputs.spec as { jwt: unknown }).jwt, { providers: [{ name: "acme", issuer: "https://login.acme.example/tenant/", audiences: ["api://agents"], remoteJWKS: { uri: "https://login.acme.example/tenant/keys" } }] });
  });

  it("checked when they resolve, by the fleet file's rules: exit 2 with jwt.<field>: message (hint)", () => {
    // In a child process: the rejected Output is an unhandled rejection in Pulumi's runtime, as under `pulumi up`.
    const program = join(mkdtempSync(join(tmpdir(), "jwt-")), "index.ts");
    writeFileSync(
      program,
      [
        `import * as pulumi from ${JSON.stringify(join(ROOT, "node_modules", "@pulumi", "pulumi"))};`,
        `import { AgentBroker, AgentGateway, AgentPlatform, MicroAgentService } from ${JSON.stringify(join(ROOT, "lib"))};`,
        `const platform = new AgentPlatform("acme", { fleet: ${JSON.stringify(fleet("kubernetes"))} });`,
        `const broker = new AgentBroker("acme", { platform });`,
        `const service = new MicroAgentService("acme-a", { platform, agent: "a", broker });`,
        `const jwksUri = pulumi.output(new Promise<string>((done) => setTimeout(() => done("http://login.acme.example/keys"), 5)));`,
        `new AgentGateway("acme-gateway", { platform, services: [service], broker, jwt: { issuer: "https://login.acme.example/", jwksUri, audiences: ["api"] } });`,
        "",
      ].join("\n"),
    );
    const r = binary("plan", "--stack", program);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("planning"));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^jwt\.jwksUri: /);
  });

  it("refused where the gateway does not read them yet, before any resource of the gateway", async () => {
    await assert.rejects(
      runOffline(() => gateway("ecs", DECLARED)),
      (e: unknown) => e instanceof MicroAgentsConfigError && e.issues[0].path === "jwt" && /runtime 'ecs' does not read computed JWT settings yet/.test(e.issues[0].message),
    );
  });
});
