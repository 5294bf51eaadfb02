import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { AgentPlan } from "../../plan/types";
import { agentLabels } from "./labels";

/** One KEDA trigger: the queue the agent drains, in the target's terms. */
export interface KedaTrigger {
  readonly type: string;
  readonly metadata: Readonly<Record<string, pulumi.Input<string>>>;
  readonly authenticationRef?: { readonly name: string };
}

/**
 * A KEDA ScaledObject for a queue-scaled agent: replicas between the plan's bounds,
 * one replica per `backlogPerReplica` waiting or in-flight messages, zero when idle
 * where the plan allows, and an optional CPU target.
 */
export function scaledObject(
  name: string,
  fleet: string,
  agent: AgentPlan,
  namespace: string,
  queueTrigger: KedaTrigger,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource | undefined {
  const t = agent.triggers;
  if (!t.queue) return undefined;
  const triggers: KedaTrigger[] = [queueTrigger];
  if (t.cpuTargetPercent !== undefined) triggers.push({ type: "cpu", metadata: { type: "Utilization", value: String(t.cpuTargetPercent) } });
  return new k8s.apiextensions.CustomResource(
    name,
    {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: agent.name, namespace, labels: agentLabels(fleet, agent.name, agent.tags) },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: agent.name },
        minReplicaCount: agent.scaling.min,
        maxReplicaCount: agent.scaling.max,
        pollingInterval: t.pollingIntervalSeconds,
        cooldownPeriod: t.cooldownSeconds,
        advanced: {
          horizontalPodAutoscalerConfig: {
            behavior: { scaleDown: { stabilizationWindowSeconds: t.cooldownSeconds, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] } },
          },
        },
        triggers,
      },
    },
    opts,
  );
}
