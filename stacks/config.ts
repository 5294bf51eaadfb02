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

/** The runtime a stack deploys to (`microagents:runtime`), one of those the stack supports. */
export function stackRuntime<R extends string>(allowed: ReadonlyArray<R>, fallback: R): R {
  const value = new pulumi.Config("microagents").get("runtime") ?? fallback;
  if (!(allowed as ReadonlyArray<string>).includes(value)) {
    throw new MicroAgentsConfigError([{ path: "config microagents:runtime", message: `this stack does not deploy to '${value}'`, hint: `use one of ${allowed.join(", ")}` }]);
  }
  return value as R;
}

/** A region from config (`microagents:<key>`), or the stack's default. */
export function stackRegion(key: string, fallback: string): string {
  return new pulumi.Config("microagents").get(key) ?? fallback;
}
