import { overLimit, type LimitFinding } from "./check";
import { LIMITS } from "./sources";

/**
 * The value combinations of an attribute filter policy: the product of its arrays'
 * lengths (nested objects count their own arrays); the branches of `$or` add up.
 */
export function filterPolicyCombinations(policy: Readonly<Record<string, unknown>>): number {
  let product = 1;
  for (const [key, value] of Object.entries(policy)) {
    if (key === "$or" && Array.isArray(value)) product *= value.reduce<number>((sum, branch: Record<string, unknown>) => sum + filterPolicyCombinations(branch), 0);
    else if (Array.isArray(value)) product *= Math.max(1, value.length);
    else if (typeof value === "object" && value !== null) product *= filterPolicyCombinations(value as Record<string, unknown>);
  }
  return product;
}

/** The distinct attribute keys a filter policy matches on (the branches of `$or` share theirs). */
function policyKeys(policy: Readonly<Record<string, unknown>>, into = new Set<string>(), path = ""): Set<string> {
  for (const [key, value] of Object.entries(policy)) {
    if (key === "$or" && Array.isArray(value)) for (const branch of value as Array<Record<string, unknown>>) policyKeys(branch, into, path);
    else if (typeof value === "object" && value !== null && !Array.isArray(value)) policyKeys(value as Record<string, unknown>, into, `${path}${key}.`);
    else into.add(`${path}${key}`);
  }
  return into;
}

/** One subscription's filter policy against SNS's constraints. */
export function checkFilterPolicy(subscription: string, policy: string | Readonly<Record<string, unknown>>): LimitFinding[] {
  const text = typeof policy === "string" ? policy : JSON.stringify(policy);
  const parsed = typeof policy === "string" ? (JSON.parse(policy) as Record<string, unknown>) : policy;
  return [
    ...overLimit(LIMITS.snsFilterPolicyCombinations, subscription, filterPolicyCombinations(parsed), "filter on fewer event types per subscription, or subscribe to all events and filter in the agent"),
    ...overLimit(LIMITS.snsFilterPolicyKeys, subscription, policyKeys(parsed).size, "filter on at most five message attributes"),
    ...overLimit(LIMITS.snsFilterPolicyBytes, subscription, Buffer.byteLength(text, "utf8"), "shorten the filter policy"),
  ];
}

/** Subscriptions on one topic: FIFO topics hold 100; filter policies per topic are a quota. */
export function checkTopicSubscriptions(topic: string, counts: { readonly subscriptions: number; readonly filtered: number; readonly fifo: boolean }): LimitFinding[] {
  return [
    ...(counts.fifo ? overLimit(LIMITS.snsSubscriptionsPerFifoTopic, topic, counts.subscriptions, "fewer agents may subscribe to one FIFO agent's events; use a standard queue for the publisher") : []),
    ...overLimit(LIMITS.snsFilterPoliciesPerTopic, topic, counts.filtered, "request a higher 'Filter policies per topic' quota, or subscribe without eventTypes"),
  ];
}

export function checkAccountFilterPolicies(region: string, filtered: number): LimitFinding[] {
  return overLimit(LIMITS.snsFilterPoliciesPerAccount, region, filtered, "request a higher 'Filter policies per account' quota");
}
