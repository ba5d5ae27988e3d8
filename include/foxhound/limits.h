/*
 * Every cap foxhound enforces, in one place. Going over one is an FH_ERR_LIMIT error or a
 * counted skip that names the cap, never a crash or a silent truncation.
 */
#ifndef FOXHOUND_LIMITS_H
#define FOXHOUND_LIMITS_H

/* Maximum length of a log line or CSV record, in bytes. A longer one is skipped and counted. */
#define FH_MAX_LINE_BYTES (1024 * 1024)

/* Largest JSON document read whole (a JSON array, an Event Hub file, a feed), in bytes. */
#define FH_MAX_JSON_DOCUMENT_BYTES (1024LL * 1024 * 1024)

/* Deepest nesting of JSON arrays and objects accepted from any input. */
#define FH_MAX_JSON_DEPTH 64

/* Maximum number of columns in one table, built-in or produced by a query. */
#define FH_MAX_COLUMNS 1024

/* Maximum length of a column, table or function name, in bytes. */
#define FH_MAX_NAME_BYTES 256

/* Maximum number of CEF extension key=value pairs in one record. */
#define FH_MAX_CEF_EXTENSIONS 512

/* Maximum number of indicators in one indicator set or imported in one run. */
#define FH_MAX_INDICATORS (20 * 1000 * 1000)

/* Maximum length of an indicator value (a URL is the long case), in bytes. */
#define FH_MAX_INDICATOR_BYTES 8192

/*
 * Largest query text, in bytes. A generated hunt lists every indicator in its query, and
 * 1,000,000 ThreatFox indicators give a DeviceFileEvents query of about 24 MB, so the cap
 * leaves room for FH_MAX_IN_LIST SHA-256 hashes (about 70 MB).
 */
#define FH_MAX_QUERY_BYTES (128 * 1024 * 1024)

/* Deepest nesting of KQL expressions and sub-queries. */
#define FH_MAX_QUERY_DEPTH 200

/* Maximum number of items in one `in (...)` list or dynamic array literal. */
#define FH_MAX_IN_LIST 1000000

/* Maximum number of rows a stateful KQL operator (sort, summarize, join, distinct) keeps. */
#define FH_MAX_STATE_ROWS (200LL * 1000 * 1000)

/* Maximum number of entries a make_set or make_list aggregate collects, as in Kusto. */
#define FH_MAX_MAKE_SET 1048576

/* Deepest folder recursion when a log path is a folder. */
#define FH_MAX_DIR_DEPTH 32

/* Rows per batch passed between readers and the query engine. */
#define FH_BATCH_ROWS 1024

/* How many line numbers a skip reason keeps for the report. */
#define FH_SKIP_SAMPLE_LINES 5

/*
 * Literal prefilter (src/kql/kql_plan.c).
 *
 * Maximum number of distinct literals the prefilter scans for; with more, lines are parsed
 * and checked without it. Hyperscan 5.4 compiles a literal set (hs_compile_lit_multi,
 * caseless, single match) in a time that grows faster than the count. The CPU time was
 * measured on one x86-64 core with AVX-512, for the first N values of a ThreatFox export of
 * 1,000,000 indicators from bench/gen_iocs.py. 2,000 literals took 0.03 s (340 KiB database),
 * 10,000 took 0.27 s (1.4 MiB), 12,000 took 0.31 s (1.6 MiB), 20,000 took 0.68 s (2.8 MiB)
 * and 30,000 took 1.2 s (4.3 MiB). All 1,000,000 did not compile within 300 s. The cap keeps
 * the compile near 0.3 s.
 */
#define FH_MAX_PREFILTER_LITERALS 12000

/* Maximum number of literals searched for one by one in a build without Hyperscan. */
#define FH_MAX_PREFILTER_LITERALS_PLAIN 32

/* KQL scalar functions (src/kql/kql_func*.c, kql_binop.c). */

/* Maximum length of a regular expression in a query, in bytes. */
#define FH_MAX_REGEX_BYTES (64 * 1024)

/* Compiled regular expressions kept per function context; more replace older entries. */
#define FH_MAX_REGEX_CACHE 64

/*
 * PCRE2 match limit per regex call (backtracking steps). Kusto uses RE2, which never
 * backtracks; this cap turns a catastrophic pattern into an error instead of a stall.
 */
#define FH_MAX_REGEX_MATCH_STEPS 10000000

/* Maximum length of a string a scalar function builds (strrep, strcat, replace_*), in bytes. */
#define FH_MAX_STRING_RESULT_BYTES (16 * 1024 * 1024)

/* Indicator import (src/ioc). */

/* Rejected values kept with their reason per indicator set; later ones are only counted. */
#define FH_MAX_IOC_REJECTS_KEPT 1000

/* Distinct skip reasons counted per indicator set; further reasons share one counter. */
#define FH_MAX_IOC_SKIP_REASONS 64

/* Maximum number of tags or aliases kept per indicator. Further ones are dropped and counted as
 * skipped. */
#define FH_MAX_IOC_TAGS 64

/* Maximum number of indicators one STIX pattern may expand to (OR alternatives times AND terms). */
#define FH_MAX_STIX_PATTERN_TERMS 256

/* Maximum number of entries in one warninglist. */
#define FH_MAX_WARNINGLIST_ENTRIES (10 * 1000 * 1000)

/* Result writer (src/out/writer.c). */

/* Rows a table writer keeps by default to measure column widths before it prints any. */
#define FH_WRITER_MEASURE_ROWS 1000

/* Log readers (src/read). */

/* JSON lines read ahead when a reader opens, to collect the keys that become columns. */
#define FH_JSON_SCAN_LINES 1024

/* Lines looked at for a "CEF:" marker when detecting the format of a log file. */
#define FH_DETECT_LINES 20

/* Parallel scanning (src/read/scan_parallel.c, src/kql/kql_op_scan.c). */

/* Maximum number of worker threads that read one file when the core count picks the number. */
#define FH_MAX_SCAN_THREADS 16

/* Rule generation (src/rule). */

/* Maximum length of the query in a Sentinel analytic rule, in characters, as Sentinel's template
 * validator enforces. Longer indicator lists are split into several rules. */
#define FH_RULE_SENTINEL_QUERY_MAX 10000

/* Suricata: a value list longer than this goes to a dataset file instead of one rule per
 * value. */
#define FH_RULE_DATASET_THRESHOLD 100

/* Suricata: SIDs are taken from sid_base .. sid_base + FH_RULE_SID_SPAN - 1. */
#define FH_RULE_SID_SPAN 1000000

/* Maximum number of rules one generator writes; more is an FH_ERR_LIMIT error. */
#define FH_RULE_MAX_RULES 100000

/* JSON lines fast path (src/read/json_fast.c). */

/* Maximum number of keys in the row object of a JSON line that the fast path loads. A line
 * with more is parsed with jansson instead, with the same result. */
#define FH_JSON_FAST_MAX_KEYS 512

#endif
