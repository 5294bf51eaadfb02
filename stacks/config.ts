import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENTS, MicroAgentsConfigError, type Environment } from "../lib/spec";

/** Stack settings from Pulumi config (`microagents:*`), checked like a fleet file. */
export function stackEnvironment(): Environment {
  const value = new pulumi.Config("microagents").get("environment") ?? "dev";
  if (!(ENVIRONMENTS as ReadonlyArray<string>).includes(value)) {
    throw new MicroAgentsConfigError([{ path: "config microagents:environment", message: `'${value}' is not an environment`, hint: `use one of ${ENVIRONMENTS.join(", ")}` }]);
  }
  return value as Environment;
}

/** Kubernetes context to deploy into, when the stack targets an existing cluster. */
export function kubeContext(name: string): string | undefined {
  return new pulumi.Config("microagents").get(name);
}
