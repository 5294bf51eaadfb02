import type { FleetPlan } from "../../plan/types";
import { MicroAgentsConfigError, type SpecIssue } from "../../spec/errors";
import { KEY_VAULT_SECRET_NAME } from "./names";

/** Service Bus's longest peek-lock: PT5M. */
export const SERVICE_BUS_MAX_LOCK_SECONDS = 300;

/**
 * What Service Bus and Key Vault refuse, checked before any resource: a lock longer
 * than five minutes (the agent would lose the message mid-task; this target does not
 * renew locks on the agent's behalf, so the timeout must fit), and secret names Key
 * Vault cannot hold.
 */
export function azureFleetIssues(plan: FleetPlan): SpecIssue[] {
  const issues: SpecIssue[] = [];
  plan.fleet.agents.forEach((agent, i) => {
    const lock = agent.queue.visibilityTimeoutSeconds;
    if (lock > SERVICE_BUS_MAX_LOCK_SECONDS) {
      issues.push({
        path: `spec.agents[${i}].queue.visibilityTimeoutSeconds`,
        message: `${lock} s is longer than Service Bus's longest message lock (${SERVICE_BUS_MAX_LOCK_SECONDS} s)`,
        hint: `use at most ${SERVICE_BUS_MAX_LOCK_SECONDS}; for longer tasks renew the lock from the agent (ServiceBusReceiver.renewMessageLock) and keep this at the renewal interval`,
      });
    }
    for (const [env, ref] of Object.entries(agent.secrets)) {
      if (!KEY_VAULT_SECRET_NAME.test(ref.ref)) {
        issues.push({ path: `spec.agents[${i}].secrets.${env}.ref`, message: `'${ref.ref}' is not a Key Vault secret name`, hint: "Key Vault secret names hold letters, digits and '-' only" });
      }
    }
  });
  return issues;
}

export function checkAzureFleet(plan: FleetPlan, more: ReadonlyArray<SpecIssue> = []): void {
  const issues = [...azureFleetIssues(plan), ...more];
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);
}
