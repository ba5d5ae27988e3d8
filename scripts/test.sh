#!/bin/sh
# Builds foxhound twice and runs the whole test suite in each build:
#   build/       gcc, optimised, warnings as errors; fuzz targets replay their corpus
#   build-asan/  clang with AddressSanitizer and UndefinedBehaviorSanitizer; fuzz targets run
#                under libFuzzer for FH_FUZZ_SECONDS each (default 10)
# Usage: scripts/test.sh [--quick]   (--quick runs only the first build)
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

run_build() {
    dir=$1
    shift
    cmake -S . -B "$dir" -G "Unix Makefiles" "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    (cd "$dir" && ctest --output-on-failure -j "$jobs")
    # ctest shows a skipped test only as "Skipped": print the reasons the tests gave.
    grep -h '^SKIP' "$dir/Testing/Temporary/LastTest.log" 2>/dev/null | sort -u |
        sed "s|^|$dir: |" || true
}

run_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ "${1:-}" != "--quick" ]; then
    run_build build-asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DFH_SANITIZE=ON \
        -DFH_FUZZ=ON -DFH_FUZZ_SECONDS="${FH_FUZZ_SECONDS:-10}"
fi
echo "foxhound: all tests passed"
