import type { Target } from "../target";
import { kubernetesBroker } from "./broker";
import { kubernetesGateway } from "./gateway";
import { kubernetesGpuPool } from "./gpu-pool";
import { kubernetesObservability } from "./observability";
import { kubernetesPlatform } from "./platform";
import { kubernetesService } from "./service";
import { kubernetesStateStore } from "./state-store";

/** Any conformant Kubernetes cluster: NATS JetStream, KEDA, hardened workloads, Envoy Gateway, CloudNativePG, Valkey, OpenTelemetry. */
export const kubernetesTarget: Target = {
  runtime: "kubernetes",
  platform: kubernetesPlatform,
  broker: kubernetesBroker,
  service: kubernetesService,
  gpuPool: kubernetesGpuPool,
  gateway: kubernetesGateway,
  stateStore: kubernetesStateStore,
  observability: kubernetesObservability,
};

export { hardenedWorkload, containerResources, agentEnv, NON_PUBLIC_CIDRS, type WorkloadParams, type Workload } from "./workload";
export { scaledObject, type KedaTrigger } from "./scaler";
export { gpuScheduling, GPU_POOL_LABEL, GPU_TAINT } from "./gpu-scheduling";
export { agentLabels, agentSelector } from "./labels";
export { DEFAULT_ADDONS, NO_ADDONS, helmRelease, pinnedChart, type KubernetesAddons, type ChartName, type PinnedChart } from "./addons";
export { devicePluginConfig, devicePluginConfigName, devicePluginValues, poolNodeRequirements, DEVICE_PLUGIN_CONFIG_LABEL } from "./gpu-pool";
export { agentRouteSpec, backendTrafficPolicySpec, securityPolicySpec, legacyEndpoint, routeTarget, ENVOY_GATEWAY_CONTROLLER } from "./gateway";
export { validatorPolicy, VALIDATOR_CONFIG, OPA_ENVOY_IMAGE } from "./request-validator";
export { postgresClusterSpec, postgresSizing, valkeyValues, STATE_SCHEMA_SQL, statePods } from "./state-store";
export { agentAlertRules, agentPanels, collectorValues, fleetDashboard, AGENT_METRICS, type AlertRule } from "./observability";
export { fleetCa, fleetCertificate, type CertificateParams } from "./tls";
export { agentFiles, sharedEnv } from "./service";
export { fleetNames, AGENT_FILES } from "./names";
export { natsValues, KUBE_PROMETHEUS_VALUES } from "./platform";
