import * as k8s from "@pulumi/kubernetes";
import type { AgentPlan } from "../../plan/types";
import type { GatewayOutputs, GatewayScope } from "../target";
import { azureGateway } from "../azure/gateway";
import { apimSubnetCidr, reachedByGateway } from "../azure/gateway-shape";
import { azureLandings } from "../azure/landing";
import { agentLabels, agentSelector } from "../kubernetes/labels";
import { aksLandings, kubeOpts } from "./landing";

/** Annotations of an internal Azure load balancer Service with a fixed address in the nodes' subnet. */
export const AKS_INTERNAL_LB = {
  internal: "service.beta.kubernetes.io/azure-load-balancer-internal",
  subnet: "service.beta.kubernetes.io/azure-load-balancer-internal-subnet",
  address: "service.beta.kubernetes.io/azure-load-balancer-ipv4",
} as const;

/**
 * The fixed internal address of the k-th agent the gateway reaches: counted down from
 * the top of the workload subnet (`10.<octet>.0.0/21`, whose nodes take addresses
 * from the bottom), so it never moves when nodes come and go.
 */
export function gatewayAddress(vnetCidr: string, k: number): string {
  const m = /^10\.(\d{1,3})\.0\.0\/16$/.exec(vnetCidr);
  if (!m) throw new Error(`unreachable: the fleet VNet is 10.<octet>.0.0/16, not ${vnetCidr}`);
  const offset = 2046 - k;
  return `10.${m[1]}.${Math.floor(offset / 256)}.${offset % 256}`;
}

/**
 * API Management in front of AKS (lib/targets/azure/gateway.ts). Pods are not
 * addressable from outside the cluster (overlay networking), so each agent the
 * gateway calls gets an internal load balancer Service with a fixed address in the
 * workload subnet (the client address kept: `externalTrafficPolicy: Local`), and a
 * NetworkPolicy that admits the APIM subnet, and nothing else new, on the agent's port.
 */
export function aksGateway(scope: GatewayScope): GatewayOutputs {
  const landing = azureLandings.get(scope.platform);
  const aks = aksLandings.get(scope.platform);
  const plan = scope.platform.plan;
  const fleet = plan.fleet.name;
  const name = scope.resourceName;
  const served = scope.services.map((s) => s.agent);
  const reached = served.filter((a) => reachedByGateway(plan, a, a.scaling.min));
  const addresses = new Map<string, string>();
  const ready: k8s.core.v1.Service[] = [];
  for (const agent of reached) {
    const address = gatewayAddress(landing.network.cidr, plan.agents.findIndex((a) => a.name === agent.name));
    addresses.set(agent.name, address);
    const labels = agentLabels(fleet, agent.name, agent.tags);
    ready.push(
      new k8s.core.v1.Service(
        `${name}-${agent.name}-ilb`,
        {
          metadata: {
            name: `${agent.name}-gateway`,
            namespace: aks.namespace,
            labels,
            annotations: { [AKS_INTERNAL_LB.internal]: "true", [AKS_INTERNAL_LB.subnet]: "workloads", [AKS_INTERNAL_LB.address]: address },
          },
          spec: { type: "LoadBalancer", externalTrafficPolicy: "Local", selector: agentSelector(fleet, agent.name), ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
        },
        kubeOpts(scope, aks, aks.ready),
      ),
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-${agent.name}-from-gateway`,
      {
        metadata: { name: `${agent.name}-from-gateway`, namespace: aks.namespace, labels },
        spec: {
          podSelector: { matchLabels: agentSelector(fleet, agent.name) },
          policyTypes: ["Ingress"],
          ingress: [{ from: [{ ipBlock: { cidr: apimSubnetCidr(landing.network.cidr) } }], ports: [{ protocol: "TCP", port: agent.port }] }],
        },
      },
      kubeOpts(scope, aks, aks.ready),
    );
  }
  const url = (agent: AgentPlan) => {
    const address = addresses.get(agent.name);
    if (!address) throw new Error(`unreachable: the gateway does not reach ${agent.name}`);
    return `http://${address}`;
  };
  return azureGateway(scope, { url, reachable: new Set(addresses.keys()), alwaysOn: served.filter((a) => a.scaling.min >= 1), ready });
}
