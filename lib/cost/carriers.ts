import type { Fact, FactOf } from "../facts/types";

/**
 * Which resources carry the agents' traffic, for splitting the usage presets: the
 * agents' messages go over the agents' topics, their logs into their log groups,
 * their state into the state store's tables. The leader-lease table, the alarm
 * topic, flow-log and control-plane log groups carry none of it and get no share.
 *
 * A resource carries traffic when it belongs to one agent (its `agent` tag) or to
 * the component that carries it (AgentBroker topics, MicroAgentService logs,
 * AgentStateStore tables). A stack with no such resource of a kind (hand-written,
 * or read from CloudFormation without components) splits over all of that kind.
 */
export interface TrafficCarriers {
  /** URNs of the topics the agents' messages are published to. */
  readonly topics: ReadonlySet<string>;
  /** URNs of the log groups the agents' own logs are written to. */
  readonly logGroups: ReadonlySet<string>;
  /** URNs of the usage-billed data stores (tables, documents) that hold the agents' state. */
  readonly stores: ReadonlySet<string>;
}

/** Data stores billed by requests and GB stored; instance-sized databases (RDS, Cloud SQL) are priced by their size. */
export const USAGE_BILLED_STORES: ReadonlyArray<FactOf<"store">["storeKind"]> = ["dynamodb", "cosmosdb", "firestore"];

const componentIs = (f: Fact, type: string) => f.resource.component?.type === type;

/** Container Insights' application log group: where EKS agents' container logs go. */
const CONTAINER_LOGS = /\/containerinsights\/[^/]+\/application$/;

function pick<F extends Fact>(all: ReadonlyArray<F>, carries: (f: F) => boolean): ReadonlySet<string> {
  const carrying = all.filter(carries);
  return new Set((carrying.length > 0 ? carrying : all).map((f) => f.resource.urn));
}

export function trafficCarriers(facts: ReadonlyArray<Fact>): TrafficCarriers {
  const topics = facts.filter((f): f is FactOf<"topic"> => f.kind === "topic");
  const logs = facts.filter((f): f is FactOf<"log-group"> => f.kind === "log-group");
  const stores = facts.filter((f): f is FactOf<"store"> => f.kind === "store" && USAGE_BILLED_STORES.includes(f.storeKind));
  return {
    topics: pick(topics, (f) => f.agent !== undefined || componentIs(f, "microagents:broker:AgentBroker")),
    logGroups: pick(logs, (f) => f.agent !== undefined || componentIs(f, "microagents:service:MicroAgentService") || (f.logName !== undefined && CONTAINER_LOGS.test(f.logName))),
    stores: pick(stores, (f) => f.agent !== undefined || componentIs(f, "microagents:state:AgentStateStore")),
  };
}
