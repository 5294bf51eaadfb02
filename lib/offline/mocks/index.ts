import type { MockContext, OutputRule } from "./common";
import { awsRules } from "./aws";
import { azureRules } from "./azure";
import { gcpRules } from "./gcp";
import { kubernetesRules } from "./kubernetes";

export { ACCOUNT_ID, AZURE_SUBSCRIPTION, GCP_PROJECT, physicalName, suffix, type MockContext, type OutputRule } from "./common";

/** Every provider's rules; the first match wins, so specific rules come before catch-alls. */
const rules: OutputRule[] = [...awsRules, ...azureRules, ...gcpRules, ...kubernetesRules];

/** Lets a target add rules for its provider's types (kept next to the target's code). */
export function addOutputRules(more: ReadonlyArray<OutputRule>): void {
  rules.unshift(...more);
}

/** Inputs echoed back, plus what the provider would compute. */
export function mockOutputs(ctx: MockContext): { id: string; state: Record<string, unknown> } {
  const rule = rules.find((r) => r.match.test(ctx.type));
  const computed = rule?.outputs(ctx);
  return { id: computed?.id ?? `${ctx.name}-${ctx.type.split(":").pop()?.toLowerCase() ?? "id"}`, state: { ...ctx.inputs, ...computed?.state } };
}
