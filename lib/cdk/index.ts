export { AgentFleetStacks, type AgentFleetStacksProps } from "./fleet-stacks";
export { AgentPlatformStack, type AgentPlatformStackProps } from "./platform-stack";
export { AgentEventsStack, type AgentEventsStackProps, EVENTS_RESOURCES_PER_AGENT, eventsShardLimit } from "./events-stack";
export { AgentServicesStack, type AgentServicesStackProps } from "./agents-stack";
export { AgentService, type AgentServiceProps, agentResourceCount } from "./agent-service";
export { GpuCapacity, type GpuCapacityProps } from "./gpu-capacity";
export { shardItems, CFN_STACK_OUTPUT_LIMIT, CFN_STACK_RESOURCE_LIMIT, DEFAULT_SHARD_RESOURCES, type ShardItem } from "./sharding";
export { AgentStateStack, type AgentStateStackProps } from "./state-stack";
export { AgentGatewayStack, type AgentGatewayStackProps, cdkGatewayRoutes } from "./gateway-stack";
