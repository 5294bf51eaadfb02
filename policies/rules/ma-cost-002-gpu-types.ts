import { everywhere, finding, only, type Finding, type Rule } from "./types";
import { gpuOfMachine } from "../../lib/facts/gpu-shapes";

export const rule: Rule = {
  id: "MA-COST-002",
  title: "GPU instance or VM types on the tier's allow-list (no p5 or ND H100 in small)",
  severity: "high",
  kind: "cost",
  description:
    "GPU capacity uses only the GPU models the tier allows (`allowedAccelerators` in lib/spec/tiers.ts: small T4, L4, A10, A10G; medium adds L40S and A100; enterprise adds H100), read from node pools' instance types, launch templates, Cloud Run accelerators and Container Apps GPU profiles. A GPU pool whose model cannot be told is reported too.",
  remediation: "Pick an instance type of an allowed GPU (g6.xlarge for L4, g5.xlarge for A10G, Standard_NC4as_T4_v3 for T4), or move the fleet to the tier that allows the GPU.",
  anchors: {},
  enforcement: everywhere("mandatory"),
  reads: ["node-pool", "node-template", "container-workload"],
  check(facts, ctx) {
    const allowed = new Set(ctx.allowedAccelerators);
    const out: Finding[] = [];
    const judge = (f: Parameters<typeof finding>[0], type: string | undefined, what: string) => {
      if (type === undefined) out.push(finding(f, `${what} has GPUs of a model that cannot be told from the stack`));
      else if (!allowed.has(type)) out.push(finding(f, `${what} uses ${type}, not allowed in the ${ctx.tier.name} tier (${[...allowed].join(", ")})`));
    };
    for (const p of only(facts, "node-pool")) {
      if (p.gpu) judge(p, p.gpu.type, `node pool ${p.instanceTypes.join("/") || p.poolName || ""}`.trim());
      for (const t of p.instanceTypes.slice(1)) {
        const g = gpuOfMachine(t);
        if (g && !allowed.has(g.type)) judge(p, g.type, `node pool instance type ${t}`);
      }
    }
    for (const t of only(facts, "node-template")) {
      const g = gpuOfMachine(t.instanceType);
      if (g) judge(t, g.type, `instance type ${t.instanceType}`);
    }
    for (const w of only(facts, "container-workload").filter((x) => x.perReplica.gpus > 0 && (x.platform === "cloud-run" || x.platform === "container-apps"))) {
      judge(w, w.perReplica.gpuType, "workload");
    }
    return out;
  },
};
