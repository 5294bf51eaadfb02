import * as pulumi from "@pulumi/pulumi";
import { MicroAgentsConfigError } from "../spec/errors";
import type { FleetTarget } from "../spec/types";

/** What one target gets: a provider, several (one per package), or a map keyed by package. */
export type ProvidersOfTarget = pulumi.ProviderResource | ReadonlyArray<pulumi.ProviderResource> | Readonly<Record<string, pulumi.ProviderResource>>;

/**
 * Providers per target of a fleet: an array indexed like `spec.targets`, or a function
 * of the target and its index. `undefined` for a target leaves it the fleet's own.
 */
export type TargetProviders = ReadonlyArray<ProvidersOfTarget | undefined> | ((target: FleetTarget, index: number) => ProvidersOfTarget | undefined);

/** Checks an array of providers against the fleet's targets: one entry per target at most. */
export function checkTargetProviders(given: TargetProviders | undefined, targets: ReadonlyArray<FleetTarget>): void {
  if (given === undefined || typeof given === "function") return;
  if (given.length > targets.length) {
    throw new MicroAgentsConfigError([
      { path: "targetProviders", message: `${given.length} entries for ${targets.length} target${targets.length === 1 ? "" : "s"}`, hint: "give one entry per spec.targets index (undefined keeps the fleet's providers)" },
    ]);
  }
}

/** The resource options that hand a target its providers (nothing when it has none of its own). */
export function targetProviderOpts(given: TargetProviders | undefined, target: FleetTarget, index: number): Pick<pulumi.ComponentResourceOptions, "providers"> {
  const p = given === undefined ? undefined : typeof given === "function" ? given(target, index) : given[index];
  if (p === undefined) return {};
  // ComponentResourceOptions takes an array or a map of providers; one provider becomes an array of one.
  if (pulumi.Resource.isInstance(p)) return { providers: [p as pulumi.ProviderResource] };
  // Array.isArray does not narrow a ReadonlyArray out of the union: the casts state what the branch checked.
  if (Array.isArray(p)) return { providers: [...(p as ReadonlyArray<pulumi.ProviderResource>)] };
  return { providers: { ...(p as Readonly<Record<string, pulumi.ProviderResource>>) } };
}
