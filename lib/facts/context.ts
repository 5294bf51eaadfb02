import type { Fact, FactCloud, RawResource, ResourceFact, ResourceRef } from "./types";
import type { Bag } from "./values";

/** What every fact of one resource shares: the resource, cloud, region, tags and agent. */
export type FactCommon = Omit<ResourceFact, "kind" | "taggable" | "known">;

/** What an adapter receives for one raw resource. */
export interface AdapterInput {
  readonly raw: RawResource;
  /** Inputs in the Pulumi provider's shape (CloudFormation properties are translated first). */
  readonly inputs: Bag;
  readonly common: FactCommon;
}

/** Turns one raw resource into facts (besides its `resource` fact, added for every resource). */
export type Adapter = (input: AdapterInput) => Fact[];

export interface AdapterEntry {
  readonly adapt: Adapter;
  /** Whether resources of this type carry tags or labels. */
  readonly taggable: boolean;
  /** Billing dimensions for the `resource` fact (see ResourceFact.billing), where no other fact carries them. */
  readonly billing?: (input: AdapterInput) => Readonly<Record<string, string | number | boolean>> | undefined;
}

/** Adapters keyed by exact type token. */
export type AdapterTable = Readonly<Record<string, AdapterEntry>>;

/** Builds a fact with the resource's common fields. */
export function fact<F extends Fact>(common: FactCommon, body: Omit<F, keyof FactCommon>): F {
  return { ...common, ...body } as F; // the spread of two halves of F is F; TypeScript cannot prove it for a generic F
}

export function cloudOf(type: string): FactCloud | undefined {
  if (type.startsWith("aws:") || type.startsWith("AWS::")) return "aws";
  if (type.startsWith("azure-native:")) return "azure";
  if (type.startsWith("gcp:")) return "gcp";
  if (type.startsWith("kubernetes:")) return "kubernetes";
  return undefined;
}

export function refOf(r: RawResource, component?: ResourceRef["component"], undecided?: ReadonlyArray<string>): ResourceRef {
  return {
    urn: r.urn ?? `urn:pulumi:facts::facts::${r.type}::${r.name}`,
    name: r.name,
    type: r.type,
    ...(r.adaptAs ? { readAs: r.adaptAs } : {}),
    ...(r.parent ? { parent: r.parent } : {}),
    ...(component ? { component } : {}),
    ...(undecided && undecided.length > 0 ? { undecided } : {}),
  };
}
