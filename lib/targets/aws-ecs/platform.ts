import * as ecs from "@pulumi/aws/ecs";
import * as servicediscovery from "@pulumi/aws/servicediscovery";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformOutputs, PlatformScope } from "../target";
import { awsFoundation } from "../aws/foundation";
import { awsLandings, childOpts } from "../aws/landing";
import { awsName, NAME_LIMITS } from "../aws/names";
import { awsTags } from "../aws/tags";
import { ecsLandings } from "./landing";

/** Container Insights level: per-task and per-container metrics where the tier has central monitoring. */
export function insightsLevel(monitoring: "basic" | "central"): "enabled" | "enhanced" {
  return monitoring === "central" ? "enhanced" : "enabled";
}

/**
 * The AWS foundation (provider, key, VPC, alarm topic, budget, internal NLB) plus
 * the Fargate cluster with Container Insights, Fargate and Fargate Spot capacity,
 * and a private Cloud Map namespace agents register in.
 */
export function ecsPlatform(scope: PlatformScope): PlatformOutputs {
  const landing = awsFoundation(scope, "ecs");
  const { plan } = scope;
  const name = scope.resourceName;
  const opts = childOpts(scope, landing);
  const cluster = new ecs.Cluster(
    name,
    {
      name: awsName([landing.prefix], NAME_LIMITS.ecsCluster),
      settings: [{ name: "containerInsights", value: insightsLevel(plan.tier.monitoring) }],
      tags: awsTags(plan.tags, landing.prefix),
    },
    opts,
  );
  new ecs.ClusterCapacityProviders(
    name,
    { clusterName: cluster.name, capacityProviders: ["FARGATE", "FARGATE_SPOT"], defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }] },
    opts,
  );
  const namespaceName = `${landing.prefix}.microagents.internal`;
  const namespace = new servicediscovery.PrivateDnsNamespace(
    name,
    { name: namespaceName, vpc: landing.network.vpcId, description: `Agents of ${landing.prefix}`, tags: awsTags(plan.tags) },
    opts,
  );
  awsLandings.set(scope, landing);
  ecsLandings.set(scope, { cluster, namespace, namespaceName, gpuPools: new Map() });
  return {
    environmentName: cluster.name,
    extra: { cluster: cluster.name, vpcId: landing.network.vpcId, region: pulumi.output(landing.region), alarmTopic: landing.alarmTopic.arn },
  };
}
