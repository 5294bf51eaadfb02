import { rule as cost001 } from "./ma-cost-001-resources-set";
import { rule as cost002 } from "./ma-cost-002-gpu-types";
import { rule as cost003 } from "./ma-cost-003-replica-node-caps";
import { rule as cost004 } from "./ma-cost-004-budget";
import { rule as cost005 } from "./ma-cost-005-gpu-scale-to-zero";
import { rule as cost006 } from "./ma-cost-006-spot-gpu";
import { rule as cost007 } from "./ma-cost-007-single-nat";
import { rule as cost008 } from "./ma-cost-008-log-retention-cap";
import { rule as cost009 } from "./ma-cost-009-allocation-tags";
import { rule as cost010 } from "./ma-cost-010-regions";
import { rule as cost011 } from "./ma-cost-011-kubernetes-version";
import { rule as cost012 } from "./ma-cost-012-gpu-slices";
import { rule as sec001 } from "./ma-sec-001-no-privileged";
import { rule as sec002 } from "./ma-sec-002-non-root";
import { rule as sec003 } from "./ma-sec-003-no-host-access";
import { rule as sec004 } from "./ma-sec-004-read-only-root";
import { rule as sec005 } from "./ma-sec-005-pinned-images";
import { rule as sec006 } from "./ma-sec-006-no-plaintext-secrets";
import { rule as sec007 } from "./ma-sec-007-secrets-cmk-rotation";
import { rule as sec008 } from "./ma-sec-008-messaging-encrypted";
import { rule as sec009 } from "./ma-sec-009-no-public-principals";
import { rule as sec010 } from "./ma-sec-010-routes-authenticated";
import { rule as sec011 } from "./ma-sec-011-gateway-logs-waf";
import { rule as sec012 } from "./ma-sec-012-tls";
import { rule as sec013 } from "./ma-sec-013-least-privilege";
import { rule as sec014 } from "./ma-sec-014-private-api-endpoint";
import { rule as sec015 } from "./ma-sec-015-audit-logs";
import { rule as sec016 } from "./ma-sec-016-secrets-kms";
import { rule as sec017 } from "./ma-sec-017-node-hardening";
import { rule as sec018 } from "./ma-sec-018-gpu-taints";
import { rule as sec019 } from "./ma-sec-019-no-public-agents";
import { rule as sec020 } from "./ma-sec-020-default-deny";
import { rule as sec021 } from "./ma-sec-021-log-retention-encryption";
import { rule as sec022 } from "./ma-sec-022-probes";
import { rule as sec023 } from "./ma-sec-023-dead-letter";
import { rule as sec024 } from "./ma-sec-024-store-protection";
import { rule as sec025 } from "./ma-sec-025-object-storage-private";
import { rule as sec026 } from "./ma-sec-026-object-storage-access";
import { rule as sec027 } from "./ma-sec-027-encrypted-at-rest";
import { rule as sec028 } from "./ma-sec-028-key-vault";
import { rule as sec029 } from "./ma-sec-029-messaging-namespace";
import { rule as sec030 } from "./ma-sec-030-cluster-authentication";
import type { Rule, RuleKind } from "./types";

export * from "./types";

/** The catalog: every rule, security first, in ID order. One file per rule. */
export const rules: ReadonlyArray<Rule> = [
  sec001, sec002, sec003, sec004, sec005, sec006, sec007, sec008, sec009, sec010, sec011, sec012,
  sec013, sec014, sec015, sec016, sec017, sec018, sec019, sec020, sec021, sec022, sec023, sec024,
  sec025, sec026, sec027, sec028, sec029, sec030,
  cost001, cost002, cost003, cost004, cost005, cost006, cost007, cost008, cost009, cost010, cost011, cost012,
];

export function rulesOfKind(kind: RuleKind): Rule[] {
  return rules.filter((r) => r.kind === kind);
}

export function ruleById(id: string): Rule | undefined {
  return rules.find((r) => r.id === id);
}
