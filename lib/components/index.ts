export { AgentPlatform, type AgentPlatformArgs } from "./agent-platform";
export { AgentBroker, type AgentBrokerArgs } from "./agent-broker";
export { MicroAgentService, type MicroAgentServiceArgs } from "./micro-agent-service";
export { AgentFleet, type AgentFleetArgs, type FleetDeployment } from "./agent-fleet";
