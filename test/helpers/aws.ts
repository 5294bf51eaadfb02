import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AgentFleet } from "../../lib/components/agent-fleet";
import { runOffline, type CapturedResource, type ResourceGraph } from "../../lib/offline/engine";
import type { AgentInput, FleetInput } from "../../lib/spec";
import { DIGEST } from "./fleets";

/** A fleet on one AWS runtime; tests change one thing at a time. */
export function awsFleet(runtime: "ecs" | "eks", agents: AgentInput[], spec: Partial<FleetInput["spec"]> = {}, name = "acme"): FleetInput {
  return {
    apiVersion: "microagents/v1",
    kind: "Fleet",
    metadata: { name },
    spec: { tier: "small", environment: "prod", team: "platform", targets: [{ runtime, region: "eu-west-1" }], agents, ...spec },
  };
}

export function agent(name: string, overrides: Partial<AgentInput> = {}): AgentInput {
  return { name, image: `ghcr.io/acme/${name}@${DIGEST}`, ...overrides };
}

export const JWT = { issuer: "https://auth.acme.example/", jwksUri: "https://auth.acme.example/.well-known/jwks.json", audiences: ["agents"] };

export function planAws(fleet: FleetInput, args: { clusterEndpointCidrs?: string[] } = {}): Promise<ResourceGraph> {
  return runOffline(() => new AgentFleet(fleet.metadata.name, { fleet, ...args }));
}

export function json(v: unknown): unknown {
  return typeof v === "string" ? JSON.parse(v) : v;
}

/** A statement of a policy document, as AWS reads it. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Where each kind of AWS resource keeps a policy document, and what kind of policy it is. */
const POLICY_FIELDS: ReadonlyArray<{ type: string; field: string; kind: "identity" | "trust" | "resource" | "key" }> = [
  { type: "aws:iam/role:Role", field: "assumeRolePolicy", kind: "trust" },
  { type: "aws:iam/rolePolicy:RolePolicy", field: "policy", kind: "identity" },
  { type: "aws:iam/policy:Policy", field: "policy", kind: "identity" },
  { type: "aws:sqs/queuePolicy:QueuePolicy", field: "policy", kind: "resource" },
  { type: "aws:sns/topicPolicy:TopicPolicy", field: "policy", kind: "resource" },
  { type: "aws:apigateway/restApi:RestApi", field: "policy", kind: "resource" },
  { type: "aws:kms/key:Key", field: "policy", kind: "key" },
];

export function policyDocuments(graph: ResourceGraph): Array<{ resource: CapturedResource; kind: "identity" | "trust" | "resource" | "key"; statements: Statement[] }> {
  const out: Array<{ resource: CapturedResource; kind: "identity" | "trust" | "resource" | "key"; statements: Statement[] }> = [];
  for (const r of graph.resources) {
    for (const f of POLICY_FIELDS.filter((p) => p.type === r.type)) {
      const doc = json(r.inputs[f.field]) as { Statement?: Statement[] } | undefined;
      if (doc) out.push({ resource: r, kind: f.kind, statements: doc.Statement ?? [] });
    }
  }
  return out;
}

/** Whether an AWS resource type takes tags: its Args interface in @pulumi/aws declares `tags`. */
const taggable = new Map<string, boolean>();
export function isTaggable(type: string): boolean {
  const cached = taggable.get(type);
  if (cached !== undefined) return cached;
  const m = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(type);
  let result = false;
  if (m) {
    const [, mod, file, cls] = m;
    const dts = join(require.resolve("@pulumi/aws/package.json"), "..", mod === "index" ? "" : mod, `${file}.d.ts`);
    if (existsSync(dts)) {
      const text = readFileSync(dts, "utf8");
      const start = text.indexOf(`export interface ${cls}Args {`);
      const body = start >= 0 ? text.slice(start, text.indexOf("\n}", start)) : "";
      result = /\n\s+tags\?:/.test(body);
    }
  }
  taggable.set(type, result);
  return result;
}
