// The cost PolicyPack: `pulumi preview --policy-pack policies/cost --policy-pack-config policies/cost/prod.json`.
// Constructing a PolicyPack starts the analyzer's gRPC server and never returns: only the
// Pulumi CLI runs this file. Tests import policies/pack/build.ts instead.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAMES, packArgs } from "../pack/build";

new PolicyPack(PACK_NAMES.cost, packArgs("cost"));
