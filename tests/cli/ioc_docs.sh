# Runs every example in docs/indicators.md and compares its output with the text shown there.
# An example is a ```console block: lines starting with "$ " are commands, the lines after
# each command are its expected standard output and standard error. All blocks run in order
# in one shell, in an empty folder holding a copy of docs/examples/.
. "$FH_SOURCE_DIR/tests/cli/lib/ioc_common.sh"
doc="$FH_SOURCE_DIR/docs/indicators.md"
cp -R "$FH_SOURCE_DIR/docs/examples" examples
unset FOXHOUND_DB

awk '/^```console$/ { inside = 1; next } /^```$/ { inside = 0; next } inside' "$doc" >expected.txt
[ -s expected.txt ] || fail "no console examples found in $doc"

# Each command is echoed and then run, so the transcript has the layout of the document.
{
    echo 'foxhound() { "$FH_BIN" "$@"; }'
    awk '/^\$ / {
        command = substr($0, 3)
        quoted = command
        gsub(/'\''/, "'\''\\'\'''\''", quoted)
        print "printf '\''%s\\n'\'' '\''$ " quoted "'\''"
        print command " 2>&1"
    }' expected.txt
} >examples.sh

sh examples.sh >actual.txt 2>&1 || true
if ! diff -u expected.txt actual.txt; then
    fail "the examples in docs/indicators.md do not produce the output shown there"
fi
