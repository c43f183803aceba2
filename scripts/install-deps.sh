#!/usr/bin/env bash
# Installs what cleanroomsd needs to build and test on Debian 12, and nothing that is already there.
# Idempotent: a second run does no apt or npm work. Packages come only from Debian's archive and
# the npm registry (the JS SDK, pinned by tests/acceptance/package-lock.json).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

pkgs=(
  build-essential cmake pkg-config
  libcaf-dev librocksdb-dev libflatbuffers-dev flatbuffers-compiler
  libboost1.81-dev libboost-json1.81-dev libssl-dev libspdlog-dev libcli11-dev libsqlite3-dev libpg-query-dev
  libgoogle-perftools-dev # tcmalloc, the server's allocator (cmake/allocator.cmake)
  catch2
  awscli jq curl ca-certificates clang-format
  clang libclang-rt-dev # the sanitizer build and libFuzzer (scripts/sanitizers.sh, scripts/fuzz.sh)
)
# Node: use the node already on the machine if there is one (mixing Debian's npm with a Node
# installed from elsewhere breaks both); otherwise Debian's nodejs and npm.
if ! command -v node >/dev/null 2>&1; then
  pkgs+=(nodejs npm)
elif ! command -v npm >/dev/null 2>&1; then
  if dpkg-query -W -f='${Version}' nodejs 2>/dev/null | grep -q nodesource; then
    echo "install-deps: node is installed but npm is not, and this node is not Debian's: install npm with it" >&2
    exit 1
  fi
  pkgs+=(npm)
fi

missing=()
for p in "${pkgs[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: run as root (or install these packages): ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The acceptance suites' npm packages: install when absent or when the lock file changed since.
acc=tests/acceptance
stamp="$acc/node_modules/.installed-lock.sha256"
want=$(sha256sum "$acc/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "install-deps: npm ci in $acc"
  (cd "$acc" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi
