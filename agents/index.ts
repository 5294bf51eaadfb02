export * from "./fleets";
export * from "./research-agents";
export * from "./customer-service-agents";
export * from "./email-agents";
