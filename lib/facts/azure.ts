import type { AdapterTable } from "./context";

/** Azure (azure-native) resources by Pulumi type token. */
export const azureAdapters: AdapterTable = {};
