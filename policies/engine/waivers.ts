import type { Waiver } from "./config";

/** `*` matches within a name segment (no `/` or `::`), `**` anything, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^/:]*";
    else if (c === "?") re += "[^/:]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** A waiver matches a resource by logical name, or by URN for names that repeat across components. */
export function waiverMatches(w: Waiver, ruleId: string, resource: { readonly name: string; readonly urn: string }): boolean {
  if (w.rule !== ruleId) return false;
  const re = globToRegExp(w.resource);
  return re.test(resource.name) || re.test(resource.urn);
}

/** Waivers hold through their expiry date (UTC) and lapse the day after. */
export function waiverExpired(w: Waiver, now: Date): boolean {
  return now.getTime() >= Date.parse(`${w.expires}T00:00:00Z`) + 86_400_000;
}
