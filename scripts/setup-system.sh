#!/usr/bin/env bash
# Installs the Debian packages the test suite needs: gcc and strace (C rewrites compiled and traced),
# iproute2 (ss -tnoe), chromium (the HTML report is rendered headless), time (GNU time: peak RSS in
# npm run bench), openssl (the TS end-to-end test makes a self-signed TLS pair), pre-commit (the
# .pre-commit-hooks.yaml entry is tried for real). Idempotent; needs root.
set -euo pipefail
pkgs=(gcc libc6-dev strace iproute2 chromium fonts-dejavu-core time openssl pre-commit git)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup-system: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
