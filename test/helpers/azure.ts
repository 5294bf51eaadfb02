import { strict as assert } from "node:assert";
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
