import type { SpecIssue } from "../spec/errors";

/** A fully qualified lower-case DNS name (labels of 1-63 characters, at most 253 in all). */
export const ENTRY_HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Where an entry's host name comes from when the fleet does not give it. */
export interface HostnameSource {
  /** The host name the stack's config gives, if any. */
  readonly configured?: string;
  /** How to set it there, for the hint. @default `pulumi config set microagents:hostname agents.example.com` */
  readonly setting?: string;
  /** The path a malformed configured value is reported at. @default `config microagents:hostname` */
  readonly configPath?: string;
}

/**
 * The host name an entry answers on (fleet `spec.gateway.hostname`, else the config's),
 * and its problem if any: missing (reported with `missing`, which says who needs it), or
 * not a fully qualified lower-case DNS name, reported where the value came from.
 */
export function entryHostname(fleetHostname: string | undefined, source: HostnameSource, missing: string): { readonly hostname?: string; readonly issue?: SpecIssue } {
  const setting = source.setting ?? "`pulumi config set microagents:hostname agents.example.com`";
  const hostname = fleetHostname ?? source.configured;
  if (!hostname) return { issue: { path: "spec.gateway.hostname", message: missing, hint: `set spec.gateway.hostname (agents.example.com) or ${setting}` } };
  if (!ENTRY_HOSTNAME.test(hostname)) {
    const path = fleetHostname !== undefined ? "spec.gateway.hostname" : (source.configPath ?? "config microagents:hostname");
    return { hostname, issue: { path, message: `'${hostname}' is not a fully qualified lower-case DNS name`, hint: "write it like agents.example.com" } };
  }
  return { hostname };
}
