/** Reading untyped resource inputs safely: every adapter goes through these. */

export type Bag = Readonly<Record<string, unknown>>;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A nested object, or an empty one. */
export function obj(v: unknown, ...path: ReadonlyArray<string | number>): Bag {
  const found = get(v, ...path);
  return isRecord(found) ? found : {};
}

export function get(v: unknown, ...path: ReadonlyArray<string | number>): unknown {
  let cur = v;
  for (const k of path) {
    if (Array.isArray(cur) && typeof k === "number") cur = cur[k];
    else if (isRecord(cur)) cur = cur[String(k)];
    else return undefined;
  }
  return cur;
}

export function arr(v: unknown, ...path: ReadonlyArray<string | number>): ReadonlyArray<unknown> {
  const found = get(v, ...path);
  return Array.isArray(found) ? found : [];
}

export function records(v: unknown, ...path: ReadonlyArray<string | number>): ReadonlyArray<Bag> {
  return arr(v, ...path).filter(isRecord);
}

export function str(v: unknown, ...path: ReadonlyArray<string | number>): string | undefined {
  const found = get(v, ...path);
  return typeof found === "string" ? found : typeof found === "number" ? String(found) : undefined;
}

export function strings(v: unknown, ...path: ReadonlyArray<string | number>): string[] {
  const found = get(v, ...path);
  if (typeof found === "string") return [found];
  return Array.isArray(found) ? found.filter((x): x is string => typeof x === "string") : [];
}

/** A number, also from numeric strings (`"1024"`, ECS writes sizes as strings). */
export function num(v: unknown, ...path: ReadonlyArray<string | number>): number | undefined {
  const found = get(v, ...path);
  if (typeof found === "number" && Number.isFinite(found)) return found;
  if (typeof found === "string" && found.trim() !== "" && Number.isFinite(Number(found))) return Number(found);
  return undefined;
}

/** A boolean, also from `"true"`/`"false"` (annotations, CloudFormation strings). */
export function bool(v: unknown, ...path: ReadonlyArray<string | number>): boolean | undefined {
  const found = get(v, ...path);
  if (typeof found === "boolean") return found;
  if (found === "true" || found === "True") return true;
  if (found === "false" || found === "False") return false;
  return undefined;
}

/** A value that may be written as a JSON string (IAM documents, redrive policies, ECS container definitions). */
export function jsonish(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (!t.startsWith("{") && !t.startsWith("[")) return v;
  try {
    return JSON.parse(t) as unknown;
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** First defined value. */
export function first<T>(...values: ReadonlyArray<T | undefined>): T | undefined {
  return values.find((v) => v !== undefined);
}

const MEMORY_MIB: Record<string, number> = {
  "": 1 / 1048576,
  k: 1000 / 1048576,
  Ki: 1 / 1024,
  M: 1e6 / 1048576,
  Mi: 1,
  G: 1e9 / 1048576,
  Gi: 1024,
  T: 1e12 / 1048576,
  Ti: 1024 * 1024,
};

/** Kubernetes memory quantity (`512Mi`, `4Gi`, `1G`, `1073741824`) in MiB. */
export function memoryMiB(v: unknown): number | undefined {
  if (typeof v === "number") return v / 1048576;
  if (typeof v !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)(k|Ki|M|Mi|G|Gi|T|Ti)?$/.exec(v.trim());
  if (!m) return undefined;
  return Number(m[1]) * MEMORY_MIB[m[2] ?? ""];
}

/** Kubernetes CPU quantity (`2`, `0.5`, `500m`) in vCPU. */
export function cpuCores(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(v.trim());
  if (!m) return undefined;
  return m[2] === "m" ? Number(m[1]) / 1000 : Number(m[1]);
}

/** Seconds from a Go/NATS duration (`96h`, `336h`, `2m`, `30s`) or an ISO-8601 duration (`P14D`, `PT1H`). */
export function durationSeconds(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  const go = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v.trim());
  if (go && v.trim() !== "") return Number(go[1] ?? 0) * 3600 + Number(go[2] ?? 0) * 60 + Number(go[3] ?? 0);
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(v.trim());
  if (iso) return Number(iso[1] ?? 0) * 86400 + Number(iso[2] ?? 0) * 3600 + Number(iso[3] ?? 0) * 60 + Number(iso[4] ?? 0);
  const secs = /^(\d+(?:\.\d+)?)s$/.exec(v.trim());
  return secs ? Number(secs[1]) : undefined;
}
