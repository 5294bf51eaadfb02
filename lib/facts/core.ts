import type { ResourceGraph } from "../offline/engine";
import { allocationTags } from "../offline/attribution";
import { awsAdapters } from "./aws";
import { linkEcsExposure } from "./aws-exposure";
import { awsStorageAdapters, linkS3 } from "./aws-storage";
import { azureSecurityAdapters } from "./azure-security";
import { azureAdapters } from "./azure";
import { azureStorageAdapters, linkAzureState } from "./azure-storage";
import { azureGatewayAdapters } from "./azure-gateway";
import { cloudOf, refOf, type AdapterEntry, type AdapterTable, type FactCommon } from "./context";
import { gcpAdapters } from "./gcp";
import { gcpStorageAdapters, linkGcs } from "./gcp-storage";
import { gcpGatewayAdapters, linkGcpHttpProxies } from "./gcp-gateway";
import { kubernetesAdapters, kubernetesFallback } from "./kubernetes";
import { linkFacts } from "./link";
import type { Fact, FactKind, FactOf, RawResource, ResourceFact } from "./types";
import { REGION_ANNOTATION } from "../plan/tags";
import { isRecord, str, type Bag } from "./values";


// The coverage tables come last: they add types, and add facts to some types the cloud tables read.
const adapters: AdapterTable = { ...kubernetesAdapters, ...awsAdapters, ...azureAdapters, ...gcpAdapters, ...awsStorageAdapters, ...azureSecurityAdapters, ...azureStorageAdapters, ...azureGatewayAdapters, ...gcpStorageAdapters, ...gcpGatewayAdapters };

/** The adapters by type token (docs list which types feed which facts). */
export function adapterTable(): AdapterTable {
  return adapters;
}

/** Types with an adapter: what the facts layer understands. */
export function adaptedTypes(): string[] {
  return Object.keys(adapters).sort();
}

export interface FactsOptions {
  /** Stack config (`aws:region`, `azure-native:location`, `gcp:region`), for resources that do not state a region. */
  readonly config?: Readonly<Record<string, string>>;
}

const DEFAULT_REGION_KEYS: Readonly<Record<string, ReadonlyArray<string>>> = {
  aws: ["aws:region"],
  azure: ["azure-native:location", "azure:location"],
  gcp: ["gcp:region"],
};

/** Tags or labels, wherever the provider keeps them (GKE `resourceLabels`, Monitoring `userLabels`, an Auto Scaling group's tag list). */
export function tagsOf(inputs: Bag): Record<string, string> {
  const out = allocationTags(inputs);
  for (const key of ["resourceLabels", "defaultLabels", "userLabels"]) {
    const bag = inputs[key];
    if (isRecord(bag)) for (const [k, v] of Object.entries(bag)) if (typeof v === "string" && !(k in out)) out[k] = v;
  }
  if (Array.isArray(inputs.tags)) {
    for (const t of inputs.tags) {
      const key = isRecord(t) ? (t.key ?? t.Key) : undefined;
      const value = isRecord(t) ? (t.value ?? t.Value) : undefined;
      if (typeof key === "string" && typeof value === "string" && !(key in out)) out[key] = value;
    }
  }
  return out;
}

function regionOf(r: RawResource, cloud: string, config: Readonly<Record<string, string>>, byUrn: ReadonlyMap<string, RawResource>, namespaceRegions: ReadonlyMap<string, string>): string | undefined {
  const own = str(r.inputs, "region") ?? str(r.inputs, "location");
  if (own) return own;
  if (r.providerRegion) return r.providerRegion;
  const provider = r.providerUrn ? byUrn.get(r.providerUrn) : undefined;
  const viaProvider = provider ? (str(provider.inputs, "region") ?? str(provider.inputs, "location")) : undefined;
  if (viaProvider) return viaProvider;
  const namespace = cloud === "kubernetes" ? (str(r.inputs, "metadata", "namespace") ?? str(r.inputs, "namespace") ?? (r.type === "kubernetes:core/v1:Namespace" ? str(r.inputs, "metadata", "name") : undefined)) : undefined;
  const viaNamespace = namespace ? namespaceRegions.get(namespaceKey(r.providerUrn, namespace)) : undefined;
  if (viaNamespace) return viaNamespace;
  // An add-on in a namespace of its own (a Helm release's `keda`, `kube-system`) is in its cluster's region.
  const viaCluster = cloud === "kubernetes" && r.providerUrn ? namespaceRegions.get(namespaceKey(r.providerUrn, CLUSTER_WIDE)) : undefined;
  if (viaCluster) return viaCluster;
  for (const key of DEFAULT_REGION_KEYS[cloud] ?? []) if (config[key]) return config[key];
  return undefined;
}

/** The key of a cluster's own region (that of its annotated namespaces), for objects in namespaces not annotated. */
const CLUSTER_WIDE = "*";

/** A namespace in one cluster: clusters of one fleet share namespace names, so the cluster's provider is part of the key. */
function namespaceKey(providerUrn: string | undefined, namespace: string): string {
  return `${providerUrn ?? ""} ${namespace}`;
}

