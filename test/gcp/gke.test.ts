import { strict as assert } from "node:assert";
import { before, describe, it } from "node:test";
import type { ResourceGraph } from "../../lib/offline/engine";
import { GCP_PROJECT_NUMBER } from "../../lib/offline/mocks/gcp";
import { planFleet } from "../../lib/plan";
import { gkeSharing } from "../../lib/targets/gcp-gke";
import { gcpAgent, gcpFleet, planGcp, PROJECT } from "../helpers/gcp";
import { at, one, ofType } from "../helpers/offline";

const fleet = gcpFleet(
  "gke",
  [
    gcpAgent("intake", { secrets: { TOKEN: { ref: "intake-token" } }, scaling: { mode: "horizontal", min: 1, max: 6 } }),
    gcpAgent("classifier", { resources: { cpu: 0.75, memory: "2Gi", gpu: { share: 0.25, memoryGi: 4 } }, criticality: "batch", scaling: { mode: "horizontal", min: 0, max: 4 } }),
  ],
  { tier: "medium", environment: "prod" },
);

describe("gke: a private GKE cluster with GPU node pools and the Kubernetes target's workloads", () => {
  let g: ResourceGraph;
  before(async () => {
    g = await planGcp(fleet);
  });

  it("builds a hardened private cluster", () => {
    const c = one(g, "gcp:container/cluster:Cluster", "acme-cluster");
    assert.deepEqual(at(c, "privateClusterConfig"), { enablePrivateNodes: true, enablePrivateEndpoint: true });
    assert.deepEqual(at(c, "workloadIdentityConfig"), { workloadPool: `${PROJECT}.svc.id.goog` });
    assert.equal(at(c, "datapathProvider"), "ADVANCED_DATAPATH");
    assert.equal(at(c, "enableShieldedNodes"), true);
    assert.equal(at(c, "enableLegacyAbac"), false);
    assert.deepEqual(at(c, "masterAuth"), { clientCertificateConfig: { issueClientCertificate: false } });
    assert.deepEqual(at(c, "releaseChannel"), { channel: "STABLE" });
    assert.deepEqual(at(c, "monitoringConfig", "managedPrometheus"), { enabled: true });
    assert.deepEqual(at(c, "gatewayApiConfig"), { channel: "CHANNEL_STANDARD" });
    assert.equal(at(c, "databaseEncryption", "state"), "ENCRYPTED");
    assert.equal(at(c, "removeDefaultNodePool"), true);
    assert.equal(at(c, "deletionProtection"), true);
  });

  it("gives each planned GPU pool a node pool: accelerators, time-sharing from the packing, GKE drivers, autoscaling bounds, taint, labels, GKE metadata", () => {
    const plan = planFleet(fleet);
    const pool = plan.gpuPools[0];
    const np = one(g, "gcp:container/nodePool:NodePool", `acme-${pool.name}`);
    assert.deepEqual(at(np, "autoscaling"), { totalMinNodeCount: pool.minNodes, totalMaxNodeCount: pool.maxNodes, locationPolicy: "ANY" });
    assert.deepEqual(at(np, "nodeConfig", "guestAccelerators"), [
      { type: "nvidia-tesla-t4", count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" }, gpuSharingConfig: { gpuSharingStrategy: "TIME_SHARING", maxSharedClientsPerGpu: pool.slicesPerGpu } },
    ]);
    assert.deepEqual(at(np, "nodeConfig", "taints"), [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }]);
    assert.deepEqual(at(np, "nodeConfig", "labels"), { "microagents.io/gpu-pool": pool.name });
    assert.deepEqual(at(np, "nodeConfig", "workloadMetadataConfig"), { mode: "GKE_METADATA" });
    assert.equal(at(np, "nodeConfig", "spot"), pool.spot ? true : undefined);
  });

  it("binds each agent's Kubernetes service account to its own Google service account", () => {
    const b = one(g, "gcp:serviceaccount/iAMMember:IAMMember", "acme-intake-workload-identity");
    assert.deepEqual([at(b, "role"), at(b, "member")], ["roles/iam.workloadIdentityUser", `serviceAccount:${PROJECT}.svc.id.goog[acme/intake]`]);
    const sa = ofType(g, "kubernetes:core/v1:ServiceAccount").find((r) => at(r, "metadata", "name") === "intake");
    assert.deepEqual(at(sa ?? { inputs: {} }, "metadata", "annotations"), { "iam.gke.io/gcp-service-account": `acme-prod-intake@${PROJECT}.iam.gserviceaccount.com` });
    const pulls = ofType(g, "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember").filter((r) => at(r, "member") === `serviceAccount:acme-prod-intake@${PROJECT}.iam.gserviceaccount.com`);
    assert.deepEqual(pulls.map((r) => at(r, "subscription")), ["acme-prod-intake-in"]);
  });

  it("scales agents with KEDA's gcp-pubsub trigger on the subscription backlog", () => {
    const so = ofType(g, "kubernetes:keda.sh/v1alpha1:ScaledObject").find((r) => at(r, "metadata", "name") === "intake");
    assert.ok(so);
    assert.deepEqual(at(so, "spec", "triggers", 0), {
      type: "gcp-pubsub",
      metadata: { subscriptionName: `projects/${PROJECT}/subscriptions/acme-prod-intake-in`, mode: "SubscriptionSize", value: "10", activationValue: "0" },
      authenticationRef: { name: "gcp-workload-identity" },
    });
    const keda = one(g, "gcp:projects/iAMMember:IAMMember", "acme-keda-monitoring");
    assert.equal(at(keda, "member"), `principal://iam.googleapis.com/projects/${GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/${PROJECT}.svc.id.goog/subject/ns/keda/sa/keda-operator`);
  });

  it("requests one shared GPU per time-shared replica, and keeps the share annotation", () => {
    const d = ofType(g, "kubernetes:apps/v1:Deployment").find((r) => at(r, "metadata", "name") === "classifier");
    assert.ok(d);
    assert.deepEqual(at(d, "spec", "template", "spec", "containers", 0, "resources", "limits"), { cpu: "750m", memory: "2Gi", "nvidia.com/gpu": "1" });
    assert.deepEqual(at(d, "spec", "template", "metadata", "annotations"), { "microagents.io/gpu-share": "0.25" });
  });

  it("rejects a MIG pool that mixes profiles", () => {
    assert.throws(() => gkeSharing({ name: "p", sharing: "mig", slicesPerGpu: 1, migProfiles: { a: "1g.10gb", b: "3g.40gb" } }), /one partition size/);
    assert.deepEqual(gkeSharing({ name: "p", sharing: "mig", slicesPerGpu: 1, migProfiles: { a: "1g.10gb" } }), { gpuPartitionSize: "1g.10gb" });
  });
});
