export { AgentPlatform, type AgentPlatformArgs } from "./agent-platform";
export { AgentBroker, type AgentBrokerArgs } from "./agent-broker";
export { MicroAgentService, type MicroAgentServiceArgs } from "./micro-agent-service";
export { GpuAgentPool, type GpuAgentPoolArgs } from "./gpu-agent-pool";
export { AgentGateway, type AgentGatewayArgs } from "./agent-gateway";
export { AgentStateStore, type AgentStateStoreArgs, type StateStoreSettings } from "./agent-state-store";
export { ObservabilityStack, type ObservabilityStackArgs } from "./observability-stack";
export { AgentFleet, type AgentFleetArgs, type FleetDeployment } from "./agent-fleet";
