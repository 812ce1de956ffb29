#!/usr/bin/env bash
# Builds the local twin's sandbox images from Debian's archive (the one apt uses; no image registry is
# needed) and tags them in the local Docker engine; idempotent and silent when they are there.
#   daytona-local/sandbox:<recipe>        the default snapshots' image (daytona-small/medium/large):
#                                         what Daytona's default image offers people (bash, zsh, sudo,
#                                         python3 (also as python) + pip + venv, the Python language server
#                                         pylsp, node + npm, git, curl, procps,
#                                         build-essential, ssh client, iproute2, ts-node + typescript +
#                                         typescript-language-server from npm) and the user daytona
#                                         (uid 1000, home /home/daytona, passwordless sudo)
#   daytona-local/sandbox-dind:<recipe>   the same plus the docker CLI and docker-compose, for
#                                         Docker-in-Docker sandboxes
# Both are also tagged :latest. <recipe> is a hash of this file, so an edited recipe builds anew and an
# unchanged one is never rebuilt. About 2 minutes once (debootstrap, then apt-get in a chroot).
# Needs root (debootstrap, chroot) and a running engine (scripts/setup-docker.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=daytona-local
RECIPE=$(sha256sum "$0" | cut -c1-12)
BASE=$REPO/sandbox:$RECIPE
DIND=$REPO/sandbox-dind:$RECIPE
say() { echo "setup-images: $*" >&2; }
. test/host/clean-npm-env.sh

have() { docker image inspect "$1" >/dev/null 2>&1; }
if have "$BASE" && have "$DIND"; then
  docker tag "$BASE" "$REPO/sandbox:latest"
  docker tag "$DIND" "$REPO/sandbox-dind:latest"
  exit 0
fi
[ "$(id -u)" = 0 ] || { say "!!! the sandbox images are missing and only root can build them (debootstrap): run sudo bash $0"; exit 1; }
command -v debootstrap >/dev/null || {
  say "apt-get install debootstrap"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

# The mirror and suite apt uses on this machine (deb822 or one-line sources), Debian's default otherwise.
MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | grep -E '^[[:space:]]*(URIs:|deb[[:space:]])' | grep -oE 'https?://[^ ]+' | grep -v security | head -n1 || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SUITE=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-bookworm}")
SUITE=${SUITE:-bookworm}

work=$(mktemp -d /var/tmp/daytona-images.XXXXXX)
root=$work/root
cleanup() {
  mountpoint -q "$root/proc" 2>/dev/null && umount "$root/proc"
  rm -rf "$work"
}
trap cleanup EXIT
log=$work/build.log
fail() { tail -n 30 "$log" >&2 || true; say "!!! $*"; exit 1; }

say "building $BASE from $MIRROR $SUITE (about 2 minutes, once)"
debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$root" "$MIRROR" >"$log" 2>&1 || fail "debootstrap failed"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# No service may start inside the chroot while packages install.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
in_root() { chroot "$root" env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@" >>"$log" 2>&1; }
in_root apt-get install -y -qq --no-install-recommends \
  bash zsh sudo python3 python-is-python3 python3-pip python3-venv python3-pylsp nodejs npm git curl wget \
  procps less nano \
  build-essential openssh-client openssh-sftp-server iproute2 iputils-ping tar gzip unzip xz-utils \
  || fail "apt-get install in the image root failed"
in_root useradd --create-home --uid 1000 --user-group --shell /bin/bash daytona || fail "useradd daytona failed"
printf 'daytona ALL=(ALL) NOPASSWD:ALL\n' >"$root/etc/sudoers.d/daytona"
chmod 440 "$root/etc/sudoers.d/daytona"
# As Daytona's image: an empty ~/.zshrc, or an interactive zsh (the PTY's shell) opens its new-user menu.
in_root su daytona -c 'touch /home/daytona/.zshrc' || fail "creating ~/.zshrc failed"
# As Daytona's image: TypeScript code runs with ts-node, and its language server is there (from npm).
# The host's npm registry and trust store (a machine behind a TLS-inspecting proxy trusts its CA there).
npm_args=(--no-audit --no-fund --registry "$(npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)")
host_ca=$(npm config get cafile 2>/dev/null || true)
[ -f "$host_ca" ] || host_ca=/etc/ssl/certs/ca-certificates.crt
if [ -f "$host_ca" ]; then cp "$host_ca" "$root/tmp/host-ca.crt" && npm_args+=(--cafile /tmp/host-ca.crt); fi
# Without the outer npm's environment: under `npm run`, npm_config_prefix=/usr (the host's) would put
# them where the sandbox's own npx does not look (/usr/local), and npx would go to the registry.
clean_npm chroot "$root" env LANG=C.UTF-8 npm install -g "${npm_args[@]}" ts-node@10.9.2 typescript@5 typescript-language-server@4 >>"$log" 2>&1 \
  || fail "npm install -g ts-node typescript typescript-language-server in the image root failed"
clean_npm chroot "$root" npm cache clean --force >>"$log" 2>&1 || true
# npx finds them with no network, as the daemon's code-run needs.
clean_npm chroot "$root" su daytona -c 'cd /tmp && npx --no-install ts-node --version && command -v typescript-language-server' >>"$log" 2>&1 \
  || fail "npx in the image does not find ts-node"
rm -rf "$root/home/daytona/.npm"

# Import the root as an image: the sandbox's main process only keeps the container alive; everything
# else runs through exec as the sandbox user.
import_root() {
  in_root apt-get clean
  rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin "$root/tmp/"* "$root/var/log/"*.log
  : >"$root/etc/resolv.conf"
  umount "$root/proc"
  tar -C "$root" --numeric-owner -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'WORKDIR /home/daytona' \
    -c 'CMD ["sleep", "infinity"]' \
    -m "daytona local sandbox image, recipe $RECIPE" - "$1" >/dev/null || fail "docker import of $1 failed"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount -t proc proc "$root/proc"
}
import_root "$BASE"
say "made $BASE"

say "building $DIND"
in_root apt-get update -qq || fail "apt-get update in the image root failed"
in_root apt-get install -y -qq --no-install-recommends docker.io docker-compose || fail "installing docker in the image root failed"
in_root usermod -aG docker daytona || fail "usermod daytona failed"
import_root "$DIND"
say "made $DIND"
docker tag "$BASE" "$REPO/sandbox:latest"
docker tag "$DIND" "$REPO/sandbox-dind:latest"
