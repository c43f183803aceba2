# shellcheck shell=bash disable=SC2154 # $root comes from the script that sources this file
# Sourced by scripts/sanitizers.sh and scripts/fuzz.sh: the one sanitizer build directory
# (build-asan, cmake/sanitizers.cmake) and the runtime options under which any sanitizer report
# fails the run. Expects $root (the repository root).
asan_dir=$root/build-asan

# Leaks are errors; LeakSanitizer ignores only the third-party frames named in lsan.supp.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0

# asan_build TARGET... : configures build-asan (clang, ASan+UBSan, fuzz targets) unless it
# already is, then builds only TARGETs.
asan_build() {
  if ! grep -qs '^CRS_FUZZ:BOOL=ON' "$asan_dir/CMakeCache.txt"; then
    CC=clang CXX=clang++ cmake -S "$root" -B "$asan_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCRS_SANITIZE=ON -DCRS_FUZZ=ON || return 1
  fi
  nice cmake --build "$asan_dir" -j"$(nproc)" --target "$@"
}
