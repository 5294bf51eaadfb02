/** Security groups, their rules and NAT gateways as firewall and NAT facts. */
import { fact, type AdapterInput, type FactCommon } from "./context";
import type { Fact, FirewallRuleFact, NatGatewayFact } from "./types";
import { num, records, str, strings, type Bag } from "./values";

export function rule(common: FactCommon, direction: "ingress" | "egress", r: Bag, attachedTo: string | undefined): FirewallRuleFact {
  const from = num(r, "fromPort");
  const to = num(r, "toPort");
  const sources = [...strings(r, "cidrBlocks"), ...strings(r, "ipv6CidrBlocks"), ...strings(r, "cidrIpv4"), ...strings(r, "cidrIpv6"), ...strings(r, "securityGroups"), ...strings(r, "sourceSecurityGroupId"), ...strings(r, "referencedSecurityGroupId")];
  return fact<FirewallRuleFact>(common, {
    kind: "firewall-rule",
    direction,
    action: "allow",
    protocol: str(r, "protocol") ?? str(r, "ipProtocol") ?? "-1",
    ...(from !== undefined ? { fromPort: from } : {}),
    ...(to !== undefined ? { toPort: to } : {}),
    sources,
    ...(attachedTo ? { attachedTo } : {}),
  });
}

export function securityGroup({ inputs, common }: AdapterInput): Fact[] {
  const name = str(inputs, "name") ?? common.resource.name;
  return [...records(inputs, "ingress").map((r) => rule(common, "ingress", r, name)), ...records(inputs, "egress").map((r) => rule(common, "egress", r, name))];
}

export function securityGroupRule({ inputs, common }: AdapterInput): Fact[] {
  const direction = str(inputs, "type") === "egress" ? "egress" : "ingress";
  return [rule(common, direction, inputs, str(inputs, "securityGroupId"))];
}

export function natGateway({ inputs, common }: AdapterInput): Fact[] {
  return [fact<NatGatewayFact>(common, { kind: "nat-gateway", public: (str(inputs, "connectivityType") ?? "public") === "public" })];
}
