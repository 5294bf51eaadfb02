// The failover entry's health route for one region, deployed as-is to Lambda
// (Node.js 22; the AWS SDK v3 that the runtime ships). One function, two roles:
// - as the route's REQUEST authorizer it admits a caller that sends the probe
//   token in the `probe` query parameter (Route 53 health checks send no
//   headers), comparing SHA-256 digests in constant time, or, behind a Front Door
//   global entry, a request whose `X-Azure-FDID` header is that profile's id
//   (FRONT_DOOR_ID; one origin group probes every origin on one path, so Front
//   Door cannot carry a per-region token);
// - as the route's proxy integration it answers 200 when none of the region's
//   "no running replica" agent alarms (alarms.json, beside this file) is in
//   ALARM, else 503, so Route 53 fails the region over when its agents are down,
//   not only when its gateway is. Answers are cached for 30 seconds per
//   instance: health checkers call several times a second, alarms move by the minute.
// Warnings go through console.warn: the function logs in JSON at application log
// level WARN, and Lambda's Node.js runtime writes console.log at INFO, so it drops
// console.log lines whatever level they name in their text.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";

const CACHE_MS = 30_000;
const BATCH = 100; // DescribeAlarms takes at most 100 alarm names per call

const sha256 = (text) => createHash("sha256").update(text, "utf8").digest();

/** Whether `token` is the probe token whose SHA-256 digest (hex) is `expectedHex`. */
export function tokenMatches(token, expectedHex) {
  if (typeof token !== "string" || token.length === 0 || !/^[0-9a-f]{64}$/.test(expectedHex ?? "")) return false;
  return timingSafeEqual(sha256(token), Buffer.from(expectedHex, "hex"));
}

/** A request header's value, whatever the case of its name. */
export function headerValue(headers, name) {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** Whether the request came through the Front Door profile whose id is `frontDoorId` (its `X-Azure-FDID` header). */
export function frontDoorMatches(value, frontDoorId) {
  if (typeof value !== "string" || typeof frontDoorId !== "string" || frontDoorId.length === 0) return false;
  return timingSafeEqual(sha256(value.toLowerCase()), sha256(frontDoorId.toLowerCase()));
}

/** The authorizer's answer: the health route of this stage, nothing else. */
export function authorize(event, expectedHex, frontDoorId) {
  const caller = tokenMatches(event.queryStringParameters?.probe, expectedHex) ? "route53-health-check" : frontDoorMatches(headerValue(event.headers, "x-azure-fdid"), frontDoorId) ? "front-door-health-probe" : undefined;
  if (!caller) {
    console.warn({ msg: "health probe rejected" });
    throw new Error("Unauthorized");
  }
  return { principalId: caller, policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }] } };
}

/** Names of the watched alarms that are in ALARM, asking `describe` (a DescribeAlarms call) in batches. */
export async function alarmsInAlarm(names, describe) {
  const firing = [];
  for (let i = 0; i < names.length; i += BATCH) {
    const batch = names.slice(i, i + BATCH);
    let token;
    do {
      const out = await describe({ AlarmNames: batch, StateValue: "ALARM", AlarmTypes: ["MetricAlarm"], NextToken: token });
      for (const a of out.MetricAlarms ?? []) firing.push(a.AlarmName);
      token = out.NextToken;
    } while (token);
  }
  return firing;
}

/** The health handler over a DescribeAlarms function and the watched alarm names. */
export function createHandler(describe, names, expectedHex, now = () => Date.now(), frontDoorId = undefined) {
  let cached;
  return async (event) => {
    if (event?.type === "REQUEST" && event.methodArn) return authorize(event, expectedHex, frontDoorId);
    if (!cached || now() - cached.at >= CACHE_MS) {
      const firing = await alarmsInAlarm(names, describe);
      cached = { at: now(), firing };
    }
    const healthy = cached.firing.length === 0;
    if (!healthy) console.warn({ msg: "region unhealthy", alarms: cached.firing });
    // The body says only whether the region is healthy: the route is probed from the internet.
    return { statusCode: healthy ? 200 : 503, headers: { "content-type": "application/json", "cache-control": "no-store" }, body: JSON.stringify({ status: healthy ? "ok" : "degraded", watched: names.length, down: cached.firing.length }) };
  };
}

let sdk;
async function describeWithSdk(input) {
  if (!sdk) {
    const { CloudWatchClient, DescribeAlarmsCommand } = await import("@aws-sdk/client-cloudwatch");
    sdk = { client: new CloudWatchClient({}), DescribeAlarmsCommand };
  }
  return sdk.client.send(new sdk.DescribeAlarmsCommand(input));
}

let deployed;
export async function handler(event) {
  if (!deployed) {
    const names = JSON.parse(readFileSync(new URL("./alarms.json", import.meta.url), "utf8"));
    // Pulumi hands over the token's digest; CDK (whose CloudFormation cannot hash) the token itself, in the fleet-key-encrypted environment.
    const expected = process.env.PROBE_TOKEN_SHA256 ?? (process.env.PROBE_TOKEN ? sha256(process.env.PROBE_TOKEN).toString("hex") : undefined);
    deployed = createHandler(describeWithSdk, names, expected, () => Date.now(), process.env.FRONT_DOOR_ID);
  }
  return deployed(event);
}
