import type { FleetPlan } from "../../plan/types";
import { MicroAgentsConfigError, type SpecIssue } from "../../spec/errors";

/**
 * What a valid fleet may still ask that AWS cannot do, reported before any
 * resource exists:
 * - API Gateway REST APIs have no per-route weighted routing (a stage canary splits
 *   a whole deployment, not one route), so a route goes to its agent (weight 100)
 *   or to the legacy backend (weight 0);
 * - a standard SNS topic cannot deliver to a FIFO queue, so an agent with a FIFO
 *   queue can only subscribe to agents whose queues (and so topics) are FIFO too.
 */
export function checkAwsFleet(plan: FleetPlan): void {
  const issues: SpecIssue[] = [];
  plan.fleet.agents.forEach((agent, i) => {
    const weight = agent.route?.weight;
    if (weight !== undefined && weight > 0 && weight < 100) {
      issues.push({
        path: `spec.agents[${i}].route.weight`,
        message: `API Gateway (runtime ecs/eks) cannot split one route ${weight}/${100 - weight} between the agent and the legacy backend`,
        hint: "use 100 (the agent) or 0 (the legacy backend) on AWS, and shift traffic by changing it between deployments",
      });
    }
  });
  const fifo = new Map(plan.agents.map((a) => [a.name, a.queue.fifo]));
  for (const s of plan.subscriptions) {
    if (fifo.get(s.subscriber) && !fifo.get(s.publisher)) {
      const i = plan.fleet.agents.findIndex((a) => a.name === s.subscriber);
      issues.push({
        path: `spec.agents[${i}].queue.fifo`,
        message: `'${s.subscriber}' has a FIFO queue but receives events of '${s.publisher}', whose topic is standard; SNS cannot deliver a standard topic to a FIFO queue`,
        hint: `make '${s.publisher}' FIFO too, or '${s.subscriber}' standard`,
      });
    }
  }
  if (issues.length > 0) throw new MicroAgentsConfigError(issues);
}
