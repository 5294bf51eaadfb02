import type { Agent } from "../spec/types";
import type { ScalingTriggers } from "./types";

/**
 * What drives an agent's replica count. Horizontal and vertical agents scale on
 * their queue backlog (visible plus in-flight messages per replica); fixed agents
 * do not autoscale.
 */
export function scalingTriggers(agent: Agent): ScalingTriggers {
  const s = agent.scaling;
  const queue = s.mode !== "fixed" && s.max > s.min;
  return {
    queue,
    backlogPerReplica: s.backlogPerReplica,
    includeInFlight: true,
    ...(s.cpuTargetPercent !== undefined ? { cpuTargetPercent: s.cpuTargetPercent } : {}),
    scaleToZero: queue && s.min === 0,
    // Model loading is slow: GPU and vertical agents wait longer before scaling in.
    cooldownSeconds: agent.resources.gpu || s.mode === "vertical" ? 600 : 300,
    pollingIntervalSeconds: 30,
  };
}
