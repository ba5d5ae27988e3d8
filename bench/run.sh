#!/bin/sh
# Benchmark suite: foxhound against rg, grep, SQLite and pandas doing the same hunt on the
# same generated files in one run, with `cat FILE >/dev/null` from the page cache as the
# floor. Prints seconds, MB/s (10^6 bytes) and peak memory (from /usr/bin/time) per step, the
# ratio of each tool's time per byte to foxhound's in the same step, and whether each tool's
# findings equal the planted hits. SQLite and pandas read CSV copies of the hunted columns,
# but their MB/s counts the log bytes whose rows they hunt, so that their ratios compare
# times for the same rows.
#
# Usage: bench/run.sh [--quick] [--runs N]
#   default  1 GiB of firewall CEF and 256 MiB of each Defender JSON lines file, indicator
#            sets of 6, 10,000 and 1,000,000 (about 4 minutes on 2 cores, generation included)
#   --quick  40 MiB of CEF, 10 MiB of each JSON file, a large set of 100,000 (about 90 seconds)
#   --runs N a step that takes under 5 seconds runs up to N times and its fastest run counts
#            (default 3), because one short run on a shared machine can be twice as slow.
#
# The report ends with a table of the performance targets, each with its figure from this
# run and whether it is met.
# Needs cmake, a C compiler, python3, sqlite3, rg, GNU grep, GNU time and python3-pandas, which
# scripts/setup.sh --bench installs. Everything goes to bench/out/, which git ignores.
# Generated data is reused while its parameters and the generators stay the same.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
mode=full runs=3
cef_mb=1024 json_mb=256 large=1000000 hit_every=10000 decoy_every=20000 slice_mb=20 timeout=120
# The peak memory check hunts a slice big enough that foxhound reads it in chunks of the
# same size as the whole file (4 MiB from 256 MiB with 2 workers), so only the size differs.
peak_mb=256
while [ $# -gt 0 ]; do
    case "$1" in
    --quick)
        mode=quick
        cef_mb=40 json_mb=10 large=100000 hit_every=1000 decoy_every=2000 slice_mb=5 timeout=60
        peak_mb=5
        ;;
    --runs)
        runs=${2:-}
        shift
        ;;
    *) runs=bad ;;
    esac
    shift
done
case "$runs" in
'' | *[!0-9]* | 0)
    echo "usage: bench/run.sh [--quick] [--runs N]  (N: how often a short step runs, 1 or more)" >&2
    exit 2
    ;;
esac

out=$root/bench/out
data=$out/data-$mode
work=$out/run-$mode
build=$out/build
results=$work/results.txt
mkdir -p "$data" "$work"
: >"$results"
# pandas comes from a Debian package, which a python3 earlier in PATH may not see.
pandas_python=/usr/bin/python3
LC_ALL=C
export LC_ALL

for tool in cmake cc python3 sqlite3 rg grep /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool not found; run scripts/setup.sh --bench" >&2; exit 1; }
done
"$pandas_python" -c 'import pandas' 2>/dev/null ||
    { echo "run.sh: pandas not found for $pandas_python; run scripts/setup.sh --bench" >&2; exit 1; }

# --- build ------------------------------------------------------------------------------------
echo "building foxhound (RelWithDebInfo: -O2, symbols for perf) in $build" >&2
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFH_TESTS=OFF >/dev/null
cmake --build "$build" --target foxhound_cli -j2 >/dev/null
fh=$build/foxhound
# shellcheck disable=SC2046 # pkg-config prints several flags on purpose
libs="$build/libfoxhound.a $(pkg-config --libs jansson sqlite3 libpcre2-8 yaml-0.1 zlib libzstd) \
$(pkg-config --libs libhs 2>/dev/null || true) -lpthread -lm"
for driver in read_bench ioc_bench; do
    # shellcheck disable=SC2086
    cc -std=c17 -O2 -D_GNU_SOURCE -I "$root/include" -I "$root/src" "$root/bench/$driver.c" \
        $libs -o "$build/$driver"
