/**
 * nats.conf text the way the nats chart writes it: the config map as pretty JSON
 * (`toPrettyRawJson`), then `nats.formatConfig` (templates/_helpers.tpl) unquotes every
 * string wrapped in `<< >>`. nats-server reads this JSON-style config, and expands
 * `$VAR` from its environment only where the value is not a quoted string.
 */
export function formatNatsConfig(config: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(config, null, 2).replace(/"<<\s+(.*?)\s+>>"/g, "$1");
}
