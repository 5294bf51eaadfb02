// JWT authorizer for API Gateway REST APIs (TOKEN type), deployed as-is to Lambda
// (Node.js 22, no dependencies). It verifies the bearer token's signature against
// the issuer's JWKS (RS256/384/512, PS256, ES256/384), then its issuer, audience,
// expiry and not-before, and allows the whole stage so a cached answer fits every
// route. Any failure answers "Unauthorized" (HTTP 401).
import { createPublicKey, verify } from "node:crypto";

const ALGORITHMS = {
  RS256: { hash: "sha256" },
  RS384: { hash: "sha384" },
  RS512: { hash: "sha512" },
  PS256: { hash: "sha256", padding: "pss" },
  ES256: { hash: "sha256", ec: true },
  ES384: { hash: "sha384", ec: true },
};
const LEEWAY_SECONDS = 60;
const JWKS_TTL_MS = 10 * 60 * 1000;
let cache = { at: 0, uri: "", keys: [] };

function unauthorized(reason) {
  // console.warn, not console.log: at application log level WARN Lambda's Node.js runtime drops console.log (INFO).
  console.warn({ msg: "token rejected", reason });
  return new Error("Unauthorized");
}

function decodeJson(part) {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

async function jwks(uri, now = Date.now()) {
  if (cache.uri === uri && now - cache.at < JWKS_TTL_MS) return cache.keys;
  const res = await fetch(uri, { headers: { accept: "application/json" } });
  if (!res.ok) throw unauthorized(`JWKS ${res.status}`);
  const body = await res.json();
  cache = { at: now, uri, keys: Array.isArray(body.keys) ? body.keys : [] };
  return cache.keys;
}

export function config(env = process.env) {
  return {
    issuer: env.JWT_ISSUER ?? "",
    jwksUri: env.JWT_JWKS_URI ?? "",
    audiences: (env.JWT_AUDIENCES ?? "").split(",").map((a) => a.trim()).filter(Boolean),
  };
}

export async function verifyToken(token, cfg, nowSeconds = Math.floor(Date.now() / 1000)) {
  const parts = token.split(".");
  if (parts.length !== 3) throw unauthorized("not a JWS compact token");
  const [h, p, s] = parts;
  const header = decodeJson(h);
  const alg = ALGORITHMS[header.alg];
  if (!alg) throw unauthorized(`algorithm ${header.alg} not accepted`);
  const keys = await jwks(cfg.jwksUri);
  const candidates = keys.filter((k) => (header.kid ? k.kid === header.kid : true) && (!k.use || k.use === "sig"));
  if (candidates.length !== 1) throw unauthorized("no single signing key for the token's kid");
  const key = createPublicKey({ key: candidates[0], format: "jwk" });
  const options = alg.ec ? { key, dsaEncoding: "ieee-p1363" } : alg.padding === "pss" ? { key, padding: 6, saltLength: 32 } : key;
  if (!verify(alg.hash, Buffer.from(`${h}.${p}`), options, Buffer.from(s, "base64url"))) throw unauthorized("bad signature");
  const claims = decodeJson(p);
  if (claims.iss !== cfg.issuer) throw unauthorized("issuer");
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (cfg.audiences.length > 0 && !aud.some((a) => cfg.audiences.includes(a))) throw unauthorized("audience");
  if (typeof claims.exp !== "number" || claims.exp + LEEWAY_SECONDS < nowSeconds) throw unauthorized("expired");
  if (typeof claims.nbf === "number" && claims.nbf - LEEWAY_SECONDS > nowSeconds) throw unauthorized("not yet valid");
  return claims;
}

/** `arn:...:execute-api:region:account:api/stage/METHOD/path` -> `arn:...:api/stage/*`. */
export function stageArn(methodArn) {
  const [prefix, stage] = methodArn.split("/");
  return `${prefix}/${stage}/*`;
}

export async function handler(event) {
  const match = /^Bearer (.+)$/.exec(event.authorizationToken ?? "");
  if (!match) throw unauthorized("no bearer token");
  const claims = await verifyToken(match[1], config());
  return {
    principalId: String(claims.sub ?? "unknown"),
    policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: stageArn(event.methodArn) }] },
    context: { sub: String(claims.sub ?? ""), scope: String(claims.scope ?? "") },
  };
}
