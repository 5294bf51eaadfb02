import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { researchFleet } from "../../agents/fleets";
import { AgentBroker } from "../../lib/components/agent-broker";
import { AgentPlatform } from "../../lib/components/agent-platform";
import { MicroAgentService, type MicroAgentServiceArgs } from "../../lib/components/micro-agent-service";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { AZURE_SUBSCRIPTION } from "../../lib/offline/mocks";
import { MicroAgentsConfigError } from "../../lib/spec/errors";
import { BUILTIN_ROLES } from "../../lib/targets/azure/roles";
import { binary } from "../helpers/cli";
import { at, one } from "../helpers/offline";

/** An Output that resolves later, like a digest an image build in the same program returns. */
const computed = (value: string) => pulumi.output(new Promise<string>((done) => setTimeout(() => done(value), 5)));
const IMAGE = `acmeagents.azurecr.io/agents/processor@sha256:${"e".repeat(64)}`;
type Inputs = Pick<MicroAgentServiceArgs, "image" | "env" | "secrets">;
const INPUTS: Inputs = { image: computed(IMAGE), env: { UPSTREAM_URL: computed("https://api.acme.example") }, secrets: { API_TOKEN: { ref: computed("acme-api-token"), key: "token" } } };
const REGION = "swedencentral";

function deploy(runtime: "aca" | "aks", args: Inputs): Promise<ResourceGraph> {
  const fleet = researchFleet({ tier: "small", environment: "dev", targets: [{ runtime, region: REGION }] });
  return runOffline(() => {
    const platform = new AgentPlatform("acme", { fleet });
    new MicroAgentService("acme-dp", { platform, agent: "document-processor", broker: new AgentBroker("acme", { platform }), ...args });
  });
}

const VAULT = /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/;

