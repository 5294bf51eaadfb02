import { everywhere, finding, only, type Finding, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-COST-001",
  title: "cpu/memory/GPU requests and limits set, under the tier's maxima",
  severity: "medium",
  kind: "cost",
  description:
    "Every Kubernetes container states CPU and memory requests and limits (a container without them can take a node, and the cost of the fleet cannot be planned), GPUs are requested as limits, ECS tasks state their size, and no agent's replica asks for more CPU, memory or GPUs than the tier allows (`caps` in lib/spec/tiers.ts: small 8 vCPU / 32 GiB / 1 GPU, medium 16 / 128 / 4, enterprise 64 / 512 / 8).",
  remediation: "Set `resources.requests` and `resources.limits` for cpu and memory (equal, for Guaranteed QoS), GPUs under `limits`; size the agent within the tier's caps or move the fleet to a larger tier.",
  anchors: { checkov: ["CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13"], kubeLinter: ["unset-cpu-requirements", "unset-memory-requirements"] },
  enforcement: everywhere("mandatory"),
  reads: ["container-workload"],
  check(facts, ctx) {
    const caps = ctx.tier.caps;
    const out: Finding[] = [];
    for (const w of only(facts, "container-workload")) {
      if (w.platform === "kubernetes") {
        for (const c of w.containers) {
          const missing = [
            c.cpu.request === undefined ? "cpu request" : "",
            c.cpu.limit === undefined ? "cpu limit" : "",
            c.memoryMiB.request === undefined ? "memory request" : "",
            c.memoryMiB.limit === undefined ? "memory limit" : "",
          ].filter(Boolean);
          if (missing.length > 0) out.push(finding(w, `container '${c.name}' sets no ${missing.join(", ")}`));
        }
      }
      if (w.platform === "ecs" && (w.perReplica.cpu === undefined || w.perReplica.memoryMiB === undefined)) out.push(finding(w, "task states no CPU or memory size"));
      const { cpu, memoryMiB, gpus } = w.perReplica;
      if (cpu !== undefined && cpu > caps.maxCpuPerAgent) out.push(finding(w, `asks for ${cpu} vCPU per replica; the ${ctx.tier.name} tier allows ${caps.maxCpuPerAgent}`));
      if (memoryMiB !== undefined && memoryMiB > caps.maxMemoryGiPerAgent * 1024) out.push(finding(w, `asks for ${Math.round((memoryMiB / 1024) * 10) / 10} GiB per replica; the ${ctx.tier.name} tier allows ${caps.maxMemoryGiPerAgent} GiB`));
      if (gpus > caps.maxGpusPerAgent && !w.containers.some((c) => c.gpu?.migProfile)) out.push(finding(w, `asks for ${gpus} GPUs per replica; the ${ctx.tier.name} tier allows ${caps.maxGpusPerAgent}`));
    }
    return out;
  },
};
