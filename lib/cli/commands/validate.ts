import { planFleet } from "../../plan/plan-fleet";
import { loadFleetFile } from "../../spec/parse";
import { parse } from "../args";
import type { Command } from "../command";
import { EXIT, UsageError } from "../io";

export const validateCommand: Command = {
  name: "validate",
  summary: "check a fleet file and print every problem with its path",
  usage: "microagents validate --fleet FILE",
  help: "  --fleet FILE   the fleet file (YAML or JSON) to check\n\nExit 0 when valid; 2 with one line per problem, `path: message (hint)`.",
  async run(argv, io) {
    const { values } = parse(argv, { fleet: { type: "string" } });
    if (!values.fleet) throw new UsageError("give --fleet FILE");
    const plan = planFleet(loadFleetFile(values.fleet));
    const f = plan.fleet;
    io.out(`ok: fleet ${f.name}: tier ${f.tier}, ${f.environment}, ${f.agents.length} agents, ${plan.gpuPools.length} GPU pools, ${f.targets.map((t) => `${t.runtime}/${t.region}`).join(" + ")}\n`);
    for (const note of plan.notes) io.out(`note: ${note}\n`);
    return EXIT.ok;
  },
};
