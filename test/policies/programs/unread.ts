// A compliant workload next to resources no adapter reads (an SSM parameter, a Route 53 zone).
import * as route53 from "@pulumi/aws/route53";
import * as ssm from "@pulumi/aws/ssm";
import { TAGS, defaultDeny, deployment } from "../fixtures/kit";

deployment("worker");
defaultDeny();
new ssm.Parameter("endpoint", { name: "/acme/endpoint", type: "String", value: "https://agents.acme.example", tags: { ...TAGS } });
new ssm.Parameter("queue", { name: "/acme/queue", type: "String", value: "acme-work", tags: { ...TAGS } });
new route53.Zone("internal", { name: "agents.acme.internal", tags: { ...TAGS } });
