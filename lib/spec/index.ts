export * from "./accelerators";
export * from "./errors";
export * from "./quantities";
export * from "./tiers";
export * from "./types";
export { applyAgentDefaults, applyFleetDefaults, DEFAULT_RESOURCES, type DefaultsContext } from "./defaults";
export { defineFleet, loadFleetFile, parseAgent, parseFleet, parseFleetText } from "./parse";
export { isSecretLikeName } from "./references";
export {
  AGENT_NAME_MAX,
  FLEET_NAME_MAX,
  RUNTIMES,
  parseImageRef,
  type AgentInput,
  type FleetInput,
  type GpuPoolInput,
  type PipelineInput,
  type PipelineStep,
  type Runtime,
  type ScalingInput,
  type TargetInput,
} from "./schema";
