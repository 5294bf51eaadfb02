import support from "./data/kubernetes-support.json";
import { byEnvironment, finding, only, type Finding, type Rule } from "./types";

type Service = keyof typeof support.services;

/** `1.31`, `1.31.4`, `1.31.4-gke.100` -> [1, 31]. */
function minor(version: string): readonly [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const compare = (a: readonly [number, number], b: readonly [number, number]) => a[0] - b[0] || a[1] - b[1];

/** When standard support of a version ends on a service; `expired-range` for versions older than every listed one. */
export function standardSupportEnd(service: Service, version: string): { ends?: Date; tooOld: boolean } {
  const v = minor(version);
  if (!v) return { tooOld: false };
  const table = support.services[service].standardSupportEnds as Readonly<Record<string, string>>;
  const listed = Object.keys(table).map((k) => [k, minor(k)] as const).filter((e): e is readonly [string, readonly [number, number]] => e[1] !== undefined);
  const hit = listed.find(([, m]) => compare(m, v) === 0);
  if (hit) return { ends: new Date(`${table[hit[0]]}T00:00:00Z`), tooOld: false };
  return { tooOld: listed.every(([, m]) => compare(v, m) < 0) };
}

export const rule: Rule = {
  id: "MA-COST-011",
  title: "Kubernetes version in standard support",
  severity: "medium",
  kind: "cost",
  description:
    "EKS, AKS and GKE clusters and node pools run a Kubernetes minor version still in standard support on the day of the check: past it, EKS bills extended support at six times the control-plane price, GKE moves the cluster to the paid extended channel, AKS needs the Premium tier. Dates are in policies/rules/data/kubernetes-support.json, each service with its source; a cluster that states no version gets the provider's default, which is supported.",
  remediation: "Upgrade the cluster (`version`, `kubernetesVersion`, `minMasterVersion`) and its node pools to a version in standard support, or leave the version unset to take the provider's default.",
  anchors: {},
  enforcement: byEnvironment({ dev: "advisory", staging: "advisory", prod: "mandatory" }),
  reads: ["cluster", "node-pool"],
  check(facts, ctx) {
    const out: Finding[] = [];
    const judge = (f: Parameters<typeof finding>[0], service: Service, version: string | undefined, what: string) => {
      if (!version) return;
      const s = standardSupportEnd(service, version);
      if (s.tooOld) out.push(finding(f, `${what} runs Kubernetes ${version}, older than any version ${service.toUpperCase()} supports`));
      else if (s.ends && s.ends.getTime() <= ctx.now.getTime()) out.push(finding(f, `${what} runs Kubernetes ${version}, out of ${service.toUpperCase()} standard support since ${s.ends.toISOString().slice(0, 10)}`));
    };
    for (const c of only(facts, "cluster")) if (c.service === "eks" || c.service === "aks" || c.service === "gke") judge(c, c.service, c.kubernetesVersion, "cluster");
    const poolService: Readonly<Record<string, Service>> = { "eks-nodegroup": "eks", "aks-agentpool": "aks", "gke-nodepool": "gke" };
    for (const p of only(facts, "node-pool")) {
      const service = poolService[p.service];
      if (service) judge(p, service, p.kubernetesVersion, "node pool");
    }
    return out;
  },
};
