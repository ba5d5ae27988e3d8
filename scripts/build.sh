#!/bin/sh
# Builds build/foxhound (optimised, warnings as errors). Build messages go to standard error,
# so that the output of a command run after this one is not mixed with them.
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target foxhound_cli >&2
