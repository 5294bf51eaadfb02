#!/usr/bin/env bash
# Installs the real engines the integration tests in test/engines start: Debian's
# nats-server, postgresql and redis-server, and LuaJIT (the gateway proxy's Lua scripts). Idempotent and quiet: does nothing when all
# four are there. Installing needs root (CI runs as root); otherwise it only says what
# is missing, and the engine tests fail with the same install command.
set -euo pipefail
missing=()
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || missing+=(nats-server)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v luajit >/dev/null 2>&1 || missing+=(luajit)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "test engines missing: ${missing[*]} (as root: apt-get install -y ${missing[*]})" >&2
  exit 0
fi
echo "installing test engines: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
