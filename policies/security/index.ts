// The security PolicyPack: `pulumi preview --policy-pack policies/security --policy-pack-config policies/security/prod.json`.
// Constructing a PolicyPack starts the analyzer's gRPC server and never returns: only the
// Pulumi CLI runs this file. Tests import policies/pack/build.ts instead.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAMES, packArgs } from "../pack/build";

new PolicyPack(PACK_NAMES.security, packArgs("security"));
