import type { AdapterTable } from "./context";

/** Google Cloud resources by Pulumi type token. */
export const gcpAdapters: AdapterTable = {};
