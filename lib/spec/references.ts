import { ACCELERATOR_INFO, FRACTIONAL_SHARES, type Accelerator } from "./accelerators";
import type { SpecIssue } from "./errors";
import { formatPath } from "./errors";
import { checkPlacement } from "./placement";

/**
 * Checks that span several fields (unique names, references between agents, pools
 * and pipelines). They read the raw input defensively, so they run even when other
 * parts of the file are malformed, and every problem is reported in one pass.
 */

type Raw = Record<string, unknown>;
const isRaw = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Env names that look like credentials; their values belong in `secrets`. */
const SECRET_LIKE_ENV = /(^|_)(API_?KEY|SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS?)$/i;

export function isSecretLikeName(name: string): boolean {
  return SECRET_LIKE_ENV.test(name);
}

export function checkReferences(raw: unknown): SpecIssue[] {
  if (!isRaw(raw) || !isRaw(raw.spec)) return [];
  const spec = raw.spec;
  const issues: SpecIssue[] = [];
  const at = (...p: PropertyKey[]) => formatPath(["spec", ...p]);

  const agents = list(spec.agents);
  const agentNames = new Set<string>();
  agents.forEach((a, i) => {
    const name = isRaw(a) ? str(a.name) : undefined;
    if (name === undefined) return;
    if (agentNames.has(name)) issues.push({ path: at("agents", i, "name"), message: `duplicate agent name '${name}'`, hint: "agent names must be unique in a fleet" });
    agentNames.add(name);
  });

  const pools = new Map<string, Raw>();
  list(spec.gpuPools).forEach((p, i) => {
    if (!isRaw(p)) return;
    const name = str(p.name);
    if (name !== undefined) {
      if (pools.has(name)) issues.push({ path: at("gpuPools", i, "name"), message: `duplicate GPU pool name '${name}'` });
      pools.set(name, p);
    }
    const acc = str(p.accelerator) as Accelerator | undefined;
    const info = acc ? ACCELERATOR_INFO[acc] : undefined;
    if (p.sharing === "mig" && info && info.migProfiles.length === 0) {
      issues.push({ path: at("gpuPools", i, "sharing"), message: `${acc} does not support MIG`, hint: "use time-slicing, or an nvidia-a100, nvidia-a100-80gb or nvidia-h100 pool" });
    }
    if (typeof p.minNodes === "number" && typeof p.maxNodes === "number" && p.minNodes > p.maxNodes) {
      issues.push({ path: at("gpuPools", i, "maxNodes"), message: "minNodes is greater than maxNodes", hint: "raise maxNodes or lower minNodes" });
    }
  });

  const routePaths = new Map<string, number>();
  let needsJwt: string | undefined;
  let needsLegacy: string | undefined;
  agents.forEach((a, i) => {
    if (!isRaw(a)) return;
    issues.push(...checkAgent(a, (...p) => formatPath(["spec", "agents", i, ...p]), agentNames, pools));
    if (isRaw(a.route)) {
      const path = str(a.route.path);
      if (path !== undefined) {
        if (routePaths.has(path)) issues.push({ path: at("agents", i, "route", "path"), message: `route path '${path}' is already used by spec.agents[${routePaths.get(path)}]`, hint: "give each agent its own path" });
        else routePaths.set(path, i);
      }
      if ((a.route.auth ?? "jwt") === "jwt") needsJwt ??= formatPath(["spec", "agents", i, "route", "auth"]);
      if (typeof a.route.weight === "number" && a.route.weight < 100) needsLegacy ??= formatPath(["spec", "agents", i, "route", "weight"]);
    }
  });
  const gateway = isRaw(spec.gateway) ? spec.gateway : {};
  if (needsJwt && !isRaw(gateway.jwt)) {
    issues.push({ path: at("gateway", "jwt"), message: `is required: ${needsJwt} is jwt`, hint: "add gateway.jwt { issuer, jwksUri, audiences }, or set the route's auth to apiKey or none" });
  }
  if (needsLegacy && !isRaw(gateway.legacyBackend)) {
    issues.push({ path: at("gateway", "legacyBackend"), message: `is required: ${needsLegacy} sends part of the traffic to the legacy backend`, hint: "add gateway.legacyBackend { url }, or set weight to 100" });
  }

  const pipelineNames = new Set<string>();
  list(spec.pipelines).forEach((p, i) => {
    if (!isRaw(p)) return;
    const name = str(p.name);
    if (name !== undefined) {
      if (pipelineNames.has(name)) issues.push({ path: at("pipelines", i, "name"), message: `duplicate pipeline name '${name}'` });
      pipelineNames.add(name);
    }
    list(p.steps).forEach((step, s) => {
      const refs: Array<[string, PropertyKey[]]> = [];
      if (typeof step === "string") refs.push([step, ["pipelines", i, "steps", s]]);
      else if (isRaw(step)) {
        for (const key of ["parallel", "loop"]) list(step[key]).forEach((n, k) => typeof n === "string" && refs.push([n, ["pipelines", i, "steps", s, key, k]]));
      }
      for (const [ref, path] of refs) {
        if (!agentNames.has(ref)) issues.push({ path: at(...path), message: `unknown agent '${ref}'`, hint: `pipeline steps name agents of this fleet: ${[...agentNames].join(", ")}` });
      }
    });
  });

  const targetKeys = new Set<string>();
  list(spec.targets).forEach((t, i) => {
    if (!isRaw(t)) return;
    const key = `${String(t.runtime)}/${String(t.region)}`;
    if (targetKeys.has(key)) issues.push({ path: at("targets", i), message: `duplicate target ${key}` });
    targetKeys.add(key);
  });
  issues.push(...checkPlacement(spec, agentNames));
  return issues;
}

