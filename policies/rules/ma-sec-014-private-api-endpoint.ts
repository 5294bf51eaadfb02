import { bySeverity, finding, only, type Rule } from "./types";

const KUBERNETES = new Set(["eks", "aks", "gke"]);
const OPEN = new Set(["0.0.0.0/0", "::/0", "*"]);

export const rule: Rule = {
  id: "MA-SEC-014",
  title: "Cluster API endpoint private or CIDR-restricted",
  severity: "high",
  kind: "security",
  description: "The Kubernetes API server of an EKS, AKS or GKE cluster is reachable only privately, or publicly from listed CIDRs; EKS and AKS default to a public endpoint open to the internet.",
  remediation: "EKS: `vpcConfig.endpointPublicAccess: false` or `publicAccessCidrs`; AKS: `apiServerAccessProfile.enablePrivateCluster` or `authorizedIPRanges`; GKE: `privateClusterConfig.enablePrivateEndpoint` or `masterAuthorizedNetworksConfig`.",
  anchors: { checkov: ["CKV_AWS_38", "CKV_AWS_39", "CKV_AZURE_6", "CKV_GCP_20"] },
  enforcement: bySeverity("high"),
  reads: ["cluster"],
  check(facts) {
    return only(facts, "cluster")
      .filter((c) => KUBERNETES.has(c.service) && c.endpoint.public === true)
      .filter((c) => c.endpoint.publicCidrs.length === 0 || c.endpoint.publicCidrs.some((cidr) => OPEN.has(cidr)))
      .map((c) => finding(c, "cluster API endpoint is public and open to any address"));
  },
};
