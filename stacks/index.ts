import * as pulumi from "@pulumi/pulumi";
import { MicroAgentsConfigError } from "../lib/spec";

/**
 * The Pulumi entry point: `microagents:stack` picks the company stack. Stacks load
 * lazily so a small stack never loads the SDKs of clouds it does not use.
 */
const stacks = {
  small: () => (require("./small") as typeof import("./small")).default(),
  medium: () => (require("./medium") as typeof import("./medium")).default(),
  enterprise: () => (require("./enterprise") as typeof import("./enterprise")).default(),
};

const which = new pulumi.Config("microagents").get("stack") ?? "small";
if (!(which in stacks)) {
  throw new MicroAgentsConfigError([{ path: "config microagents:stack", message: `no stack '${which}'`, hint: `use one of ${Object.keys(stacks).join(", ")}` }]);
}
export const outputs = stacks[which as keyof typeof stacks]();
