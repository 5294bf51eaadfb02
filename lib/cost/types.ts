import type { Accelerator, Cloud } from "../spec/accelerators";
import type { PriceCatalog } from "../prices/catalog";
import type { ResolvedUsage, Usage } from "./usage";

/** One resource's monthly figure and how it was reached. */
export interface CostItem {
  /** The resource's logical name. */
  readonly resource: string;
  /** Pulumi type token or CloudFormation type. */
  readonly type: string;
  /** The agent the resource belongs to; undefined for fleet-wide (shared) resources. */
  readonly agent?: string;
  /** The resource's region (its own, or its provider's), when the facts say. */
  readonly region?: string;
  /** USD a month, to the cent. 0 for things that cost nothing (basis starts "no charge"). */
  readonly monthlyUsd: number;
  /** What the figure is: prices, quantities and assumptions, in one line. */
  readonly basis: string;
}

/** A resource the estimator could not price: listed, never counted as zero. */
export interface UnpricedResource {
  readonly resource: string;
  readonly type: string;
  readonly agent?: string;
  readonly reason: string;
}

export interface CostEstimate {
  /** Σ items, to the cent. */
  readonly totalMonthlyUsd: number;
  /** The fleet's budget, or the budgets the stack declares; undefined when neither is known. */
  readonly budgetMonthlyUsd?: number;
  readonly items: ReadonlyArray<CostItem>;
  readonly unpriced: ReadonlyArray<UnpricedResource>;
  /** USD a month per agent; fleet-wide resources under `shared`. */
  readonly byAgent: Readonly<Record<string, number>>;
  /** USD a month per region (`global` for resources without one), e.g. a medium fleet's primary and backup. */
  readonly byRegion: Readonly<Record<string, number>>;
  /** The usage the estimate assumed. */
  readonly usage: ResolvedUsage;
  /** Everything assumed that is not in an item's basis. */
  readonly assumptions: ReadonlyArray<string>;
}

/** A GPU pool of the fleet's plan, for GPU workloads whose nodes the stack does not declare (plain Kubernetes). */
export interface GpuPoolPricing {
  /** The pool name: the `microagents.io/gpu-pool` node label value. */
  readonly name: string;
  readonly accelerator: Accelerator;
  readonly sharing: "time-slicing" | "mig" | "none";
  /** Time slices per GPU (1 when not time-sliced). */
  readonly slicesPerGpu: number;
  readonly spot: boolean;
  /** Nodes the packing needs at the agents' minimum and maximum replicas. */
  readonly nodesAtMin: number;
  readonly nodesAtMax: number;
  /** The pool's node floor and cap. */
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Machine type per cloud. */
  readonly instanceTypes: Readonly<Partial<Record<Cloud, string>>>;
}

export interface EstimateOptions {
  /**
   * Usage for what is billed by use.
   * @default the preset of the tier the resources are tagged with (small when untagged)
   */
  readonly usage?: Usage | ResolvedUsage;
  /**
   * Budget to compare against.
   * @default the budgets the stack declares (per fleet, the largest; summed over fleets)
   */
  readonly budgetMonthlyUsd?: number;
  /**
   * Fraction off on-demand for spot capacity (GPU nodes, Fargate Spot).
   * @default the catalog's (0.6)
   */
  readonly spotDiscount?: number;
  /**
   * The cloud Kubernetes clusters run on, for node prices.
   * @default the cloud of a managed cluster in the stack, else of the regions, else AWS as a reference
   */
  readonly kubernetesCloud?: Cloud;
  /**
   * The cloud of Kubernetes resources whose region says nothing (a fleet's plain
   * Kubernetes targets all in one cloud's regions); a resource's own region wins.
   * @default none: AWS prices as a reference, said so in the basis
   */
  readonly kubernetesCloudFallback?: Cloud;
  /** The fleet's GPU pools from its plan, for plain-Kubernetes GPU pools (labels over existing nodes). */
  readonly gpuPools?: ReadonlyArray<GpuPoolPricing>;
  /**
   * Price the naive deployment of the same stack instead: on-demand only, a whole
   * GPU for every GPU replica, and nothing scaled to zero.
   * @default false
   */
  readonly naive?: boolean;
  /** @default the package's catalog (lib/prices/prices.json) */
  readonly catalog?: PriceCatalog;
}
