/**
 * Tags for an AWS resource: the cost-allocation tags (fleet, agent, tier,
 * environment, team, managed-by) plus a Name. Tags are explicit on every taggable
 * resource rather than the provider's defaultTags: the `agent` tag differs per
 * resource, and policies judging a plan offline see a resource's own inputs only.
 */
export function awsTags(tags: Readonly<Record<string, string>>, name?: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...tags, ...extra, ...(name ? { Name: name } : {}) };
}

/** The same tags as an Auto Scaling group's tag list, copied to the instances it launches. */
export function asgTags(tags: Readonly<Record<string, string>>): Array<{ key: string; value: string; propagateAtLaunch: boolean }> {
  return Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
}
