import { z } from "zod";
import { formatPath, type SpecIssue } from "./errors";

type Path = ReadonlyArray<PropertyKey>;

/** Unwraps optional, default and nullable wrappers down to the schema that has a shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else return s;
  }
}

/** Walks a schema along a path (following the raw value through unions) to the object schema there. */
function schemaAt(schema: z.ZodType, path: Path, raw: unknown): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(schema);
  let value: unknown = raw;
  for (const key of path) {
    if (!s) return undefined;
    s = pickUnionMember(s, value);
    value = isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
    if (s instanceof z.ZodObject) s = s.shape[String(key)] as z.ZodType | undefined;
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else return undefined;
    s = s ? unwrap(s) : undefined;
  }
  return s ? pickUnionMember(s, value) : undefined;
}

function pickUnionMember(schema: z.ZodType, value: unknown): z.ZodType {
  if (!(schema instanceof z.ZodUnion)) return schema;
  const options = schema.options as ReadonlyArray<z.ZodType>;
  const objects = options.map(unwrap).filter((o): o is z.ZodObject => o instanceof z.ZodObject);
  if (!isRecord(value)) return schema;
  // A discriminated member whose literal matches the value, else the object sharing most keys.
  let best: z.ZodObject | undefined;
  let bestScore = -1;
  for (const o of objects) {
    const keys = Object.keys(o.shape);
    const literalMismatch = keys.some((k) => {
      const f = unwrap(o.shape[k] as z.ZodType);
      return f instanceof z.ZodLiteral && k in value && !f.values.has(value[k] as never);
    });
    if (literalMismatch) continue;
    const score = Object.keys(value).filter((k) => keys.includes(k)).length;
    if (score > bestScore) {
      best = o;
      bestScore = score;
    }
  }
  return best ?? schema;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Keys allowed at a path, for "unknown field" hints. */
export function allowedKeys(schema: z.ZodType, path: Path, raw: unknown): string[] {
  const s = schemaAt(schema, path, raw);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

export function closest(word: string, candidates: ReadonlyArray<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function valueAt(raw: unknown, path: Path): unknown {
  let v = raw;
  for (const k of path) {
    if (!isRecord(v) && !Array.isArray(v)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/**
 * What a field must hold, for a field that is absent: the enum's or discriminator's
 * values, a union's member types, or the expected type. Zod reports an absent field as
 * the wrong type, a value outside an enum, or a union no member of which matched; with
 * the value `undefined` in each, so the one check below keeps every such message "is
 * required" (never `'undefined' is not allowed`).
 */
function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return issue.values.length === 1 ? `'${String(issue.values[0])}'` : `one of ${issue.values.map(String).join(", ")}`;
    case "invalid_union": {
      if (issue.inclusive !== false && issue.discriminator) return `one of ${(issue.options ?? []).map(String).join(", ")}`;
      const types = issue.errors.flatMap((member) => member.filter((i) => i.code === "invalid_type" && i.path.length === 0).map((i) => (i.code === "invalid_type" ? i.expected : "")));
      return types.length > 0 ? [...new Set(types)].join(" or ") : "see the fleet file reference in README.md";
    }
    case "invalid_type":
      return issue.expected;
    default:
      return "";
  }
}

/** Turns zod issues into `path: message (hint)` issues a user can act on. */
export function toSpecIssues(error: z.ZodError, schema: z.ZodType, raw: unknown, prefix: Path = []): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    const got = valueAt(raw, issue.path);
    if (got === undefined && (issue.code === "invalid_value" || issue.code === "invalid_union" || issue.code === "invalid_type")) {
      const expected = expectedOf(issue);
      out.push({ path: formatPath(path), message: "is required", hint: issue.code === "invalid_type" ? `add it (${expected})` : `add it: ${expected}` });
      continue;
    }
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = allowedKeys(schema, issue.path, raw);
        for (const key of issue.keys) {
          const guess = closest(key, allowed);
          out.push({
            path: formatPath([...path, key]),
            message: `unknown field '${key}'`,
            hint: guess ? `did you mean '${guess}'?` : `remove it; allowed here: ${allowed.join(", ")}`,
          });
        }
        break;
      }
      case "invalid_value": {
        const options = issue.values.map(String);
        const guess = typeof got === "string" ? closest(got, options) : undefined;
        out.push({
          path: formatPath(path),
          message: `${describe(got)} is not allowed`,
          hint: `use one of ${options.join(", ")}${guess ? `; did you mean '${guess}'?` : ""}`,
        });
        break;
      }
      case "invalid_union": {
        if (issue.inclusive !== false && issue.discriminator) {
          const options = (issue.options ?? []).map(String);
          out.push({
            path: formatPath(path),
            message: `unknown ${String(issue.discriminator)} ${describe(got)}`,
            hint: `use one of ${options.join(", ")}`,
          });
        } else {
          // A member's issues are relative to the union's value: read them there.
          const best = closestMember(issue.errors);
          if (best) out.push(...toSpecIssues(new z.ZodError(best), schemaAt(schema, issue.path, raw) ?? z.unknown(), got, path));
          else out.push({ path: formatPath(path), message: `${describe(got)} matches none of the allowed forms`, hint: "see the fleet file reference in README.md" });
        }
        break;
      }
      case "invalid_type": {
        out.push({ path: formatPath(path), message: `expected ${issue.expected}, got ${describe(got)}` });
        break;
      }
      case "custom": {
        const hint = typeof issue.params?.hint === "string" ? issue.params.hint : undefined;
        out.push({ path: formatPath(path), message: issue.message, hint });
        break;
      }
      default:
        out.push({ path: formatPath(path), message: issue.message });
    }
  }
  return out;
}

/** The union member the value came closest to: the one whose problems lie deepest. */
function closestMember(members: ReadonlyArray<ReadonlyArray<z.core.$ZodIssue>>): z.core.$ZodIssue[] | undefined {
  let best: z.core.$ZodIssue[] | undefined;
  let bestDepth = 0;
  for (const issues of members) {
    const depth = Math.min(...issues.map((i) => (i.code === "invalid_type" ? 0 : 1) + i.path.length));
    if (issues.length > 0 && depth > bestDepth) {
      best = [...issues];
      bestDepth = depth;
    }
  }
  return best;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return `'${v}'`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}
