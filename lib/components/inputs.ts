import * as pulumi from "@pulumi/pulumi";
import { failResolvedInput as fail, type SpecIssue } from "../spec/errors";
import type { Runtime } from "../spec/schema";
import { agentSchema, fleetSpecSchema } from "../spec/schema";
import { toSpecIssues } from "../spec/zod-issues";

/** Runtimes whose targets read a service's computed image and environment (MicroAgentService.image, .env). */
export const INPUT_RUNTIMES: ReadonlySet<Runtime> = new Set<Runtime>(["kubernetes", "ecs", "eks", "run", "gke", "aca", "aks"]);

/** Runtimes whose gateway reads JWT settings the program computes (AgentGateway.jwt). */
export const JWT_INPUT_RUNTIMES: ReadonlySet<Runtime> = new Set<Runtime>(["kubernetes"]);

/** The gateway's JWT settings, any of them computed by the program (an identity provider it creates). */
export interface JwtSettingsInput {
  readonly issuer: pulumi.Input<string>;
  readonly jwksUri: pulumi.Input<string>;
  readonly audiences: pulumi.Input<ReadonlyArray<string>>;
}

/** Runtimes whose targets read a service's computed secret references (MicroAgentService.secrets). */
export const SECRET_INPUT_RUNTIMES: ReadonlySet<Runtime> = new Set<Runtime>(["kubernetes", "ecs", "run", "gke", "aca", "aks"]);

/** A secret the program names: where the value lives, and the key inside it. */
export interface SecretInput {
  /** The secret's name in the cloud's secret store (or the Kubernetes Secret), such as one this program creates. */
  readonly ref: pulumi.Input<string>;
  /** @default the variable name */
  readonly key?: string;
}

/** A checked secret reference: the ref resolves checked, the key is known. */
export interface ComputedSecret {
  readonly ref: pulumi.Output<string>;
  readonly key: string;
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * The image a service runs: a plain string is checked now, an Output when it resolves,
 * by the fleet file's own rules (a reference with a tag or a digest, never `latest`),
 * with the same `image: message (hint)` errors.
 */
export function checkedImage(image: pulumi.Input<string>, path: string): pulumi.Output<string> {
  const check = (value: string): string => {
    const r = agentSchema.shape.image.safeParse(value);
    if (!r.success) fail(toSpecIssues(r.error, agentSchema.shape.image, value).map((i) => ({ ...i, path })));
    return value;
  };
  if (typeof image === "string") check(image);
  return pulumi.output(image).apply(check);
}

/**
 * Environment values a program computes: names are checked now (they shape the task),
 * values when they resolve (a string). A name may not repeat one of the agent's own.
 */
export function checkedEnv(env: Readonly<Record<string, pulumi.Input<string>>>, path: string, taken: Readonly<Record<string, "env" | "secrets">>): Readonly<Record<string, pulumi.Output<string>>> {
  const issues: SpecIssue[] = [];
  for (const name of Object.keys(env)) {
    if (!ENV_NAME.test(name)) issues.push({ path: `${path}.${name}`, message: `'${name}' is not an environment variable name`, hint: "use upper case letters, digits and _, not starting with a digit" });
    else if (taken[name]) issues.push({ path: `${path}.${name}`, message: `'${name}' is already in the agent's ${taken[name]}`, hint: `give it one source: the agent's ${taken[name]} or this env` });
    else if (name.startsWith("MICROAGENTS_")) issues.push({ path: `${path}.${name}`, message: `'${name}' is reserved for the agent contract`, hint: "pick a name without the MICROAGENTS_ prefix" });
  }
  if (issues.length > 0) fail(issues);
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [
      name,
      pulumi.output(value).apply((v) => {
        if (typeof v !== "string") fail([{ path: `${path}.${name}`, message: `resolved to ${typeof v}, not a string`, hint: "give the value as a string (String(x))" }]);
        return v;
      }),
    ]),
  );
}

/** The fleet file's rule for a secret's `ref`, applied when it resolves. */
const refSchema = agentSchema.shape.secrets.unwrap().valueType.shape.ref;

/**
 * Secret references a program computes: names are checked now like env names, each
 * `ref` when it resolves, by the fleet file's rule for `secrets.<NAME>.ref`.
 */
export function checkedSecrets(secrets: Readonly<Record<string, SecretInput>>, path: string, taken: Readonly<Record<string, "env" | "secrets">>): Readonly<Record<string, ComputedSecret>> {
  const names = checkedEnv(Object.fromEntries(Object.keys(secrets).map((k) => [k, ""])), path, taken);
  return Object.fromEntries(
    Object.keys(names).map((name) => {
      const s = secrets[name];
      const at = `${path}.${name}.ref`;
      const check = (v: string): string => {
        const r = refSchema.safeParse(v);
        if (!r.success) fail(toSpecIssues(r.error, refSchema, v).map((i) => ({ ...i, path: at })));
        return v;
      };
      if (typeof s.ref === "string") check(s.ref);
      return [name, { ref: pulumi.output(s.ref).apply(check), key: s.key ?? name }];
    }),
  );
}

/** The fleet file's rules for `spec.gateway.jwt`. */
const jwtSchema = fleetSpecSchema.shape.gateway.unwrap().shape.jwt.unwrap();

/**
 * JWT settings a program computes, checked when they resolve by the fleet file's rules
 * for `spec.gateway.jwt` (issuer a URL, JWKS over HTTPS, at least one audience), the
 * errors under `path`.
 */
export function checkedJwt(jwt: JwtSettingsInput, path: string): JwtSettingsInput {
  const checked = pulumi.all([jwt.issuer, jwt.jwksUri, jwt.audiences]).apply(([issuer, jwksUri, audiences]) => {
    const value = { issuer, jwksUri, audiences: [...audiences] };
    const r = jwtSchema.safeParse(value);
    if (!r.success) fail(toSpecIssues(r.error, jwtSchema, value, [path]));
    return value;
  });
  return { issuer: checked.issuer, jwksUri: checked.jwksUri, audiences: checked.audiences };
}
