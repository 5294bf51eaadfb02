import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { factsFromGraph } from "../../lib/facts";
import { runOffline } from "../../lib/offline/engine";
import { loadPolicyConfig } from "../../policies/engine/config";
import { loadEstimator } from "../../policies/engine/cost";
import { evaluate } from "../../policies/engine/evaluate";
import { CHECK_DAY } from "../policies/fixtures/kit";
import { BILLING, PROJECT } from "../helpers/gcp";
import { ofType } from "../helpers/offline";

const GCP = { "gcp:project": PROJECT, "microagents:billingAccount": BILLING };

describe("company stacks on GCP", () => {
  it("stacks/small.ts deploys to Cloud Run with --config runtime=run, without a mandatory violation in prod", async () => {
    const g = await runOffline("stacks/small.ts", { config: { ...GCP, "microagents:runtime": "run", "microagents:environment": "prod" } });
    // Four agents and the gateway proxy.
    assert.equal(ofType(g, "gcp:cloudrunv2/service:Service").filter((s) => s.name.endsWith("-gateway-proxy")).length, 1);
    assert.equal(ofType(g, "gcp:cloudrunv2/service:Service").length, 5);
    const { tier: _t, environment: _e, ...config } = loadPolicyConfig("policies/prod.json");
    const result = evaluate(factsFromGraph(g), { config, tier: "small", environment: "prod", now: CHECK_DAY, estimateCost: loadEstimator() });
    assert.deepEqual(result.violations.filter((v) => v.enforcement === "mandatory").map((v) => `${v.ruleId} ${v.resource}: ${v.message}`), []);
  });

  it("stacks/medium.ts deploys GKE in two regions with runtime=gke: a cluster each, names apart in the one project", async () => {
    const g = await runOffline("stacks/medium.ts", { config: { ...GCP, "microagents:runtime": "gke", "microagents:environment": "prod" } });
    const clusters = ofType(g, "gcp:container/cluster:Cluster");
    assert.deepEqual(clusters.map((c) => c.inputs.location).sort(), ["europe-west1", "europe-west4"]);
    const topics = ofType(g, "gcp:pubsub/topic:Topic").map((t) => String(t.inputs.name));
    assert.equal(new Set(topics).size, topics.length, "topic names are unique in the project");
    const accounts = ofType(g, "gcp:serviceaccount/account:Account").map((a) => String(a.inputs.accountId));
    assert.equal(new Set(accounts).size, accounts.length, "service account ids are unique in the project");
    for (const id of accounts) assert.ok(id.length >= 6 && id.length <= 30, id);
    assert.equal(ofType(g, "gcp:billing/budget:Budget").length, 1, "one budget per fleet");
  });
});
