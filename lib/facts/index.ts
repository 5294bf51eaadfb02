/**
 * Normalized facts from raw resources: what rules and the cost estimator read.
 * `factsFromGraph(runOffline(...))`, `factsFromResources(pulumiResources)` or
 * `factsFromCloudFormation(template)`.
 */
export * from "./types";
export { factsFromGraph, factsFromResources, factsOfKind, adaptedTypes, tagsOf, type FactsOptions } from "./core";
export { factsFromCloudFormation, cloudFormationTypes, type CloudFormationTemplate, type CloudFormationResource } from "./cloudformation";
export { PUBLIC_ANNOTATION } from "./kubernetes";
export { factsFromCloudAssembly, readCloudAssembly, type AssemblyStack } from "./cloud-assembly";
