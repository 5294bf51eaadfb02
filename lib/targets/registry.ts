import { MicroAgentsConfigError } from "../spec/errors";
import type { Runtime } from "../spec/schema";
import type { Target } from "./target";

/**
 * Targets load on first use, so a Kubernetes fleet never loads a cloud provider SDK.
 * `require` is typed through `typeof import(...)`: the module's real type, checked.
 */
const loaders: Readonly<Partial<Record<Runtime, () => Target>>> = {
  kubernetes: () => (require("./kubernetes") as typeof import("./kubernetes")).kubernetesTarget,
  ecs: () => (require("./aws-ecs") as typeof import("./aws-ecs")).ecsTarget,
  eks: () => (require("./aws-eks") as typeof import("./aws-eks")).eksTarget,
  aca: () => (require("./azure-aca") as typeof import("./azure-aca")).acaTarget,
  aks: () => (require("./azure-aks") as typeof import("./azure-aks")).aksTarget,
  run: () => (require("./gcp-run") as typeof import("./gcp-run")).runTarget,
  gke: () => (require("./gcp-gke") as typeof import("./gcp-gke")).gkeTarget,
};

export function availableRuntimes(): Runtime[] {
  return Object.keys(loaders) as Runtime[];
}

export function targetFor(runtime: Runtime): Target {
  const load = loaders[runtime];
  if (!load) {
    throw new MicroAgentsConfigError([
      { path: "spec.targets[].runtime", message: `runtime '${runtime}' has no target in this version`, hint: `available: ${availableRuntimes().join(", ")}` },
    ]);
  }
  return load();
}