/**
 * Namespaces a managed cluster's target annotates with its cloud region
 * (REGION_ANNOTATION): their resources (same provider, same namespace) are in that
 * region, so an EKS, AKS or GKE workload is grouped and priced in its cluster's
 * region, not under `global`.
 */
function namespaceRegionsOf(resources: ReadonlyArray<RawResource>): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of resources) {
    if (r.type !== "kubernetes:core/v1:Namespace") continue;
    const name = str(r.inputs, "metadata", "name");
    const region = str(r.inputs, "metadata", "annotations", REGION_ANNOTATION);
    if (name && region) out.set(namespaceKey(r.providerUrn, name), region);
    if (region && r.providerUrn) out.set(namespaceKey(r.providerUrn, CLUSTER_WIDE), region);
  }
  return out;
}

function entryFor(type: string): AdapterEntry | undefined {
  return adapters[type] ?? kubernetesFallback(type);
}

/**
 * Facts from raw resources (Pulumi type token + inputs). Component resources are
 * skipped; every custom resource gets a `resource` fact, and known types get the
 * facts their adapter gives. Cross-resource facts are linked last.
 */
export function factsFromResources(resources: ReadonlyArray<RawResource>, options: FactsOptions = {}): Fact[] {
  const config = options.config ?? {};
  const byUrn = new Map(resources.filter((r) => r.urn).map((r) => [r.urn as string, r]));
  const facts: Fact[] = [];
  const custom = resources.filter((r) => r.custom !== false && !r.type.startsWith("pulumi:"));
  const undecided = undecidedByUrn(custom);
  const namespaceRegions = namespaceRegionsOf(custom);
  for (const r of custom) {
    const cloud = cloudOf(r.type);
    if (!cloud) continue;
    const tags = tagsOf(r.inputs);
    const agent = tags.agent && tags.agent !== "shared" ? tags.agent : undefined;
    const region = regionOf(r, cloud, config, byUrn, namespaceRegions);
    const component = componentOf(r, byUrn);
    const common: FactCommon = {
      resource: refOf(r, component, r.urn ? undecided.get(r.urn) : undefined),
      cloud,
      ...(region ? { region } : {}),
      tags,
      ...(agent ? { agent } : {}),
    };
    const entry = entryFor(r.adaptAs ?? r.type);
    const hasTagBag = isRecord(r.inputs.tags) || Array.isArray(r.inputs.tags) || isRecord(r.inputs.labels) || isRecord(r.inputs.resourceLabels) || isRecord(r.inputs.userLabels);
    const billing = entry?.billing?.({ raw: r, inputs: r.inputs, common });
    const resourceFact: ResourceFact = {
      ...common,
      kind: "resource",
      taggable: r.taggable ?? (entry ? entry.taggable || hasTagBag : hasTagBag ? true : undefined),
      known: entry !== undefined && adapters[r.adaptAs ?? r.type] !== undefined,
      ...(billing ? { billing } : {}),
    };
    facts.push(resourceFact);
    if (entry) {
      const adapted = entry.adapt({ raw: r, inputs: r.inputs, common });
      // Pulumi's `protect` is deletion protection whatever the provider offers.
      facts.push(...(r.protect ? adapted.map((f) => (f.kind === "store" ? { ...f, deletionProtection: true } : f)) : adapted));
    }
  }
  return linkAzureState(linkEcsExposure(linkGcpHttpProxies(linkGcs(linkS3(linkFacts(facts, custom), custom), custom), custom), custom), custom);
}

/**
 * What is not known yet about each resource: its own unknown inputs, and the unknown
 * inputs of resources that depend on it (an autoscaling target whose `resourceId` is
 * unknown may be the one that scales this service).
 */
function undecidedByUrn(resources: ReadonlyArray<RawResource>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (urn: string, what: string) => out.set(urn, [...(out.get(urn) ?? []), what]);
  const unsure = resources.filter((r) => r.unknowns && r.unknowns.length > 0);
  for (const r of unsure) if (r.urn) for (const path of r.unknowns ?? []) add(r.urn, path);
  for (const r of unsure) for (const dep of r.dependencies ?? []) for (const path of r.unknowns ?? []) add(dep, `${r.name}.${path}`);
  return out;
}

function componentOf(r: RawResource, byUrn: ReadonlyMap<string, RawResource>): { type: string; name: string } | undefined {
  let parent = r.parentUrn ? byUrn.get(r.parentUrn) : undefined;
  while (parent && !parent.type.startsWith("microagents:")) parent = parent.parentUrn ? byUrn.get(parent.parentUrn) : undefined;
  return parent ? { type: parent.type, name: parent.name } : undefined;
}

/** Facts from an offline run (`runOffline`), using the stack's config for default regions. */
export function factsFromGraph(graph: Pick<ResourceGraph, "resources" | "config">): Fact[] {
  return factsFromResources(graph.resources, { config: graph.config });
}

/** The facts of one kind, typed. */
export function factsOfKind<K extends FactKind>(facts: ReadonlyArray<Fact>, kind: K): Array<FactOf<K>> {
  return facts.filter((f): f is FactOf<K> => f.kind === kind);
}
