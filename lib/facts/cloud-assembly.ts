import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MicroAgentsConfigError } from "../spec/errors";
import { translateCloudFormation, type CloudFormationTemplate } from "./cloudformation";
import { factsFromResources } from "./core";
import type { Fact, RawResource } from "./types";
import { isRecord } from "./values";

/** One stack of a synthesized CDK app: its name, region (when the app pins one) and template. */
export interface AssemblyStack {
  readonly name: string;
  readonly region?: string;
  readonly template: CloudFormationTemplate;
}

function readJson(path: string, what: string): unknown {
  const text = readFileSync(path, "utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new MicroAgentsConfigError([{ path, message: `${what} is not JSON: ${(e as Error).message}`, hint: "synthesize the app again (cdk synth)" }]);
  }
}

/** The CloudFormation stacks of a cloud assembly (`cdk.out`), from its manifest. */
export function readCloudAssembly(dir: string): AssemblyStack[] {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new MicroAgentsConfigError([{ path: dir, message: "no manifest.json: not a synthesized CDK app", hint: "run `cdk synth` (or your app with CDK_OUTDIR set) and pass its output directory" }]);
  }
  const manifest = readJson(manifestPath, "the cloud assembly manifest");
  const artifacts = isRecord(manifest) && isRecord(manifest.artifacts) ? manifest.artifacts : {};
  const stacks: AssemblyStack[] = [];
  for (const [name, artifact] of Object.entries(artifacts)) {
    if (!isRecord(artifact) || artifact.type !== "aws:cloudformation:stack") continue;
    const file = isRecord(artifact.properties) && typeof artifact.properties.templateFile === "string" ? artifact.properties.templateFile : `${name}.template.json`;
    const region = typeof artifact.environment === "string" ? /^aws:\/\/[^/]+\/([a-z0-9-]+)$/.exec(artifact.environment)?.[1] : undefined;
    const template = readJson(join(dir, file), `the template of stack ${name}`);
    stacks.push({ name, ...(region && region !== "unknown-region" ? { region } : {}), template: isRecord(template) ? (template as CloudFormationTemplate) : {} });
  }
  if (stacks.length === 0) throw new MicroAgentsConfigError([{ path: manifestPath, message: "the cloud assembly has no CloudFormation stacks", hint: "check that the app defines stacks and synthesized without errors" }]);
  return stacks;
}

/** Export name -> the exported value, over every stack (CDK's cross-stack references). */
function exportsOf(stacks: ReadonlyArray<AssemblyStack>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const stack of stacks) {
    const outputs = isRecord(stack.template.Outputs) ? stack.template.Outputs : {};
    for (const o of Object.values(outputs)) {
      if (isRecord(o) && isRecord(o.Export) && typeof o.Export.Name === "string") out.set(o.Export.Name, o.Value);
    }
  }
  return out;
}

/** Replaces each `Fn::ImportValue` of a known export with the exported expression (`{Ref: X}`), so references read alike within and across stacks. */
function resolveImports(v: unknown, exported: ReadonlyMap<string, unknown>): unknown {
  if (Array.isArray(v)) return v.map((x) => resolveImports(x, exported));
  if (!isRecord(v)) return v;
  const name = v["Fn::ImportValue"];
  if (Object.keys(v).length === 1 && typeof name === "string" && exported.has(name)) return exported.get(name);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveImports(x, exported)]));
}

/** Facts of every stack of a synthesized CDK app, each resource in its stack's region. */
export function factsFromCloudAssembly(dir: string): Fact[] {
  return factsFromStacks(readCloudAssembly(dir));
}

/** Facts of CloudFormation stacks that reference each other (CDK's cross-stack exports), each resource in its stack's region. */
export function factsFromStacks(stacks: ReadonlyArray<AssemblyStack>): Fact[] {
  const exported = exportsOf(stacks);
  const resources: RawResource[] = stacks.flatMap((stack) =>
    Object.entries(stack.template.Resources ?? {}).map(([id, r]) => {
      const raw = translateCloudFormation(id, { ...r, ...(r.Properties ? { Properties: resolveImports(r.Properties, exported) as Record<string, unknown> } : {}) });
      // Logical ids repeat across stacks; the URN keeps them apart.
      return { ...raw, urn: `cfn::${stack.name}::${id}`, ...(stack.region ? { providerRegion: stack.region } : {}) };
    }),
  );
  return factsFromResources(resources);
}
