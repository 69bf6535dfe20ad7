#!/usr/bin/env bash
# Stand-in for the registry image python:3.11-slim, which a machine without an image
# registry cannot pull: Debian bookworm's python3.11 from debootstrap, in a venv at
# /usr/local so that python and pip are where the official image has them. It carries no
# certificate or setting of the machine that builds it.
#   build.sh TAG [MIRROR]   (run as root; needs debootstrap and a docker daemon)
set -euo pipefail
tag=$1
mirror=${2:-http://deb.debian.org/debian}
label=${STANDIN_LABEL:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
debootstrap --variant=minbase \
  --include=python3.11,python3.11-venv,python3-distutils,ca-certificates \
  bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}
chroot "$root" /usr/bin/python3.11 -m venv /usr/local
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/*
tar -C "$root" --numeric-owner -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "LABEL org.pdca-steering.standin=python:3.11-slim ${label}" \
  --change 'CMD ["python3"]' - "$tag" >/dev/null
