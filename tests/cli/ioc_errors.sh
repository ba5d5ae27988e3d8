# foxhound ioc: help on every command, usage errors with exit code 2 and a pointer to --help,
# and errors (exit code 3) that name the file.
. "$FH_SOURCE_DIR/tests/cli/lib/ioc_common.sh"

run 0 ioc --help
contains out.txt "Usage: foxhound ioc COMMAND"
for sub in import list stats export; do
    run 0 ioc "$sub" --help
    contains out.txt "Usage: foxhound ioc $sub"
done

run 2 ioc
run 2 ioc frobnicate
contains err.txt "unknown command 'ioc frobnicate'"
contains err.txt "Try 'foxhound ioc --help'."

run 2 ioc list --type registry-key
contains err.txt "invalid --type 'registry-key'"
contains err.txt "Try 'foxhound ioc list --help'."
run 2 ioc list --min-confidence 101
contains err.txt "invalid --min-confidence '101'"
run 2 ioc export --since yesterday --format csv
contains err.txt "invalid --since 'yesterday'"
run 2 ioc stats --flagged --unflagged
contains err.txt "--flagged and --unflagged exclude each other"
run 2 ioc export
contains err.txt "missing --format"
contains err.txt "Try 'foxhound ioc export --help'."
run 2 ioc export --format misp
contains err.txt "invalid export format 'misp'"
run 2 ioc import
contains err.txt "no indicator file given"
# The format is checked before the (here missing) database is opened.
run 2 ioc list --format yaml
contains err.txt "invalid --format 'yaml'; use one of table,json,csv"
run 2 ioc stats --format csv
contains err.txt "invalid --format 'csv'; use one of table,json"
run 2 ioc import --warp feed.txt
contains err.txt "unknown option '--warp'"
run 2 ioc list -o out.csv
contains err.txt "unknown option '-o'"
run 2 ioc list --family
contains err.txt "option '--family' needs a value"

# Reading a database that was never created fails with a hint to import first.
run 3 ioc list
contains err.txt "indicators.db: indicator database not found; import indicators first"

run 3 ioc import missing.csv
contains err.txt "missing.csv"

# A file that is not a foxhound database is left alone.
printf 'not a database at all, just text that is long enough to fill a header.....\n' >notes.db
cp notes.db notes.orig
run 3 ioc stats --db notes.db
contains err.txt "notes.db"
cmp -s notes.db notes.orig || fail "foxhound changed a file that is not its database"
