import { Provider } from "@pulumi/kubernetes/provider";
import { invalidProp } from "../../spec/errors";
import type { PlatformScope } from "../target";

/**
 * The Kubernetes provider of a target: the caller's (given to the platform, the fleet or
 * any parent through `provider`/`providers`), else one for `target.cluster` (a kubeconfig
 * context), else none: objects then go through Pulumi's default provider (the ambient
 * kubeconfig's current context).
 */
export function kubernetesProvider(scope: PlatformScope): Provider | undefined {
  const given = scope.getProvider("kubernetes::");
  if (given !== undefined) {
    // The providers map is keyed by package; isInstance checks the type token, whichever copy of @pulumi/kubernetes made it.
    if (!Provider.isInstance(given)) invalidProp("opts.providers.kubernetes", "the provider given for package 'kubernetes' is not a kubernetes.Provider", "pass a provider made with new kubernetes.Provider(...)");
    return given;
  }
  return scope.target.cluster ? new Provider(`${scope.resourceName}-cluster`, { context: scope.target.cluster }, { parent: scope }) : undefined;
}
