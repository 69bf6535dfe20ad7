#!/bin/sh
# Build-time helper of the Dockerfile: runs a pip command with the optional BuildKit
# secrets as pip's settings (README "Running in production"). Without them it just runs it.
#   /run/secrets/pip_conf  a pip.conf (index-url, extra-index-url, cert, timeout, ...)
#   /run/secrets/ca_certs  extra CA certificates (PEM), trusted besides pip's own bundle
set -eu
bundle=""
if [ -s /run/secrets/pip_conf ]; then
  export PIP_CONFIG_FILE=/run/secrets/pip_conf
fi
if [ -s /run/secrets/ca_certs ]; then
  # PIP_CERT replaces pip's bundle: trust a copy of it with the extra certificates appended.
  bundle=$(mktemp)
  cat "$(python -m pip._vendor.certifi)" /run/secrets/ca_certs > "$bundle"
  export PIP_CERT="$bundle"
fi
status=0
"$@" || status=$?
if [ -n "$bundle" ]; then rm -f "$bundle"; fi
exit "$status"
