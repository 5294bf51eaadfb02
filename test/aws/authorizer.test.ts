import { strict as assert } from "node:assert";
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { authorizerSource } from "../../lib/targets/aws/gateway-shape";
import { underLambdaConsole } from "../helpers/lambda-console";

/**
 * The JWT authorizer Lambda, run as Lambda would run it (its shipped source, a
 * real handler call), against keys made here and a JWKS endpoint stubbed in fetch.
 */
type Handler = (event: { authorizationToken?: string; methodArn: string }) => Promise<{ principalId: string; policyDocument: { Statement: Array<{ Resource: string; Effect: string }> } }>;

const ISSUER = "https://auth.acme.example/";
const JWKS = "https://auth.acme.example/.well-known/jwks.json";
const METHOD = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/emails";
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

function token(key: KeyObject, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "RS256", kid: "k1" }, hash = "sha256", ec = false): string {
  const data = `${b64(header)}.${b64(claims)}`;
  const signature = sign(hash, Buffer.from(data), ec ? { key, dsaEncoding: "ieee-p1363" } : key);
  return `${data}.${signature.toString("base64url")}`;
}

describe("the JWT authorizer", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const now = Math.floor(Date.now() / 1000);
  const good = { iss: ISSUER, aud: ["agents"], sub: "user-1", exp: now + 600, scope: "agents:write" };
  let handler: Handler;
  let fetched = 0;
  const realFetch = globalThis.fetch;

  before(async () => {
    process.env.JWT_ISSUER = ISSUER;
    process.env.JWT_JWKS_URI = JWKS;
    process.env.JWT_AUDIENCES = "agents,other";
    globalThis.fetch = (async (url: string | URL) => {
      assert.equal(String(url), JWKS);
      fetched++;
      const keys = [
        { ...rsa.publicKey.export({ format: "jwk" }), kid: "k1", use: "sig", alg: "RS256" },
        { ...ec.publicKey.export({ format: "jwk" }), kid: "k2", use: "sig", alg: "ES256" },
      ];
      return new Response(JSON.stringify({ keys }), { status: 200, headers: { "content-type": "application/json" } });
    }) as typeof fetch;
    const source = authorizerSource();
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`)) as { handler: Handler };
    handler = mod.handler;
  });
  after(() => {
    globalThis.fetch = realFetch;
  });

  it("allows a valid token for the whole stage, so a cached answer fits every route", async () => {
    const out = await handler({ authorizationToken: `Bearer ${token(rsa.privateKey, good)}`, methodArn: METHOD });
    assert.equal(out.principalId, "user-1");
    assert.deepEqual(out.policyDocument.Statement, [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*" }]);
  });

  it("accepts ES256 tokens signed with the issuer's EC key", async () => {
    const out = await handler({ authorizationToken: `Bearer ${token(ec.privateKey, good, { alg: "ES256", kid: "k2" }, "sha256", true)}`, methodArn: METHOD });
    assert.equal(out.principalId, "user-1");
  });

  it("caches the JWKS between calls", async () => {
    const before = fetched;
    await handler({ authorizationToken: `Bearer ${token(rsa.privateKey, good)}`, methodArn: METHOD });
    assert.equal(fetched, before);
  });

  const rejected: Array<[string, () => string]> = [
    ["no bearer prefix", () => token(rsa.privateKey, good)],
    ["a signature by another key", () => `Bearer ${token(other.privateKey, good)}`],
    ["another issuer", () => `Bearer ${token(rsa.privateKey, { ...good, iss: "https://evil.example/" })}`],
    ["another audience", () => `Bearer ${token(rsa.privateKey, { ...good, aud: "someone-else" })}`],
    ["an expired token", () => `Bearer ${token(rsa.privateKey, { ...good, exp: now - 120 })}`],
    ["a token not valid yet", () => `Bearer ${token(rsa.privateKey, { ...good, nbf: now + 3600 })}`],
    ["no expiry", () => `Bearer ${token(rsa.privateKey, { iss: ISSUER, aud: "agents", sub: "x" })}`],
    ["alg none", () => `Bearer ${b64({ alg: "none", kid: "k1" })}.${b64(good)}.`],
    ["HS256 (a shared-secret algorithm)", () => `Bearer ${b64({ alg: "HS256", kid: "k1" })}.${b64(good)}.c2ln`],
    ["an unknown key id", () => `Bearer ${token(rsa.privateKey, good, { alg: "RS256", kid: "nope" })}`],
    ["a tampered payload", () => {
      const [h, , s] = token(rsa.privateKey, good).split(".");
      return `Bearer ${h}.${b64({ ...good, sub: "admin" })}.${s}`;
    }],
  ];
  for (const [what, make] of rejected) {
    it(`answers Unauthorized for ${what}`, async () => {
      await assert.rejects(handler({ authorizationToken: make(), methodArn: METHOD }), { message: "Unauthorized" });
    });
  }

  it("writes a rejection at WARN, which the function's application log level (WARN) keeps", async () => {
    const kept = await underLambdaConsole("WARN", () => assert.rejects(handler({ authorizationToken: `Bearer ${token(other.privateKey, good)}`, methodArn: METHOD }), { message: "Unauthorized" }));
    assert.equal(kept.length, 1);
    assert.equal(kept[0].level, "WARN");
    assert.equal((kept[0].message as { msg?: string }).msg, "token rejected");
  });
});
