#!/usr/bin/env bash
# Installs what is missing, builds, and runs cleanroomsd on 127.0.0.1:8080 with its data in ./data.
# Extra arguments go to `cleanroomsd serve` (e.g. --default-account 123456789012, or --listen to
# override the address).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2

args=()
has() { local opt=$1; shift; for a in "$@"; do [[ $a == "$opt" || $a == "$opt="* ]] && return 0; done; return 1; }
has --listen "$@" || args+=(--listen 127.0.0.1:8080)
has --data-dir "$@" || { mkdir -p data; args+=(--data-dir ./data); }
exec build/cleanroomsd serve "${args[@]}" "$@"
