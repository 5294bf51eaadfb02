import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AgentBroker } from "../../lib/components/agent-broker";
import { AgentPlatform } from "../../lib/components/agent-platform";
import { MicroAgentService, type MicroAgentServiceArgs } from "../../lib/components/micro-agent-service";
import { runOffline, type ResourceGraph } from "../../lib/offline/engine";
import { MicroAgentsConfigError } from "../../lib/spec/errors";
import { gcpAgent, gcpFleet, PROJECT } from "../helpers/gcp";
import { at, ofType, one } from "../helpers/offline";

/** An Output that resolves later, like a digest an image build in the same program returns. */
const computed = (value: string) => pulumi.output(new Promise<string>((done) => setTimeout(() => done(value), 5)));
const IMAGE = `us-docker.pkg.dev/acme/agents/a@sha256:${"e".repeat(64)}`;
const INPUTS: Pick<MicroAgentServiceArgs, "image" | "env" | "secrets"> = { image: computed(IMAGE), env: { UPSTREAM_URL: computed("https://api.acme.example") }, secrets: { API_TOKEN: { ref: computed("acme-api-token"), key: "token" } } };

function deploy(runtime: "run" | "gke", args: Pick<MicroAgentServiceArgs, "image" | "env" | "secrets">): Promise<ResourceGraph> {
  const fleet = gcpFleet(runtime, [gcpAgent("a", { env: { LOG_LEVEL: "info" }, secrets: { OWN: { ref: "acme-own" } } })]);
  return runOffline(() => {
    const platform = new AgentPlatform("acme", { fleet });
    new MicroAgentService("acme-a", { platform, agent: "a", broker: new AgentBroker("acme", { platform }), ...args });
  });
}

type Env = { name: string; value?: string; valueSource?: { secretKeyRef: { secret: string; version: string } }; valueFrom?: { secretKeyRef: { name: string; key: string } } };

describe("MicroAgentService takes computed image, env and secrets on run and gke", () => {
  it("run: the Cloud Run container runs the Output image, with the Output env and the Output secret from Secret Manager; the agent may read that secret alone", async () => {
    const g = await deploy("run", INPUTS);
    const [service] = ofType(g, "gcp:cloudrunv2/service:Service");
    const container = (at(service, "template", "containers") as Array<{ image: string; envs: Env[] }>)[0];
    assert.equal(container.image, IMAGE);
    const env = new Map(container.envs.map((e) => [e.name, e]));
    assert.equal(env.get("UPSTREAM_URL")?.value, "https://api.acme.example");
    assert.equal(env.get("LOG_LEVEL")?.value, "info");
    assert.deepEqual(env.get("API_TOKEN")?.valueSource, { secretKeyRef: { secret: "acme-api-token", version: "latest" } });
    assert.deepEqual(env.get("OWN")?.valueSource, { secretKeyRef: { secret: "acme-own", version: "latest" } });
    const grants = ofType(g, "gcp:secretmanager/secretIamMember:SecretIamMember").map((r) => [r.name, at(r, "secretId"), at(r, "role")]);
    assert.deepEqual(grants.sort(), [
      ["acme-a-secret-acme-own", "acme-own", "roles/secretmanager.secretAccessor"],
      ["acme-a-secret-env-api_token", "acme-api-token", "roles/secretmanager.secretAccessor"],
    ]);
  });

  it("gke: the Deployment runs the Output image with the Output env; the Output secret is synced from Secret Manager into a Secret of its name and read under its key", async () => {
    const g = await deploy("gke", INPUTS);
    const deployment = one(g, "kubernetes:apps/v1:Deployment", "acme-a");
    const container = (at(deployment, "spec", "template", "spec", "containers") as Array<{ image: string; env: Env[] }>)[0];
    assert.equal(container.image, IMAGE);
    const env = new Map(container.env.map((e) => [e.name, e]));
    assert.equal(env.get("UPSTREAM_URL")?.value, "https://api.acme.example");
    assert.deepEqual(env.get("API_TOKEN")?.valueFrom, { secretKeyRef: { name: "acme-api-token", key: "token" } });
    const sync = one(g, "kubernetes:secret-sync.gke.io/v1:SecretSync", "acme-a-sync-env-api_token");
    assert.equal(at(sync, "metadata", "name"), "acme-api-token");
    assert.deepEqual(at(sync, "spec", "secretObject", "data"), [{ sourcePath: "value", targetKey: "token" }]);
    const spc = one(g, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass", "acme-a-spc-env-api_token");
    assert.equal(at(spc, "metadata", "name"), "a-acme-api-token");
    assert.equal(at(sync, "spec", "secretProviderClassName"), "a-acme-api-token");
    assert.equal(at(spc, "spec", "parameters", "secrets"), `- resourceName: "projects/${PROJECT}/secrets/acme-api-token/versions/latest"\n  path: "value"\n`);
    // The agent's own secret keeps its class and sync.
    assert.equal(at(one(g, "kubernetes:secret-sync.gke.io/v1:SecretSync", "acme-a-sync-acme-own"), "metadata", "name"), "acme-own");
    assert.equal(at(one(g, "gcp:secretmanager/secretIamMember:SecretIamMember", "acme-a-secret-env-api_token"), "secretId"), "acme-api-token");
  });

  it("plain values are checked at construction on both runtimes, with the fleet file's paths", async () => {
    for (const runtime of ["run", "gke"] as const) {
      for (const [args, path, message] of [
        [{ image: "us-docker.pkg.dev/acme/agents/a" }, "image", /has neither a tag nor a digest/],
        [{ env: { LOG_LEVEL: "debug" } }, "env.LOG_LEVEL", /already in the agent's env/],
        [{ env: { MICROAGENTS_X: "1" } }, "env.MICROAGENTS_X", /reserved for the agent contract/],
        [{ secrets: { OWN: { ref: "x-y" } } }, "secrets.OWN", /already in the agent's secrets/],
        [{ secrets: { TOKEN: { ref: "not a name!" } } }, "secrets.TOKEN.ref", /secret ref must be a secret name/],
      ] as const) {
        await assert.rejects(deploy(runtime, args), (e: unknown) => e instanceof MicroAgentsConfigError && e.issues[0].path === path && message.test(e.issues[0].message), `${runtime} ${path}`);
      }
    }
  });
});
