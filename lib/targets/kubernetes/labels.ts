import { costLabels } from "../../plan/tags";

/** Labels that select one agent's pods; stable for the life of the Deployment. */
export function agentSelector(fleet: string, agent: string): Record<string, string> {
  return { "app.kubernetes.io/name": agent, "app.kubernetes.io/part-of": fleet };
}

/** Selector labels plus the cost-allocation labels. */
export function agentLabels(fleet: string, agent: string, tags: Readonly<Record<string, string>>): Record<string, string> {
  return { ...agentSelector(fleet, agent), "app.kubernetes.io/component": "agent", ...costLabels(tags) };
}

/** NATS names: stream names may not hold '.', '*', '>' or spaces. */
export function streamName(fleet: string, agent: string): string {
  return `${fleet}-${agent}`;
}

/** Subjects: `<fleet>.<agent>.in` for work, `<fleet>.events.<agent>.<type>` for events. */
export const subjects = {
  input: (fleet: string, agent: string) => `${fleet}.${agent}.in`,
  eventsOf: (fleet: string, agent: string) => `${fleet}.events.${agent}`,
  allEvents: (fleet: string) => `${fleet}.events.>`,
  maxDeliveriesAdvisory: (stream: string, consumer: string) => `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${consumer}`,
};
