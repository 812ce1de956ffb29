#!/usr/bin/env bash
# Makes a Docker engine available for the local server's Docker-in-Docker sandboxes and their tests;
# idempotent and silent when everything is already there. Called by scripts/setup-machine.sh.
#   - Debian packages docker.io, docker-compose (compose v1; Debian has no v2) and busybox-static
#   - dockerd started in the background unless `docker info` answers: storage driver overlay2 where the
#     kernel has overlay and the data root is on a file system that supports it, vfs otherwise (it says
#     which; DOCKER_STORAGE_DRIVER overrides)
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
  mkdir -p "$(dirname "$LOG")"
  start_dockerd() {
    echo "setup-docker: starting dockerd with the $1 storage driver (log: $LOG)" >&2
    nohup dockerd --storage-driver="$1" >>"$LOG" 2>&1 </dev/null &
    local pid=$!
    for _ in $(seq 60); do
      docker info >/dev/null 2>&1 && return 0
      kill -0 "$pid" 2>/dev/null || return 1
      sleep 0.5
    done
    return 1
  }
  driver=${DOCKER_STORAGE_DRIVER:-}
  if [ -z "$driver" ]; then
    # overlay2 needs the overlay file system in the kernel; dockerd itself refuses it on a data root it
    # cannot use (for example overlay on overlay), which the fallback below catches.
    if grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null; then driver=overlay2; else driver=vfs; fi
  fi
  if ! start_dockerd "$driver"; then
    if [ "$driver" = overlay2 ] && [ -z "${DOCKER_STORAGE_DRIVER:-}" ]; then
      echo "setup-docker: dockerd would not start with overlay2; falling back to vfs (slower, more disk)" >&2
      pkill -x dockerd 2>/dev/null || true
      sleep 1
      start_dockerd vfs || { tail -n 30 "$LOG" >&2 || true; unavailable "dockerd did not answer within 30 s (log above, full log in $LOG)"; }
    else
      tail -n 30 "$LOG" >&2 || true
      unavailable "dockerd did not answer within 30 s (log above, full log in $LOG)"
    fi
  fi
fi
echo "setup-docker: engine storage driver: $(docker info --format '{{.Driver}}' 2>/dev/null)" >&2

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