done

# --- data -------------------------------------------------------------------------------------
generators=$(cat "$root/bench/gen_cef.py" "$root/bench/gen_logs.py" "$root/bench/gen_iocs.py" | cksum | cut -d' ' -f1)
params="seed=1 cef=$cef_mb json=$json_mb large=$large hit=$hit_every decoy=$decoy_every generators=$generators"
if [ "$(cat "$data/params" 2>/dev/null)" != "$params" ]; then
    echo "generating data in $data ($params)" >&2
    rm -f "$data/params"
    python3 "$root/bench/gen_iocs.py" --seed 1 --large "$large" -o "$data" >&2
    set -- --seed 1 --iocs "$data" --cef-mb "$cef_mb" --json-mb "$json_mb" \
        --hit-every "$hit_every" --decoy-every "$decoy_every" -o "$data"
    python3 "$root/bench/gen_logs.py" "$@" --only cef &
    cef_job=$!
    python3 "$root/bench/gen_logs.py" "$@" --only json
    wait "$cef_job"
    echo "$params" >"$data/params"
fi
logs="$data/firewall.cef $data/network.json $data/file.json"
head -c $((slice_mb * 1024 * 1024)) "$data/firewall.cef" | sed '$d' >"$data/slice.cef"
head -c $((peak_mb * 1024 * 1024)) "$data/firewall.cef" | sed '$d' >"$data/peak.cef"

