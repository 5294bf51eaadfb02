export * from "./spec";
export * from "./plan";
export * from "./components";
export { runOffline, type ResourceGraph, type CapturedResource, type OfflineOptions } from "./offline/engine";
