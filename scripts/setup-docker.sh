#!/usr/bin/env bash
# Makes a Docker engine available for the local server's Docker-in-Docker sandboxes and their tests;
# idempotent and silent when everything is already there. Called by scripts/setup-machine.sh.
#   - Debian packages docker.io, docker-compose (compose v1; Debian has no v2) and busybox-static
#   - dockerd started in the background (vfs storage driver) unless `docker info` answers
#   - the image daytona-local/busybox:latest made locally (no registry is reachable): busybox-static
#     as /bin/busybox, one symlink per applet, a minimal /etc/passwd, /etc/group and /tmp
# When this machine cannot run Docker it prints a line starting with "!!! DOCKER UNAVAILABLE" and fails.
set -euo pipefail
IMAGE=daytona-local/busybox:latest
LOG=${DOCKERD_LOG:-/var/log/dockerd-local.log}

unavailable() {
  echo "!!! DOCKER UNAVAILABLE: $*" >&2
  exit 1
}

need=()
command -v docker >/dev/null || need+=(docker.io)
command -v docker-compose >/dev/null || need+=(docker-compose)
[ -x /bin/busybox ] || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || unavailable "missing packages ${need[*]} and not root (install them with: sudo apt-get install ${need[*]})"
  echo "setup-docker: apt-get install ${need[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || unavailable "docker info does not answer and only root can start dockerd here"
  command -v dockerd >/dev/null || unavailable "dockerd is not installed"
  echo "setup-docker: starting dockerd (log: $LOG)" >&2
  mkdir -p "$(dirname "$LOG")"
  nohup dockerd --storage-driver=vfs >>"$LOG" 2>&1 </dev/null &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! docker info >/dev/null 2>&1; then
    tail -n 30 "$LOG" >&2 || true
    unavailable "dockerd did not answer within 30 s (log above, full log in $LOG)"
  fi
fi

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/var/www"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  docker image inspect "$IMAGE" >/dev/null 2>&1 || unavailable "could not create the image $IMAGE"
  echo "setup-docker: made image $IMAGE" >&2
fi
