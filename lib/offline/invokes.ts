/**
 * Explicit mocks for every provider function the package calls. An invoke with no
 * mock here fails the run with its token, so nothing silently returns nothing.
 */
import { azureInvokes } from "./mocks/azure";
import { gcpInvokes } from "./mocks/gcp";

export type InvokeMock = (inputs: Readonly<Record<string, unknown>>) => Record<string, unknown>;

const OFFLINE_ACCOUNT = "123456789012";
const strInput = (inputs: Readonly<Record<string, unknown>>, key: string, fallback: string) => (typeof inputs[key] === "string" ? (inputs[key] as string) : fallback);

/** AMI ids the offline engine answers for AWS's public SSM parameters. */
const PUBLIC_PARAMETERS: Readonly<Record<string, string>> = {
  "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id": "ami-0ecsgpu2023offline0",
};

/**
 * The invokes the AWS targets call (they pass `region` explicitly, so answers are
 * regional): account, availability zones, the ECS GPU AMI parameter and the
 * secrets agents reference. Anything else fails as unmocked.
 */
const STATIC_INVOKES: Readonly<Record<string, InvokeMock>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: OFFLINE_ACCOUNT,
    arn: `arn:aws:iam::${OFFLINE_ACCOUNT}:role/offline-deployer`,
    userId: "AROAOFFLINEDEPLOYER:offline",
    id: OFFLINE_ACCOUNT,
  }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs) => {
    const region = strInput(inputs, "region", "us-east-1");
    const letters = ["a", "b", "c"];
    return { id: region, region, names: letters.map((l) => `${region}${l}`), zoneIds: letters.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`), groupNames: [region], state: "available" };
  },
  "aws:ssm/getParameter:getParameter": (inputs) => {
    const name = strInput(inputs, "name", "");
    const value = PUBLIC_PARAMETERS[name];
    if (value === undefined) throw new Error(`offline SSM has no parameter '${name}'; add it to PUBLIC_PARAMETERS in lib/offline/invokes.ts`);
    const region = strInput(inputs, "region", "us-east-1");
    return { id: name, name, type: "String", value, insecureValue: value, version: 1, arn: `arn:aws:ssm:${region}::parameter${name}`, withDecryption: true };
  },
  "aws:secretsmanager/getSecret:getSecret": (inputs) => {
    const name = strInput(inputs, "name", "secret");
    const region = strInput(inputs, "region", "us-east-1");
    const arn = `arn:aws:secretsmanager:${region}:${OFFLINE_ACCOUNT}:secret:${name}-AbCdEf`;
    return { id: arn, arn, name, description: "", kmsKeyId: "", policy: "", tags: {} };
  },
};

const invokes = new Map<string, InvokeMock>([...Object.entries(STATIC_INVOKES), ...Object.entries(gcpInvokes), ...Object.entries(azureInvokes)]);

export function addInvokeMocks(mocks: Readonly<Record<string, InvokeMock>>): void {
  for (const [token, mock] of Object.entries(mocks)) invokes.set(token, mock);
}

export class UnmockedInvokeError extends Error {
  constructor(readonly token: string) {
    super(`unmocked invoke '${token}': the offline engine has no mock for it; add one with addInvokeMocks (lib/offline/invokes.ts)`);
    this.name = "UnmockedInvokeError";
  }
}

export function mockInvoke(token: string, inputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const mock = invokes.get(token);
  if (!mock) throw new UnmockedInvokeError(token);
  return mock(inputs);
}

export function isInvokeMocked(token: string): boolean {
  return invokes.has(token);
}

export function mockedInvokeTokens(): string[] {
  return [...invokes.keys()].sort();
}
