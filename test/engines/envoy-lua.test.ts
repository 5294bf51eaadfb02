import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { healthScript, publishScript } from "../../lib/targets/gcp/envoy-lua";

/**
 * The GCP gateway proxy's Lua scripts on LuaJIT (the Lua Envoy embeds), against a
 * stand-in for Envoy's stream handle: `headers():get`, `body():getBytes`,
 * `base64Escape`, `httpCall` (answers scripted per cluster) and `respond`, as
 * Envoy's Lua filter documents them. The scripts are the ones the target writes
 * into the Envoy configuration.
 */
const HARNESS = `
local function b64(data)
  local b = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  return ((data:gsub('.', function(x)
    local r, byte = '', x:byte()
    for i = 8, 1, -1 do r = r .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and '1' or '0') end
    return r
  end) .. '0000'):gsub('%d%d%d?%d?%d?%d?', function(x)
    if #x < 6 then return '' end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == '1' and 2 ^ (6 - i) or 0) end
    return b:sub(c + 1, c + 1)
  end) .. ({ '', '==', '=' })[#data % 3 + 1])
end
function make(reqHeaders, body, answer)
  local h = { calls = {} }
  local hdrs = { get = function(_, k) return reqHeaders[k] end }
  function h:headers() return hdrs end
  function h:body()
    if body == nil then return nil end
    return { length = function() return #body end, getBytes = function(_, s, n) return body:sub(s + 1, s + n) end }
  end
  function h:base64Escape(s) return b64(s) end
  function h:httpCall(cluster, headers, b, timeout)
    table.insert(self.calls, { cluster = cluster, headers = headers, body = b })
    local r = answer(cluster, headers, b)
    return r[1], r[2]
  end
  function h:respond(headers, b) self.responded = { headers = headers, body = b } end
  return h
end
`;

function runLua(script: string, checks: string): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "envoy-lua-"));
  writeFileSync(join(dir, "script.lua"), script);
  writeFileSync(join(dir, "main.lua"), `${HARNESS}\ndofile(${JSON.stringify(join(dir, "script.lua"))})\n${checks}\nprint("passed")\n`);
  const r = spawnSync("luajit", [join(dir, "main.lua")], { encoding: "utf8" });
  assert.ok(!r.error, `luajit is not installed (apt-get install -y luajit; test/engines/ensure-engines.sh does it as root): ${String(r.error)}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("gateway proxy Lua on LuaJIT", () => {
  it("publishes an async request to the agent's topic with the proxy's token and answers 202; 405, 502 otherwise", () => {
    const script = publishScript({ topic: "projects/acme/topics/acme-prod-intake-in", region: "us-central1", ordered: true });
    const r = runLua(
      script,
      `
local ok = function(c) if c == "metadata" then return { { [":status"] = "200" }, '{"access_token":"ya29.tok","expires_in":3599,"token_type":"Bearer"}' } end
  return { { [":status"] = "200" }, '{\\n  "messageIds": [\\n    "1234567"\\n  ]\\n}' } end
local h = make({ [":method"] = "POST", ["x-request-id"] = 'abc-123"x', ["x-message-group-id"] = "cust 42" }, '{"subject":"hi"}', ok)
envoy_on_request(h)
assert(h.responded.headers[":status"] == "202", h.responded.headers[":status"])
assert(h.responded.body == '{"messageId":"1234567","requestId":"abc-123x"}', h.responded.body)
local pub = h.calls[2]
assert(pub.cluster == "pubsub" and pub.headers[":path"] == "/v1/projects/acme/topics/acme-prod-intake-in:publish", pub.headers[":path"])
assert(pub.headers["authorization"] == "Bearer ya29.tok" and pub.headers[":authority"] == "us-central1-pubsub.googleapis.com")
assert(pub.body == '{"messages":[{"data":"eyJzdWJqZWN0IjoiaGkifQ==","attributes":{"requestId":"abc-123x"},"orderingKey":"cust42"}]}', pub.body)
local get = make({ [":method"] = "GET" }, nil, ok); envoy_on_request(get); assert(get.responded.headers[":status"] == "405")
local refused = make({ [":method"] = "POST" }, "x", function(c) if c == "metadata" then return { { [":status"] = "200" }, '{"access_token":"t"}' } end return { { [":status"] = "403" }, "{}" } end)
envoy_on_request(refused); assert(refused.responded.headers[":status"] == "502", refused.responded.body)
local notoken = make({ [":method"] = "POST" }, "x", function() return { { [":status"] = "500" }, "" } end)
envoy_on_request(notoken); assert(notoken.responded.headers[":status"] == "502" and #notoken.calls == 1)
`,
    );
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /passed/);
  });

  it("answers the health route 200 only while every always-on agent answers 200, with identity tokens on Cloud Run", () => {
    const script = healthScript([
      { cluster: "agent-a", path: "/healthz", authority: "a.run.app", audience: "https://a.run.app" },
      { cluster: "agent-b", path: "/healthz", authority: "b.acme.svc.cluster.local" },
    ]);
    const r = runLua(
      script,
      `
local up = function(c) if c == "metadata" then return { { [":status"] = "200" }, "eyJ.id.token" } end return { { [":status"] = "200" }, "ok" } end
local h = make({ [":method"] = "GET" }, nil, up); envoy_on_request(h)
assert(h.responded.headers[":status"] == "200" and h.responded.body == '{"status":"ok"}')
assert(h.calls[1].headers[":path"] == "/computeMetadata/v1/instance/service-accounts/default/identity?audience=https://a.run.app")
assert(h.calls[2].cluster == "agent-a" and h.calls[2].headers["authorization"] == "Bearer eyJ.id.token" and h.calls[2].headers[":path"] == "/healthz")
assert(h.calls[3].cluster == "agent-b" and h.calls[3].headers["authorization"] == nil)
local down = make({ [":method"] = "GET" }, nil, function(c, hd) if c == "agent-b" then return { { [":status"] = "503" }, "" } end return up(c, hd) end)
envoy_on_request(down); assert(down.responded.headers[":status"] == "503" and down.responded.body == '{"status":"degraded"}')
`,
    );
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /passed/);
  });
});