/**
 * Checks one agent. `agentNames` and `pools` are undefined for an agent built outside
 * a fleet, where references cannot be checked.
 */
export function checkAgent(a: Raw, at: (...p: PropertyKey[]) => string, agentNames?: ReadonlySet<string>, pools?: ReadonlyMap<string, Raw>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const env = isRaw(a.env) ? a.env : {};
  const secrets = isRaw(a.secrets) ? a.secrets : {};
  for (const name of Object.keys(env)) {
    if (isSecretLikeName(name)) issues.push({ path: at("env", name), message: "looks like a credential in plain text", hint: `move it to secrets: { ${name}: { ref: <secret name> } }` });
    if (name in secrets) issues.push({ path: at("env", name), message: "is also set in secrets", hint: "keep it in one place: secrets" });
  }
  if (isRaw(a.scaling) && a.scaling.mode === "fixed" && a.scaling.activePassive === true && a.scaling.replicas !== 2) {
    issues.push({ path: at("scaling", "replicas"), message: "active-passive runs exactly 2 replicas", hint: "set replicas: 2, or drop activePassive" });
  }
  list(a.subscribes).forEach((s, j) => {
    const from = isRaw(s) ? str(s.from) : undefined;
    if (from === undefined) return;
    if (agentNames && !agentNames.has(from)) issues.push({ path: at("subscribes", j, "from"), message: `unknown agent '${from}'`, hint: "subscribe to an agent of this fleet" });
    else if (from === a.name) issues.push({ path: at("subscribes", j, "from"), message: "an agent cannot subscribe to its own events" });
  });
  const gpu = isRaw(a.resources) && isRaw(a.resources.gpu) ? a.resources.gpu : undefined;
  const poolName = gpu ? str(gpu.pool) : undefined;
  if (!gpu || poolName === undefined || !pools) return issues;
  const pool = pools.get(poolName);
  if (!pool) {
    issues.push({ path: at("resources", "gpu", "pool"), message: `unknown GPU pool '${poolName}'`, hint: `declare it under spec.gpuPools, or leave pool out and the plan places the agent` });
    return issues;
  }
  const share = typeof gpu.share === "number" ? gpu.share : undefined;
  if (pool.sharing === "none" && share !== undefined && (FRACTIONAL_SHARES as ReadonlyArray<number>).includes(share)) {
    issues.push({ path: at("resources", "gpu", "share"), message: `pool '${poolName}' does not share GPUs, so a ${share} share cannot be served`, hint: "ask for a whole GPU, or set the pool's sharing to time-slicing or mig" });
  }
  const info = ACCELERATOR_INFO[pool.accelerator as Accelerator] as (typeof ACCELERATOR_INFO)[Accelerator] | undefined;
  if (info && typeof gpu.memoryGi === "number" && share !== undefined) {
    const capacity = share >= 1 ? info.memoryGi * share : info.memoryGi;
    if (gpu.memoryGi > capacity) {
      issues.push({ path: at("resources", "gpu", "memoryGi"), message: `${gpu.memoryGi} GiB does not fit: ${info.name} has ${info.memoryGi} GiB per GPU`, hint: "pick a pool with a larger GPU, or a larger share" });
    }
  }
  return issues;
}
