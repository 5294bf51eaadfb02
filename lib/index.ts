export * from "./spec";
export * from "./plan";
export * from "./components";
export { runOffline, type ResourceGraph, type CapturedResource, type OfflineOptions } from "./offline/engine";
export { estimateCost, estimateFleet, estimateGraph, usagePresets, resolveUsage, priceCatalog, type CostEstimate, type CostItem, type UnpricedResource, type EstimateOptions, type Usage } from "./cost";
