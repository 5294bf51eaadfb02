/**
 * An ECS service registered with a target group that an internet-facing load balancer
 * forwards to is reachable from the internet, whatever its public-IP setting: the
 * service -> target group -> listener -> load balancer chain becomes a network-exposure
 * fact on the service.
 */
import type { Fact, NetworkExposureFact, RawResource, ResourceFact } from "./types";
import { bool, num, records, str } from "./values";

/** A reference (ARN, name, id) names a resource written with this name or logical name (auto-named `<logical>-<suffix>`). */
function names(ref: string | undefined, r: RawResource): boolean {
  if (!ref) return false;
  const named = str(r.inputs, "name");
  const candidates = named ? [named] : [r.name];
  return candidates.some((n) => ref === n || ref.includes(`/${n}/`) || ref.endsWith(`/${n}`) || ref.endsWith(`:${n}`) || (!named && (ref.startsWith(`${n}-`) || ref.includes(`/${n}-`))));
}

/** Target groups a listener forwards to (default action, or a weighted forward). */
function forwardsTo(listener: RawResource): string[] {
  return records(listener.inputs, "defaultActions").flatMap((a) => [str(a, "targetGroupArn"), ...records(a, "forward", "targetGroups").map((t) => str(t, "arn"))]).filter((x): x is string => x !== undefined);
}

export function linkEcsExposure(facts: ReadonlyArray<Fact>, raw: ReadonlyArray<RawResource>): Fact[] {
  const services = raw.filter((r) => r.type === "aws:ecs/service:Service" && records(r.inputs, "loadBalancers").length > 0);
  if (services.length === 0) return [...facts];
  const groups = raw.filter((r) => r.type === "aws:lb/targetGroup:TargetGroup" || r.type === "aws:alb/targetGroup:TargetGroup");
  const listeners = raw.filter((r) => r.type === "aws:lb/listener:Listener" || r.type === "aws:alb/listener:Listener");
  const balancers = raw.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer" || r.type === "aws:alb/loadBalancer:LoadBalancer");
  const out: Fact[] = [...facts];
  for (const service of services) {
    const own = facts.find((f): f is ResourceFact => f.kind === "resource" && f.resource.urn === service.urn);
    if (!own) continue;
    const { kind: _kind, taggable: _taggable, known: _known, billing: _billing, ...common } = own;
    for (const entry of records(service.inputs, "loadBalancers")) {
      const arn = str(entry, "targetGroupArn");
      const group = groups.find((g) => names(arn, g));
      for (const l of listeners.filter((x) => forwardsTo(x).some((t) => t === arn || (group !== undefined && names(t, group))))) {
        const lb = balancers.find((b) => names(str(l.inputs, "loadBalancerArn"), b));
        if (!lb || bool(lb.inputs, "internal") === true) continue;
        const port = num(l.inputs, "port");
        out.push({
          ...common,
          kind: "network-exposure",
          via: "load-balancer-target",
          public: true,
          ports: port !== undefined ? [port] : [],
          sourceRanges: ["0.0.0.0/0"],
          target: str(service.inputs, "name") ?? service.name,
          gateway: false,
        } satisfies NetworkExposureFact);
      }
    }
  }
  return out;
}
