import type { OutputRule } from "./common";
import { suffix } from "./common";

const meta = (inputs: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  typeof inputs.metadata === "object" && inputs.metadata !== null ? (inputs.metadata as Record<string, unknown>) : {};

export const kubernetesRules: ReadonlyArray<OutputRule> = [
  {
    match: /^kubernetes:helm\.sh\/v3:Release$/,
    outputs: ({ name, inputs }) => ({
      id: `${String(inputs.namespace ?? "default")}/${String(inputs.name ?? name)}`,
      state: { status: { status: "deployed", revision: 1, namespace: inputs.namespace, name: inputs.name ?? name, chart: inputs.chart, version: inputs.version } },
    }),
  },
  {
    match: /^kubernetes:/,
    outputs: (ctx) => {
      const m = meta(ctx.inputs);
      const name = typeof m.name === "string" ? m.name : `${ctx.name}-${suffix(ctx)}`;
      const ns = typeof m.namespace === "string" ? m.namespace : undefined;
      return {
        id: ns ? `${ns}/${name}` : name,
        state: { metadata: { ...m, name, uid: `${suffix(ctx)}-0000-4000-8000-000000000000`, resourceVersion: "1" } },
      };
    },
  },
];
