/** CloudFormation's hard limit on resources in one stack. */
export const CFN_STACK_RESOURCE_LIMIT = 500;

/** CloudFormation's hard limit on outputs (CDK's cross-stack exports) in one template. */
export const CFN_STACK_OUTPUT_LIMIT = 200;

/** What a shard may fill by default: room below the hard limit for what CDK adds (metadata, exports' consumers, later growth). */
export const DEFAULT_SHARD_RESOURCES = 450;

export interface ShardItem {
  readonly name: string;
  /** CloudFormation resources the item adds to its stack. */
  readonly resources: number;
}

/**
 * Splits items into consecutive shards of at most `limit` resources each, in the
 * order given, so adding an agent at the end of a fleet never moves the others
 * (a moved agent would be deleted from one stack and created in another).
 */
export function shardItems<T extends ShardItem>(items: ReadonlyArray<T>, limit: number = DEFAULT_SHARD_RESOURCES): T[][] {
  if (!Number.isInteger(limit) || limit < 1 || limit > CFN_STACK_RESOURCE_LIMIT) {
    throw new RangeError(`shard limit must be an integer from 1 to ${CFN_STACK_RESOURCE_LIMIT}, got ${limit}`);
  }
  const shards: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    if (item.resources > limit) throw new RangeError(`${item.name} alone needs ${item.resources} resources, more than a shard's ${limit}`);
    if (used + item.resources > limit) {
      shards.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += item.resources;
  }
  if (current.length > 0) shards.push(current);
  return shards;
}
