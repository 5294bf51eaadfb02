import { bySeverity, finding, only, type Finding, type Rule } from "./types";

/** `1.0` < `1.2`; `none` (plain HTTP allowed) is below everything. */
export function tlsBelow12(version: string | undefined): boolean {
  if (version === undefined) return false;
  const n = Number(version);
  return !Number.isFinite(n) || n < 1.2;
}

export const rule: Rule = {
  id: "MA-SEC-012",
  title: "HTTPS only, TLS ≥ 1.2",
  severity: "high",
  kind: "security",
  description:
    "Traffic into the fleet is encrypted: no plain-HTTP listener unless it only redirects to HTTPS, no TLS policy that accepts TLS 1.0 or 1.1 (load balancer listeners, API custom domains, GCP SSL policies, APIM protocols, Envoy ClientTrafficPolicy), and stores that state it require TLS from clients.",
  remediation: "Serve HTTPS only (an HTTP listener may only redirect), pick a TLS 1.2+ policy (`ELBSecurityPolicy-TLS13-1-2-2021-06`, `TLS_1_2`, `minTlsVersion: TLS_1_2`), and require TLS on stores (`transitEncryptionEnabled`, `sslMode: ENCRYPTED_ONLY`, `enableNonSslPort: false`).",
  anchors: { checkov: ["CKV_AWS_2", "CKV_AWS_103", "CKV_AWS_206", "CKV_AWS_30", "CKV_GCP_6"] },
  enforcement: bySeverity("high"),
  reads: ["gateway", "gateway-policy", "load-balancer", "store"],
  check(facts) {
    const out: Finding[] = [];
    for (const g of only(facts, "gateway")) {
      if (g.httpListener) out.push(finding(g, "gateway has a plain-HTTP listener"));
      if (tlsBelow12(g.minTlsVersion)) out.push(finding(g, `gateway accepts TLS ${g.minTlsVersion}`));
    }
    for (const p of only(facts, "gateway-policy")) {
      if (p.allowsHttp) out.push(finding(p, "accepts plain HTTP"));
      if (tlsBelow12(p.minTlsVersion)) out.push(finding(p, `TLS policy accepts TLS ${p.minTlsVersion}`));
    }
    // Listeners of internal load balancers (behind a gateway's VPC link) are judged by network exposure, not here.
    for (const b of only(facts, "load-balancer").filter((x) => x.public !== false)) {
      for (const l of b.listeners) {
        const port = l.port !== undefined ? ` on port ${l.port}` : "";
        if ((l.protocol === "HTTP" || l.protocol === "TCP") && !l.redirectsToHttps) out.push(finding(b, `${l.protocol} listener${port} does not redirect to HTTPS`));
        if ((l.protocol === "HTTPS" || l.protocol === "TLS") && tlsBelow12(l.minTlsVersion)) out.push(finding(b, `listener${port} TLS policy '${l.tlsPolicy}' accepts TLS ${l.minTlsVersion}`));
        if ((l.protocol === "HTTPS" || l.protocol === "TLS") && l.tlsPolicy !== undefined && l.minTlsVersion === undefined) out.push(finding(b, `listener${port} TLS policy '${l.tlsPolicy}' is not known to require TLS 1.2`));
      }
    }
    for (const s of only(facts, "store")) if (s.tlsRequired === false) out.push(finding(s, `${s.storeKind} accepts unencrypted connections`));
    return out;
  },
};