describe("MicroAgentService takes computed image, env and secrets on aca and aks", () => {
  it("aca: the Container App runs the Output image (pulled from ACR with the agent's identity), with the Output env and the Output secret as a Key Vault reference the agent alone may read", async () => {
    const g = await deploy("aca", INPUTS);
    const app = one(g, "azure-native:app:ContainerApp", "acme-dp");
    const identity = one(g, "azure-native:managedidentity:UserAssignedIdentity", "acme-dp-id");
    const identityId = `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/rg-acme-research-dev-${REGION}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${String(at(identity, "resourceName"))}`;
    assert.equal(at(app, "template", "containers", 0, "image"), IMAGE);
    assert.deepEqual(at(app, "configuration", "registries"), [{ server: "acmeagents.azurecr.io", identity: identityId }]);
    const env = new Map((at(app, "template", "containers", 0, "env") as Array<{ name: string; value?: string; secretRef?: string }>).map((e) => [e.name, e]));
    assert.equal(env.get("UPSTREAM_URL")?.value, "https://api.acme.example");
    assert.equal(env.get("LOG_LEVEL")?.value, "info");
    assert.deepEqual(env.get("API_TOKEN"), { name: "API_TOKEN", secretRef: "in-api-token" });
    assert.deepEqual(env.get("OPENAI_API_KEY"), { name: "OPENAI_API_KEY", secretRef: "kv-openai-key" });
    const secrets = at(app, "configuration", "secrets") as Array<{ name: string; keyVaultUrl?: string; identity?: string }>;
    const secret = secrets.find((s) => s.name === "in-api-token");
    assert.match(secret?.keyVaultUrl ?? "", /^https:\/\/[a-z0-9-]+\.vault\.azure\.net\/secrets\/acme-api-token$/);
    assert.equal(secret?.identity, identityId);
    const grant = one(g, "azure-native:authorization:RoleAssignment", "acme-dp-secret-in-api-token");
    assert.match(String(at(grant, "scope")), /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/secrets\/acme-api-token$/);
    assert.equal(at(grant, "principalId"), identity.outputs.principalId);
    assert.match(String(at(grant, "roleDefinitionId")), new RegExp(`/roleDefinitions/${BUILTIN_ROLES.keyVaultSecretsUser}$`));
  });

  it("aks: the Deployment runs the Output image with the Output env; the Output secret syncs through the agent's own SecretProviderClass into a Secret of the agent, read under its key", async () => {
    const g = await deploy("aks", INPUTS);
    const deployment = one(g, "kubernetes:apps/v1:Deployment", "acme-dp");
    const pod = at(deployment, "spec", "template", "spec") as { containers: Array<{ image: string; env: Array<{ name: string; value?: string; valueFrom?: unknown }>; volumeMounts: Array<{ name: string; mountPath: string }> }>; volumes: Array<{ name: string; csi?: { volumeAttributes: Record<string, string> } }> };
    assert.equal(pod.containers[0].image, IMAGE);
    const env = new Map(pod.containers[0].env.map((e) => [e.name, e]));
    assert.equal(env.get("UPSTREAM_URL")?.value, "https://api.acme.example");
    assert.deepEqual(env.get("API_TOKEN")?.valueFrom, { secretKeyRef: { name: "document-processor-in-api-token", key: "token" } });
    assert.deepEqual(pod.volumes.find((v) => v.name === "secrets-inputs")?.csi?.volumeAttributes, { secretProviderClass: "document-processor-inputs" });
    assert.ok(pod.containers[0].volumeMounts.some((m) => m.name === "secrets-inputs" && m.mountPath === "/mnt/secrets/inputs"));
    const spc = one(g, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass", "acme-dp-inputs");
    const identity = one(g, "azure-native:managedidentity:UserAssignedIdentity", "acme-dp-id");
    assert.equal(at(spc, "metadata", "name"), "document-processor-inputs");
    assert.equal(at(spc, "spec", "parameters", "clientID"), identity.outputs.clientId, "read with the agent's own (federated) identity");
    assert.equal(at(spc, "spec", "parameters", "objects"), "array:\n  - |\n    objectName: acme-api-token\n    objectType: secret\n    objectAlias: api-token\n");
    assert.deepEqual(at(spc, "spec", "secretObjects"), [{ secretName: "document-processor-in-api-token", type: "Opaque", data: [{ objectName: "api-token", key: "token" }] }]);
    const grant = one(g, "azure-native:authorization:RoleAssignment", "acme-dp-secret-in-api-token");
    assert.match(String(at(grant, "scope")), /\/secrets\/acme-api-token$/);
    assert.doesNotMatch(String(at(grant, "scope")), VAULT, "the secret, not the vault");
    assert.equal(at(grant, "principalId"), identity.outputs.principalId);
  });

  it("plain values are checked at construction on both runtimes, with the fleet file's paths", async () => {
    for (const runtime of ["aca", "aks"] as const) {
      for (const [args, path, message] of [
        [{ image: "acmeagents.azurecr.io/agents/processor" }, "image", /has neither a tag nor a digest/],
        [{ env: { LOG_LEVEL: "debug" } }, "env.LOG_LEVEL", /already in the agent's env/],
        [{ env: { MICROAGENTS_X: "1" } }, "env.MICROAGENTS_X", /reserved for the agent contract/],
        [{ secrets: { OPENAI_API_KEY: { ref: "x-y" } } }, "secrets.OPENAI_API_KEY", /already in the agent's secrets/],
        [{ secrets: { TOKEN: { ref: "not a name!" } } }, "secrets.TOKEN.ref", /secret ref must be a secret name/],
      ] as const) {
        await assert.rejects(deploy(runtime, args), (e: unknown) => e instanceof MicroAgentsConfigError && e.issues[0].path === path && message.test(e.issues[0].message), `${runtime} ${path}`);
      }
    }
  });

  it("an Output image is checked when it resolves, on aca as elsewhere: the fleet file's path, message and hint, exit 2", () => {
    // In a child process: the rejected Output is an unhandled rejection in Pulumi's runtime, as under `pulumi up`.
    const root = resolve(__dirname, "..", "..");
    const dir = mkdtempSync(join(tmpdir(), "azure-inputs-"));
    const program = join(dir, "index.ts");
    writeFileSync(
      program,
      [
        `import * as pulumi from ${JSON.stringify(join(root, "node_modules", "@pulumi", "pulumi"))};`,
        `import { AgentPlatform, MicroAgentService } from ${JSON.stringify(join(root, "lib"))};`,
        `const fleet = ${JSON.stringify(researchFleet({ tier: "small", environment: "dev", targets: [{ runtime: "aca", region: REGION }] }))};`,
        `const platform = new AgentPlatform("acme", { fleet });`,
        `const image = pulumi.output(new Promise<string>((done) => setTimeout(() => done("acmeagents.azurecr.io/agents/processor:latest"), 5)));`,
        `new MicroAgentService("acme-dp", { platform, agent: "document-processor", image });`,
        "",
      ].join("\n"),
    );
    const r = binary("plan", "--stack", program);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("planning")).join("\n"), "image: image 'acmeagents.azurecr.io/agents/processor:latest' uses the mutable tag 'latest' (pin a version tag or, better, a digest)");
  });
});
