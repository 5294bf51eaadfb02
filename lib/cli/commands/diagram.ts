import { fleetDiagram } from "../../plan/diagram";
import { planFleet } from "../../plan/plan-fleet";
import { loadFleetFile } from "../../spec/parse";
import { parse } from "../args";
import type { Command } from "../command";
import { EXIT, UsageError } from "../io";

export const diagramCommand: Command = {
  name: "diagram",
  summary: "draw a fleet (gateway routes, agents, GPU pools, event wiring) as a Mermaid flowchart",
  usage: "microagents diagram --fleet FILE",
  help: "  --fleet FILE   the fleet file (YAML or JSON)\n\nPrints Mermaid; paste it into a Markdown file or https://mermaid.live.",
  async run(argv, io) {
    const { values } = parse(argv, { fleet: { type: "string" } });
    if (!values.fleet) throw new UsageError("give --fleet FILE");
    io.out(fleetDiagram(planFleet(loadFleetFile(values.fleet))));
    return EXIT.ok;
  },
};
