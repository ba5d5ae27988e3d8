#!/bin/sh
# CEF parsing speed: generates firewall CEF syslog lines with bench/gen_cef.py, then times
# bench/cef_bench (every CommonSecurityLog column decoded) and `wc -l` on the same file in
# the same run, from the page cache. Prints both speeds and their ratio.
#
# Usage: bench/cef_parse.sh [SIZE_MB]   (default 200; needs cmake, a C compiler and python3)
# The build and the generated file go to $FH_BENCH_DIR (default build-bench/ in the project).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
size_mb=${1:-200}
work=${FH_BENCH_DIR:-$root/build-bench}
data="$work/cef_${size_mb}mb.log"
mkdir -p "$work"

cmake -S "$root" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DFH_TESTS=OFF >/dev/null
cmake --build "$work/build" --target foxhound -j2 >/dev/null
# shellcheck disable=SC2046 # pkg-config prints several flags on purpose
cc -std=c17 -O2 -D_GNU_SOURCE -I "$root/include" -I "$root/src" "$root/bench/cef_bench.c" \
    "$work/build/libfoxhound.a" \
    $(pkg-config --libs jansson sqlite3 libpcre2-8 yaml-0.1 zlib libzstd) -lpthread -lm \
    -o "$work/cef_bench"

if [ ! -f "$data" ]; then
    python3 "$root/bench/gen_cef.py" --seed 1 --size-mb "$size_mb" \
        --plant-ip 203.0.113.77:8443 --plant-every 50000 -o "$data"
fi
bytes=$(wc -c <"$data")
cat "$data" >/dev/null # warm the page cache

now() { date +%s.%N; }

start=$(now)
wc -l "$data" >/dev/null
end=$(now)
wc_seconds=$(echo "$end - $start" | bc -l)

start=$(now)
parse=$("$work/cef_bench" "$data")
end=$(now)
bench_seconds=$(echo "$end - $start" | bc -l)

rate() { echo "$bytes / 1000000 / $1" | bc -l; }
echo "file: $data ($bytes bytes)"
echo "cef_bench parse loop: $parse"
printf 'cef_bench whole run (read + parse): seconds %.3f MB/s %.1f\n' "$bench_seconds" \
    "$(rate "$bench_seconds")"
printf 'wc -l whole run: seconds %.3f MB/s %.1f\n' "$wc_seconds" "$(rate "$wc_seconds")"
printf 'ratio of whole runs, cef_bench / wc -l: %.1f\n' "$(echo "$bench_seconds / $wc_seconds" | bc -l)"
