#!/usr/bin/env bash
# Podman for tests/test_docker.py on a Debian bookworm machine with no Docker engine and no
# container registry: installs podman (Debian's), writes its configuration, and makes the
# base images the emitted Dockerfiles name, from Debian packages, since none can be pulled.
# Idempotent: seconds when everything is there. Run as root:
#     bash tests/docker/setup_podman.sh          # then: pytest tests/test_docker.py
# State (configuration, image storage) lives in $ONEFIT_PODMAN_DIR
# (default /var/tmp/onefit-podman); tests/test_docker.py looks there.
set -euo pipefail

STATE="${ONEFIT_PODMAN_DIR:-/var/tmp/onefit-podman}"
# The stand-ins, tagged with the names the Dockerfiles use (docs/docker.md):
PYTHON_IMAGE="docker.io/library/python:3.11-slim"
# NOT a CUDA image: plain Debian (with CA certificates) under the GPU Dockerfile's default
# base name, so that Dockerfile.gpu's own steps build here (no CUDA image can be pulled).
CUDA_IMAGE="docker.io/nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04"

if ! command -v podman >/dev/null || ! command -v runc >/dev/null \
    || ! command -v debootstrap >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # crun (podman's default runtime) fails on these hosts' hybrid cgroups: runc works.
    apt-get install -y -qq --no-install-recommends podman buildah runc debootstrap \
        fuse-overlayfs uidmap slirp4netns netavark aardvark-dns >/dev/null \
        || apt-get install -y -qq podman buildah runc debootstrap >/dev/null
fi

mkdir -p "$STATE"
# Open files and processes no higher than this host allows (a higher default fails to start).
nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=1048576
[ "$nofile" -gt 20000 ] && nofile=20000
cat >"$STATE/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
[network]
network_backend = "netavark"
CONF
cat >"$STATE/storage.conf" <<CONF
[storage]
driver = "overlay"
runroot = "$STATE/run"
graphroot = "$STATE/storage"
CONF
export CONTAINERS_CONF="$STATE/containers.conf" CONTAINERS_STORAGE_CONF="$STATE/storage.conf"

if ! podman image exists localbase:bookworm; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
        | grep -oE '^(URIs:|deb) +https?://[^ ]+' | awk '{print $2}' | grep -v security \
        | head -1 || true)
    rm -rf "$STATE/rootfs"
    debootstrap --variant=minbase bookworm "$STATE/rootfs" "${mirror:-http://deb.debian.org/debian}" \
        >"$STATE/debootstrap.log" 2>&1 || { tail -20 "$STATE/debootstrap.log"; exit 1; }
    # What a slim image leaves out: the downloaded .debs, documentation, translations.
    rm -rf "$STATE"/rootfs/var/cache/apt/archives/*.deb "$STATE"/rootfs/var/lib/apt/lists/* \
        "$STATE"/rootfs/usr/share/doc/* "$STATE"/rootfs/usr/share/man/* \
        "$STATE"/rootfs/usr/share/locale/*
    tar -C "$STATE/rootfs" -c . | podman import - localbase:bookworm >/dev/null
    rm -rf "$STATE/rootfs"
fi
if ! podman image exists "$CUDA_IMAGE"; then
    # What NVIDIA's images have that minbase lacks: CA certificates (apt and pip need them).
    podman build --pull=never --network host -t "$CUDA_IMAGE" - <<'CONTAINERFILE'
FROM localbase:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
CONTAINERFILE
fi

if ! podman image exists "$PYTHON_IMAGE"; then
    # python:3.11-slim's promises, from Debian: `python` and `pip` on the PATH, pip free
    # to install as root (Debian's marker refuses that), CA certificates.
    podman build --pull=never --network host -t "$PYTHON_IMAGE" - <<'CONTAINERFILE'
FROM localbase:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3.11 python3-pip \
        python3-venv ca-certificates && apt-get clean \
    && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* \
    && ln -s /usr/bin/python3 /usr/local/bin/python \
    && rm -f /usr/lib/python3.11/EXTERNALLY-MANAGED
CMD ["python3"]
CONTAINERFILE
fi
echo "podman ready: CONTAINERS_CONF=$CONTAINERS_CONF CONTAINERS_STORAGE_CONF=$CONTAINERS_STORAGE_CONF"
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}'
