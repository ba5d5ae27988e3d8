# Reads bench/run.sh's results ("step tool seconds peak_kib bytes exit_status runs" per line)
# and prints each performance target with its figure from the same run and whether it is met.
# Variables: cores (worker threads foxhound used), large (size of the large indicator set),
# timeout (seconds after which rg and grep were stopped on the slice).

{
    key = $1 SUBSEP $2
    secs[key] = $3; kib[key] = $4; bytes[key] = $5; rc[key] = $6
}

function have(step, tool) { return (step SUBSEP tool) in secs }
function s(step, tool) { return secs[step SUBSEP tool] }
function mib(step, tool) { return kib[step SUBSEP tool] / 1024 }
function mbps(step, tool,    k) {
    k = step SUBSEP tool
    return secs[k] > 0 ? bytes[k] / 1e6 / secs[k] : 0
}
function row(target, figure, met) { printf "%-62s %-58s %s\n", target, figure, met }
function yn(ok) { return ok ? "yes" : "no" }

END {
    printf "%-62s %-58s %s\n", "target", "figure in this run", "met"

    if (have("hunt-cef:six", "foxhound") && have("hunt-cef:six", "rg")) {
        f = s("hunt-cef:six", "foxhound"); g = s("hunt-cef:six", "rg")
        row("6 indicators in the CEF file, <= 1.5x rg -F -f",
            sprintf("%.2fx rg's time (%.3f s against %.3f s)", f / g, f, g), yn(f / g <= 1.5))
    }

    if (have("hunt:large", "foxhound") && have("hunt:large:slice", "rg")) {
        f = mbps("hunt:large", "foxhound"); g = mbps("hunt:large:slice", "rg")
        stopped = rc["hunt:large:slice" SUBSEP "rg"] == 124
        row(sprintf("%d indicators faster than rg -F -f", large),
            sprintf("%.1f MB/s against rg's %s%.2f MB/s (rg on a slice)", f,
                    stopped ? "< " : "", g), yn(f > g))
    }

    if (have("query-group:firewall.cef", "foxhound")) {
        q = mbps("query-group:firewall.cef", "foxhound")
        c = mbps("query-group:firewall.cef", "foxhound-cores")
        f = mbps("parse:firewall.cef", "foxhound")
        row("CEF, summarize count() by DestinationIP, >= 400 MB/s a core",
            sprintf("%.0f MB/s on 1 core, %.0f on %d; reader, every column: %.0f", q, c, cores, f),
            yn(q >= 400))
    }

    if (have("query-group:network.json", "foxhound") && have("query-group:file.json", "foxhound")) {
        n = mbps("query-group:network.json", "foxhound"); f = mbps("query-group:file.json", "foxhound")
        lo = n < f ? n : f
        c = mbps("query-group:network.json", "foxhound-cores")
        row("JSON lines, summarize count() by a column, >= 250 MB/s a core",
            sprintf("%.0f and %.0f MB/s on 1 core; network on %d cores: %.0f", n, f, cores, c),
            yn(lo >= 250))
    }

    if (have("iocload:large", "foxhound")) {
        t = s("iocload:large", "foxhound"); m = mib("iocload:large", "foxhound")
        row(sprintf("%d indicators load in < 1 s and < 64 MB", large),
            sprintf("%.2f s, %.0f MiB peak", t, m), yn(t < 1 && m < 64))
    }

    # The same hunt over the CEF file and over its first megabytes: the same tables and
    # the same parallel scan, so only the log size differs.
    if (have("hunt-cef:six", "foxhound") && have("hunt-slice:six", "foxhound")) {
        big = mib("hunt-cef:six", "foxhound"); small = mib("hunt-slice:six", "foxhound")
        grow = bytes["hunt-cef:six" SUBSEP "foxhound"] / bytes["hunt-slice:six" SUBSEP "foxhound"]
        row("peak memory does not grow with log size",
            sprintf("%.0f MiB for the CEF file, %.0f MiB for a slice %.0fx smaller", big, small,
                    grow), yn(big < 1.5 * small))
    }

    n = split("six 10k large", sets, " ")
    for (i = 1; i <= n; i++) {
        step = "hunt:" sets[i]
        if (!have(step, "foxhound"))
            continue
        f = s(step, "foxhound")
        p = have(step, "pandas") ? s(step, "pandas") / f : 0
        q = have(step, "sqlite") ? s(step, "sqlite") / f : 0
        row(sprintf(">= 50x pandas, >= 10x SQLite (%s indicators)", sets[i] == "large" ? large : sets[i] == "10k" ? 10000 : 6),
            sprintf("%.1fx pandas, %.1fx SQLite (foxhound %.2f s)", p, q, f),
            yn(p >= 50 && q >= 10))
    }
}
