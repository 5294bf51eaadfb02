export * from "./types";
export { planFleet, planAgent, isFleet } from "./plan-fleet";
export { packGpus, unitsFor, type GpuItem, type GpuBinShape, type GpuAssignment, type PackingResult } from "./gpu-packing";
export { planGpu, ACCELERATOR_COST_ORDER, RUNTIME_CLOUD, fleetClouds } from "./gpu-placement";
export { fleetSubscriptions, pipelineEdges } from "./events";
export { retryPolicy, circuitBreakerPolicy, alarmThresholds } from "./resilience";
export { scalingTriggers } from "./scaling";
export { costTags, costLabels, COST_TAG_KEYS, LABEL_PREFIX, type CostTagKey } from "./tags";
