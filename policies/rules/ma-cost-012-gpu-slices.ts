import { ACCELERATOR_INFO, ACCELERATORS, FRACTIONAL_SHARES } from "../../lib/spec/accelerators";
import { everywhere, finding, only, type Finding, type Rule } from "./types";

/** Time-slices per GPU that serve an allowed share (1/8, 1/4, 1/2). */
export const ALLOWED_SLICES: ReadonlyArray<number> = FRACTIONAL_SHARES.map((s) => Math.round(1 / s));

/** MIG profiles of the accelerators a tier allows: `1g.10gb`... */
export function allowedMigProfiles(accelerators: ReadonlyArray<string>): Set<string> {
  return new Set(ACCELERATORS.filter((a) => accelerators.includes(a)).flatMap((a) => ACCELERATOR_INFO[a].migProfiles.map((p) => p.name)));
}

export const rule: Rule = {
  id: "MA-COST-012",
  title: "GPU slice or MIG profile on the allow-list",
  severity: "low",
  kind: "cost",
  description:
    "Shared GPUs are cut only the ways the packing plan understands: time-slicing into 2, 4 or 8 slices per GPU (shares of 1/2, 1/4, 1/8), and MIG profiles of the GPUs the tier allows, on tiers whose sharing is MIG (enterprise). Read from GKE node pools (`gpuSharingConfig`, `gpuPartitionSize`), AKS `gpuInstanceProfile` and containers that request `nvidia.com/mig-*` resources.",
  remediation: "Use 2, 4 or 8 time-slices per GPU (`maxSharedClientsPerGpu`), or a MIG profile of an allowed GPU (1g, 2g, 3g or 7g of an A100/H100) on the enterprise tier.",
  anchors: {},
  enforcement: everywhere("mandatory"),
  reads: ["node-pool", "container-workload"],
  check(facts, ctx) {
    const mig = allowedMigProfiles(ctx.allowedAccelerators);
    const migAllowed = ctx.tier.gpuSharing === "mig";
    const out: Finding[] = [];
    const judgeMig = (f: Parameters<typeof finding>[0], profile: string, what: string) => {
      if (!migAllowed) out.push(finding(f, `${what} uses MIG profile ${profile}; the ${ctx.tier.name} tier shares GPUs by ${ctx.tier.gpuSharing}`));
      else if (!mig.has(profile)) out.push(finding(f, `${what} uses MIG profile ${profile}, not a profile of an allowed GPU (${[...mig].join(", ")})`));
    };
    for (const p of only(facts, "node-pool")) {
      if (p.gpu?.sharing === "time-slicing" && p.gpu.slicesPerGpu !== undefined && !ALLOWED_SLICES.includes(p.gpu.slicesPerGpu)) {
        out.push(finding(p, `GPU pool shares each GPU ${p.gpu.slicesPerGpu} ways; allowed: ${ALLOWED_SLICES.join(", ")}`));
      }
      if (p.gpu?.migProfile) judgeMig(p, p.gpu.migProfile, "GPU pool");
    }
    for (const w of only(facts, "container-workload")) {
      for (const c of w.containers) if (c.gpu?.migProfile) judgeMig(w, c.gpu.migProfile, `container '${c.name}'`);
    }
    return out;
  },
};