size_of() { wc -c <"$1" | tr -d ' '; }
log_bytes=0
for f in $logs; do log_bytes=$((log_bytes + $(size_of "$f"))); done
csv_bytes=$(($(size_of "$data/firewall.csv") + $(size_of "$data/network.csv") + $(size_of "$data/file.csv")))
slice_bytes=$(size_of "$data/slice.cef")
# Warm the page cache so that every tool reads from memory.
cat $logs "$data"/*.csv "$data"/iocs_* >/dev/null

# --- measuring --------------------------------------------------------------------------------
# measure STEP TOOL BYTES OUTPUT COMMAND...: runs COMMAND with stdout to OUTPUT and appends
# "step tool seconds peak_kib bytes exit_status runs" to the results. A command that takes
# under 5 seconds runs again, up to $runs times, and the fastest run is kept with its peak.
measure() {
    step=$1 tool=$2 bytes=$3 output=$4
    shift 4
    best='' best_kib='' n=0
    while :; do
        n=$((n + 1))
        status=0
        start=$(date +%s.%N)
        /usr/bin/time -f '%M' -o "$work/time" "$@" >"$output" 2>"$work/stderr" || status=$?
        end=$(date +%s.%N)
        # GNU time puts "Command exited with non-zero status N" before the figure on failure.
        peak_kib=$(tail -n 1 "$work/time")
        seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
        if [ -z "$best" ] || awk -v s="$seconds" -v b="$best" 'BEGIN { exit !(s < b) }'; then
            best=$seconds best_kib=$peak_kib
        fi
        [ "$n" -lt "$runs" ] && awk -v s="$seconds" 'BEGIN { exit !(s < 5) }' || break
    done
    echo "$step $tool $best $best_kib $bytes $status $n" >>"$results"
    # hunt exits 1 when it finds something, which every hunt step expects.
    case "$step" in hunt*) hunt_step=yes ;; *) hunt_step=no ;; esac
    if [ "$status" -ne 0 ] && [ "$tool" != grep ] && [ "$tool" != rg ] &&
        ! { [ "$status" -eq 1 ] && [ "$hunt_step" = yes ]; }; then
        echo "run.sh: $step $tool exited with $status: $(head -c 300 "$work/stderr")" >&2
    fi
}

checks=$work/checks.txt
: >"$checks"
check() { # check TOOL SET FINDINGS
    echo "$1 $2: $(tr -d '\r' <"$3" >"$3.lf" && python3 "$root/bench/check_findings.py" \
        "$data" "$2" "$3.lf" || true)" >>"$checks"
}
count_check() { # count_check TOOL SET OUTPUT LOG...: rg/grep line counts against planted lines
    tool=$1 set=$2 output=$3
    shift 3
    expected=0
    for f in "$@"; do
        expected=$((expected + $(python3 "$root/bench/check_findings.py" "$data" "$set" --lines "$f")))
    done
    got=$(awk -F: '{ n += $NF } END { print n + 0 }' "$output")
    echo "$tool $set: $got lines reported, $expected planted lines (hits and decoys)" >>"$checks"
}

has_hunt=no
if "$fh" hunt --help >/dev/null 2>&1; then has_hunt=yes; fi

# Queries that no literal prefilter applies to, per file, on one core: every column decoded
# (no shortcuts), and a count by one column, which decodes that column only.
all_columns() {
    case "$1" in
    *.cef) echo "CommonSecurityLog | count" ;;
    network.json) echo "DeviceNetworkEvents | count" ;;
    file.json) echo "DeviceFileEvents | count" ;;
    esac
}
group_by() {
    case "$1" in
    *.cef) echo "CommonSecurityLog | summarize count() by DestinationIP | count" ;;
    network.json) echo "DeviceNetworkEvents | summarize count() by RemoteIP | count" ;;
    file.json) echo "DeviceFileEvents | summarize count() by SHA256 | count" ;;
    esac
}

echo "measuring ($mode)" >&2
for f in $logs; do
    measure "floor:$(basename "$f")" cat "$(size_of "$f")" /dev/null cat "$f"
    measure "parse:$(basename "$f")" foxhound "$(size_of "$f")" "$work/parse.out" \
        "$build/read_bench" "$f"
    cat "$work/parse.out" >>"$checks"
    if "$fh" query --help >/dev/null 2>&1; then
        measure "query-all:$(basename "$f")" foxhound "$(size_of "$f")" /dev/null \
            "$fh" query --threads 1 --no-shortcuts "$(all_columns "$(basename "$f")")" "$f"
        measure "query-group:$(basename "$f")" foxhound "$(size_of "$f")" /dev/null \
            "$fh" query --threads 1 "$(group_by "$(basename "$f")")" "$f"
        measure "query-group:$(basename "$f")" foxhound-cores "$(size_of "$f")" /dev/null \
            "$fh" query "$(group_by "$(basename "$f")")" "$f"
    fi
done
measure floor:all cat "$log_bytes" /dev/null cat $logs
for set in six 10k large; do
    measure "iocload:$set" foxhound "$(size_of "$data/iocs_$set.csv")" "$work/iocload.out" \
        "$build/ioc_bench" "$data/iocs_$set.csv"
    echo "ioc_bench $set: $(cat "$work/iocload.out")" >>"$checks"
done

# The six indicators in the CEF file alone, against rg with the same values, and in the
# first $peak_mb MiB of it, whose peak memory shows whether memory grows with the log size.
cef=$data/firewall.cef
if [ "$has_hunt" = yes ]; then
    measure hunt-cef:six foxhound "$(size_of "$cef")" "$work/foxhound_cef_six.csv" \
        "$fh" hunt --iocs "$data/iocs_six.csv" --format csv "$cef"
    measure hunt-slice:six foxhound "$(size_of "$data/peak.cef")" /dev/null \
        "$fh" hunt --iocs "$data/iocs_six.csv" --format csv "$data/peak.cef"
fi
measure hunt-cef:six rg "$(size_of "$cef")" "$work/rg_cef_six.txt" \
    rg -F -c -f "$data/iocs_six.values" "$cef"

for set in six 10k large; do
    values=$data/iocs_$set.values
    if [ "$has_hunt" = yes ]; then
        # hunt exits 1 when it finds something, which is expected here.
        measure "hunt:$set" foxhound "$log_bytes" "$work/foxhound_$set.csv" \
            "$fh" hunt --iocs "$data/iocs_$set.csv" --format csv $logs
        echo "foxhound $set: $(python3 "$root/bench/check_findings.py" "$data" "$set" \
            --hunt "$work/foxhound_$set.csv" || true)" >>"$checks"
        if [ "$set" = six ]; then
            measure "hunt:$set" foxhound-slow "$log_bytes" "$work/slow_$set.csv" \
                "$fh" hunt --no-shortcuts --iocs "$data/iocs_$set.csv" --format csv $logs
            cmp -s "$work/foxhound_$set.csv" "$work/slow_$set.csv" &&
                echo "foxhound $set --no-shortcuts: same output" >>"$checks" ||
                echo "foxhound $set --no-shortcuts: OUTPUT DIFFERS" >>"$checks"
        fi
    fi
    if [ "$set" = large ]; then
        # rg and grep build one automaton from every value, which takes minutes and
        # gigabytes at this size, so they scan a slice of the CEF file, and exit status 124
        # means they were stopped after $timeout seconds.
        measure "hunt:$set:slice" rg "$slice_bytes" "$work/rg_$set.txt" \
            timeout "$timeout" rg -F -c -f "$values" "$data/slice.cef"
        measure "hunt:$set:slice" grep "$slice_bytes" "$work/grep_$set.txt" \
            timeout "$timeout" grep -F -c -f "$values" "$data/slice.cef"
    else
        measure "hunt:$set" rg "$log_bytes" "$work/rg_$set.txt" rg -F -c -f "$values" $logs
        measure "hunt:$set" grep "$log_bytes" "$work/grep_$set.txt" grep -F -c -f "$values" $logs
        count_check rg "$set" "$work/rg_$set.txt" $logs
        count_check grep "$set" "$work/grep_$set.txt" $logs
    fi
    measure "hunt:$set" sqlite "$log_bytes" /dev/null \
        sh "$root/bench/hunt_sqlite.sh" "$data" "$data/iocs_$set.tsv" "$work/sqlite_$set.csv"
    check sqlite "$set" "$work/sqlite_$set.csv"
    measure "hunt:$set" pandas "$log_bytes" /dev/null "$pandas_python" \
        "$root/bench/hunt_pandas.py" --iocs "$data/iocs_$set.tsv" --data "$data" \
        -o "$work/pandas_$set.csv"
    check pandas "$set" "$work/pandas_$set.csv"
done

# --- report -----------------------------------------------------------------------------------
echo
echo "foxhound benchmark, $mode run, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "data: $data ($params); logs $log_bytes bytes, CSV copies $csv_bytes bytes"
[ "$has_hunt" = yes ] || echo "foxhound hunt: not built in this version; hunt ratios are to the cat floor"
echo
awk -v has_hunt="$has_hunt" '
    { step[NR] = $1; tool[NR] = $2; secs[NR] = $3; kib[NR] = $4; bytes[NR] = $5; rc[NR] = $6
      runs[NR] = $7
      if ($2 == "foxhound" && $5 > 0 && !($1 in base)) base[$1] = $3 / $5
      if ($1 == "floor:all") floor = $3 / $5 }
    END {
        printf "%-22s %-13s %8s %8s %9s %10s %4s %s\n", "step", "tool", "seconds", "MB/s",
               "peak MiB", "x foxhound", "exit", "runs"
        for (i = 1; i <= NR; i++) {
            s = step[i]; sub(/:slice$/, "", s)
            ref = base[s]
            if (ref == "" && has_hunt != "yes" && s ~ /^hunt:/) ref = floor
            ratio = (ref != "" && ref > 0) ? sprintf("%.1f", secs[i] / bytes[i] / ref) : "-"
            rate = secs[i] > 0 ? bytes[i] / 1e6 / secs[i] : 0
            printf "%-22s %-13s %8.3f %8.1f %9.1f %10s %4s %s\n", step[i], tool[i], secs[i],
                   rate, kib[i] / 1024, ratio, rc[i], runs[i]
        }
    }' "$results"
echo
echo "checks:"
cat "$checks"
echo
echo "targets:"
awk -v cores="$(nproc)" -v large="$large" -f "$root/bench/targets.awk" "$results"
