#!/usr/bin/env bash
# Makes this machine able to run the extension and every test layer; idempotent and quiet when all is
# there. Uses only Debian's packages and the npm registry:
#   chromium             UI checks, and the browser that drives code-server's workbench
#   libkrb5-dev, pkg-config   code-server's native modules
#   git                  fixture runs and the sync tests' ignore rules
#   debootstrap          the local sandboxes' base image (scripts/setup-images.sh)
#   openssh-client       the SSH gateway's tests drive the real ssh, sftp and ssh -L
# then code-server (a real VS Code) and a Node 24 for it into a cache folder (test/host/setup-host.sh).
# As root it installs what is missing; otherwise it says loudly what to install and fails.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null || need+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v git >/dev/null || need+=(git)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v ssh >/dev/null || need+=(openssh-client)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "!!! setup-machine: missing Debian packages: ${need[*]}" >&2
    echo "!!! install them with: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "setup-machine: apt-get install ${need[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Docker: local sandboxes are containers on it (says "!!! DOCKER UNAVAILABLE" when it cannot; fatal in CI),
# then the sandbox images built from Debian's archive (scripts/setup-images.sh; cached by recipe).
if bash scripts/setup-docker.sh; then
  bash scripts/setup-images.sh
else
  [ "${CI:-}" != true ]
fi
bash test/host/setup-host.sh >/dev/null
