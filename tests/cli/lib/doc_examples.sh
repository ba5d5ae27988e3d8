# Shared by the tests/cli/*_docs.sh scripts: runs the examples of a documentation page and
# compares their output with the text shown there. Sourced after ioc_common.sh.
#
# An example is a ```console block: lines starting with "$ " are commands, the lines after
# each command are its expected standard output and standard error. All blocks run in order
# in one shell, in the current folder.

# check_doc_examples DOC: fails unless every example in DOC prints what DOC shows.
check_doc_examples() {
    doc=$1
    awk '/^```console$/ { inside = 1; next } /^```$/ { inside = 0; next } inside' "$doc" \
        >expected.txt
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
        fail "the examples in $doc do not produce the output shown there"
    fi
}
