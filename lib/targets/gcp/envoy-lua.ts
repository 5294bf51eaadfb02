/**
 * The gateway proxy's two Lua scripts (Envoy's Lua filter, per route). Envoy runs
 * LuaJIT: Lua 5.1 patterns, no JSON library, so the scripts build and read the few
 * JSON fields they need with string patterns, and escape nothing they did not
 * sanitize first.
 */

/** Lua string literal (ASCII: paths, hosts, topic names). */
export function luaString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

const TOKEN_CALL = `h:httpCall("metadata", {[":method"] = "GET", [":path"] = "/computeMetadata/v1/instance/service-accounts/default/token", [":authority"] = "metadata.google.internal", ["metadata-flavor"] = "Google"}, "", 2000)`;

/**
 * An async route: the body, base64-encoded, published as one message to the
 * agent's input topic through the region's Pub/Sub endpoint with the proxy's own
 * access token (metadata server: the Cloud Run service account, or the GKE
 * Workload Identity one), the request id as the `requestId` attribute and, for an
 * ordered queue, `X-Message-Group-Id` (default `default`) as the ordering key.
 * Answers 202 `{"messageId","requestId"}`, 405 for a method other than POST, 502
 * when Pub/Sub refused the message.
 */
export function publishScript(args: { topic: string; region: string; ordered: boolean }): string {
  return `local TOPIC_PATH = ${luaString(`/v1/${args.topic}:publish`)}
local PUBSUB = ${luaString(`${args.region}-pubsub.googleapis.com`)}
local ORDERED = ${args.ordered ? "true" : "false"}

local function reply(h, status, body)
  h:respond({[":status"] = status, ["content-type"] = "application/json"}, body)
end

function envoy_on_request(h)
  if h:headers():get(":method") ~= "POST" then
    h:respond({[":status"] = "405", ["allow"] = "POST"}, "")
    return
  end
  local rid = string.gsub(h:headers():get("x-request-id") or "", "[^%w%-]", "")
  local body = h:body()
  local data = ""
  if body ~= nil then data = body:getBytes(0, body:length()) end
  local th, tb = ${TOKEN_CALL}
  local token = tb and string.match(tb, '"access_token"%s*:%s*"([^"]+)"')
  if th[":status"] ~= "200" or token == nil then
    reply(h, "502", '{"message":"the gateway has no Pub/Sub token","requestId":"' .. rid .. '"}')
    return
  end
  local key = ""
  if ORDERED then
    local group = string.gsub(h:headers():get("x-message-group-id") or "", "[^%w%-_%.]", "")
    if group == "" then group = "default" end
    key = ',"orderingKey":"' .. group .. '"'
  end
  local message = '{"messages":[{"data":"' .. h:base64Escape(data) .. '","attributes":{"requestId":"' .. rid .. '"}' .. key .. '}]}'
  local ph, pb = h:httpCall("pubsub", {[":method"] = "POST", [":path"] = TOPIC_PATH, [":authority"] = PUBSUB, ["authorization"] = "Bearer " .. token, ["content-type"] = "application/json"}, message, 10000)
  if ph[":status"] ~= "200" then
    reply(h, "502", '{"message":"the agent\\'s queue did not accept the request","requestId":"' .. rid .. '"}')
    return
  end
  local id = string.match(pb or "", '"messageIds"%s*:%s*%[%s*"([^"]+)"') or ""
  reply(h, "202", '{"messageId":"' .. id .. '","requestId":"' .. rid .. '"}')
end
`;
}

/** One agent the health route calls. */
export interface HealthProbe {
  readonly cluster: string;
  readonly path: string;
  readonly authority: string;
  /** Cloud Run: the identity token's audience (the service URL). */
  readonly audience?: string;
}

/**
 * The health route: GET each always-on agent's own health path (on Cloud Run with
 * an identity token for the service, as the proxy's account); 200
 * `{"status":"ok"}` when every one answers 200, else 503 `{"status":"degraded"}`.
 * Nothing else is said: the route is reachable without a token.
 */
export function healthScript(probes: ReadonlyArray<HealthProbe>): string {
  const list = probes.map((p) => `  {cluster = ${luaString(p.cluster)}, path = ${luaString(p.path)}, authority = ${luaString(p.authority)}${p.audience ? `, audience = ${luaString(p.audience)}` : ""}},`).join("\n");
  return `local AGENTS = {
${list}
}

function envoy_on_request(h)
  local down = 0
  for _, a in ipairs(AGENTS) do
    local headers = {[":method"] = "GET", [":path"] = a.path, [":authority"] = a.authority}
    if a.audience ~= nil then
      local th, tb = h:httpCall("metadata", {[":method"] = "GET", [":path"] = "/computeMetadata/v1/instance/service-accounts/default/identity?audience=" .. a.audience, [":authority"] = "metadata.google.internal", ["metadata-flavor"] = "Google"}, "", 2000)
      if th[":status"] == "200" and tb ~= nil then headers["authorization"] = "Bearer " .. tb end
    end
    local rh = h:httpCall(a.cluster, headers, "", 3000)
    if rh[":status"] ~= "200" then down = down + 1 end
  end
  if down == 0 then
    h:respond({[":status"] = "200", ["content-type"] = "application/json", ["cache-control"] = "no-store"}, '{"status":"ok"}')
  else
    h:respond({[":status"] = "503", ["content-type"] = "application/json", ["cache-control"] = "no-store"}, '{"status":"degraded"}')
  end
end
`;
}
