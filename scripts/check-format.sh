#!/usr/bin/env bash
# The one .clang-format, enforced: lists the C++ files that differ from it and fails if any do.
# Fix with: clang-format -i $(git ls-files '*.cpp' '*.hpp')
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bad=0
while IFS= read -r f; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f"
    bad=$((bad + 1))
  fi
done < <(git ls-files '*.cpp' '*.hpp')
echo "format: $bad file(s) differ from .clang-format"
[ "$bad" -eq 0 ]
