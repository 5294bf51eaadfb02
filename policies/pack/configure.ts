import type { EnforcementLevel } from "@pulumi/policy";

/**
 * The pack config as the analyzer's Configure call carries it: every policy of the
 * pack, with its level (the CLI has applied `all` and the policies' defaults) and
 * its properties.
 *
 * @pulumi/policy hands a policy only its own properties (never its level, never another
 * policy's settings), and skips a disabled policy altogether. The rules need the whole
 * config whatever `all` says, as `check` reads the whole file, so the pack reads the
 * Configure request where the gRPC service deserializes it. The hook is installed
 * before `new PolicyPack` registers the service.
 */
export type AnalyzerConfig = Readonly<Record<string, { readonly enforcementLevel: EnforcementLevel; readonly properties: Readonly<Record<string, unknown>> }>>;

interface ProtoPolicyConfig {
  getEnforcementlevel(): number;
  getProperties(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface ConfigureRequest {
  getPolicyconfigMap(): { forEach(callback: (value: ProtoPolicyConfig, key: string) => void): void };
}
interface ConfigureMethod {
  requestDeserialize: (buffer: Buffer) => ConfigureRequest;
}

// pulumirpc.EnforcementLevel in analyzer.proto.
const LEVELS: Readonly<Record<number, EnforcementLevel>> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };

/** The Configure request as plain data. */
export function analyzerConfigOf(request: ConfigureRequest): AnalyzerConfig {
  const out: Record<string, AnalyzerConfig[string]> = {};
  request.getPolicyconfigMap().forEach((value, key) => {
    const level = LEVELS[value.getEnforcementlevel()];
    if (level === undefined) throw new Error(`policy '${key}': unknown enforcement level ${value.getEnforcementlevel()} in the Configure request`);
    out[key] = { enforcementLevel: level, properties: value.getProperties()?.toJavaScript() ?? {} };
  });
  return out;
}

const listeners: Array<(config: AnalyzerConfig) => void> = [];
let installed = false;

/** Calls `listener` with the config of every Configure request this process receives. */
export function onConfigure(listener: (config: AnalyzerConfig) => void): void {
  listeners.push(listener);
  if (installed) return;
  installed = true;
  // The service definition @pulumi/policy registers (the same module instance: the pack depends on both packages).
  const service = (require("@pulumi/pulumi/proto/analyzer_grpc_pb") as { AnalyzerService: { configure: ConfigureMethod } }).AnalyzerService;
  const deserialize = service.configure.requestDeserialize;
  service.configure.requestDeserialize = (buffer) => {
    const request = deserialize(buffer);
    const config = analyzerConfigOf(request);
    for (const l of listeners) l(config);
    return request;
  };
}
