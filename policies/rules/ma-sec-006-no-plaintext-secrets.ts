import { bySeverity, finding, only, type Rule } from "./types";

/** Env names that hold credentials. */
const SECRET_NAME = /(^|_)(API_?KEY|SECRET(_?KEY)?|TOKEN|PASSWORD|PASSWD|PWD|PRIVATE_?KEY|ACCESS_?KEY(_?ID)?|CREDENTIALS?|CONN(ECTION)?_?STRING|AUTH)$/i;
/** Values that are credentials whatever the name: cloud keys, vendor tokens, PEM keys, URLs with passwords. */
const SECRET_VALUE: ReadonlyArray<RegExp> = [
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bsk-[A-Za-z0-9_-]{20,}/,
  /\bgh[pousr]_[A-Za-z0-9]{30,}/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i,
];

export function looksLikeSecret(name: string, value: string): boolean {
  if (value.trim() === "") return false;
  return SECRET_NAME.test(name) || SECRET_VALUE.some((re) => re.test(value));
}

export const rule: Rule = {
  id: "MA-SEC-006",
  title: "No secret-like plaintext env values (keys, tokens, passwords)",
  severity: "critical",
  kind: "security",
  description:
    "A literal environment value under a credential-like name (`*_API_KEY`, `*_TOKEN`, `*_PASSWORD`, `*_SECRET`...) or one that looks like a credential whatever its name (AWS access keys, `sk-` and `ghp_` tokens, PEM private keys, URLs with a password) is a secret in plain text: in the stack state, the cloud console and every `describe`. Values read from a secret store are fine.",
  remediation: "Move the value to the cloud's secret store or a Kubernetes Secret and reference it (`valueFrom.secretKeyRef`, ECS `secrets`, Container Apps `secretRef`, Cloud Run `valueSource.secretKeyRef`); in a fleet file, `secrets: { NAME: { ref: <secret> } }`.",
  anchors: { kubeLinter: ["env-var-secret"] },
  enforcement: bySeverity("critical"),
  reads: ["container-workload"],
  check(facts) {
    return only(facts, "container-workload").flatMap((w) =>
      w.containers.flatMap((c) => c.env.filter((e) => !e.fromSecret && e.value !== undefined && looksLikeSecret(e.name, e.value)).map((e) => finding(w, `container '${c.name}' has '${e.name}' as a plaintext value`))),
    );
  },
};
