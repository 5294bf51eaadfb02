import { bySeverity, finding, only, type Finding, type Rule } from "./types";

const OPEN = new Set(["0.0.0.0/0", "::/0"]);
const coversPort = (from: number | undefined, to: number | undefined, port: number) => (from === undefined && to === undefined) || ((from ?? 0) <= port && port <= (to ?? from ?? 65535));

export const rule: Rule = {
  id: "MA-SEC-017",
  title: "Node pools: no public IPs, no open SSH, IMDSv2 / metadata server",
  severity: "high",
  kind: "security",
  description:
    "Nodes are not addressable from the internet, SSH is not open to any address (EKS opens port 22 to 0.0.0.0/0 when a key is given without source groups; security-group and firewall rules are checked too), and pods cannot steal node credentials from the instance metadata service: launch templates require IMDSv2 tokens, GKE pools use the GKE metadata server. Node pools that state no metadata setting inherit it from their launch template.",
  remediation: "No `associatePublicIpAddress`/`enableNodePublicIP`; `remoteAccess.sourceSecurityGroupIds` or no SSH key; `metadataOptions: { httpTokens: \"required\", httpPutResponseHopLimit: 1 }`; GKE `workloadMetadataConfig: { mode: \"GKE_METADATA\" }`.",
  anchors: { checkov: ["CKV_AWS_100", "CKV_AWS_79", "CKV_AWS_24", "CKV_GCP_2", "CKV_GCP_69"], kubeLinter: ["ssh-port"] },
  enforcement: bySeverity("high"),
  reads: ["node-pool", "node-template", "firewall-rule"],
  check(facts) {
    const out: Finding[] = [];
    for (const p of only(facts, "node-pool")) {
      if (p.publicIp === true) out.push(finding(p, "nodes get public IP addresses"));
      if (p.ssh === "open") out.push(finding(p, "SSH to the nodes is open to any address"));
      if (p.metadataProtected === false) out.push(finding(p, "pods can reach the node's instance metadata credentials"));
    }
    for (const t of only(facts, "node-template")) {
      if (t.publicIp === true) out.push(finding(t, "instances get public IP addresses"));
      if (t.metadataProtected !== true) out.push(finding(t, "instance metadata does not require IMDSv2 tokens"));
    }
    for (const r of only(facts, "firewall-rule")) {
      if (r.direction === "ingress" && r.action === "allow" && r.sources.some((s) => OPEN.has(s)) && ["tcp", "6", "-1", "all", "*"].includes(r.protocol.toLowerCase()) && coversPort(r.fromPort, r.toPort, 22)) {
        out.push(finding(r, "allows SSH (22) from any address"));
      }
    }
    return out;
  },
};
