import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { Registry } from "../target";
import type { KubernetesAddons } from "./addons";
import type { BrokerScope, PlatformScope } from "../target";

/** What the Kubernetes platform hands to the other components. */
export interface KubernetesLanding {
  readonly namespace: string;
  readonly provider?: k8s.Provider;
  /** Add-on releases whose CRDs the fleet's objects need. */
  readonly crdsReady: ReadonlyArray<pulumi.Resource>;
  readonly natsUrl: string;
  readonly natsMonitoringEndpoint: string;
  /** Namespaces allowed to reach agents: the gateway's and the metrics scraper's. */
  readonly gatewayNamespace: string;
  readonly monitoringNamespace: string;
  readonly natsNamespace: string;
  /** The add-ons in force (defaults merged with the platform's `addons`). */
  readonly addons: KubernetesAddons;
  readonly certManagerNamespace: string;
  /** The CloudNativePG operator's namespace (it calls each instance's status port). */
  readonly cnpgNamespace: string;
}

export interface KubernetesQueue {
  readonly stream: string;
  readonly consumer: string;
  readonly deadLetterStream: string;
  readonly inputSubject: string;
  readonly eventsSubject: string;
}

export const landings = new Registry<PlatformScope, KubernetesLanding>("PlatformScope");
export const brokerQueues = new Registry<BrokerScope, ReadonlyMap<string, KubernetesQueue>>("BrokerScope");

/** Options for a child object: parented to its component, on the platform's provider. */
export function childOpts(scope: pulumi.Resource, landing: KubernetesLanding, dependsOn?: ReadonlyArray<pulumi.Resource>): pulumi.CustomResourceOptions {
  return {
    parent: scope,
    ...(landing.provider ? { provider: landing.provider } : {}),
    ...(dependsOn && dependsOn.length > 0 ? { dependsOn: [...dependsOn] } : {}),
  };
}
