import { strict as assert } from "node:assert";
import { customerServiceFleet } from "../../agents/fleets";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { runOffline } from "../../lib/offline/engine";
import { MicroAgentsConfigError, type FleetInput, type SpecIssue } from "../../lib/spec";

/** The issues AgentFleet raises over a fleet under the offline engine; fails when it builds. */
export async function fleetIssues(fleet: FleetInput): Promise<ReadonlyArray<SpecIssue>> {
  let caught: unknown;
  await runOffline(() => {
    try {
      new AgentFleet(fleet.metadata.name, { fleet });
    } catch (e) {
      caught = e;
    }
  });
  if (caught === undefined) assert.fail(`fleet ${fleet.metadata.name} built without a MicroAgentsConfigError`);
  if (!(caught instanceof MicroAgentsConfigError)) throw caught;
  return caught.issues;
}

/** The customer-service fleet as a medium prod pair (westeurope primary, northeurope backup) with public gateways behind a Front Door entry whose name is in `zoneId`. */
export function azurePairFleet(runtime: "aca" | "aks", zoneId: string, gateway: Record<string, unknown> = {}): FleetInput {
  const input = customerServiceFleet({
    tier: "medium",
    environment: "prod",
    targets: [
      { runtime, region: "westeurope", role: "primary" },
      { runtime, region: "northeurope", role: "backup" },
    ],
  });
  return { ...input, spec: { ...input.spec, gateway: { ...input.spec.gateway, public: true, azureDnsZoneId: zoneId, ...gateway } } };
}
