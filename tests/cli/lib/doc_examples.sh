# Runs the ```console examples of a Markdown file and compares the transcript with the file.
# In a block, a line starting with "$ " is a command and the lines after it are its expected
# standard output and standard error, merged. Sourced with FH_BIN set; the caller changes to
# the folder the examples run in and calls run_doc_examples FILE.

run_doc_examples() {
    doc=$1
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/foxhound-doc-XXXXXX")
    awk '/^```console$/ { inside = 1; next } /^```$/ { inside = 0; next } inside' "$doc" \
        >"$scratch/expected.txt"
    if [ ! -s "$scratch/expected.txt" ]; then
        echo "FAIL: no console examples found in $doc" >&2
        rm -rf "$scratch"
        return 1
    fi

    # Each command is echoed and then run, so the transcript has the layout of the document.
    {
        echo 'foxhound() { "$FH_BIN" "$@"; }'
        awk '/^\$ / {
            command = substr($0, 3)
            quoted = command
            gsub(/'\''/, "'\''\\'\'''\''", quoted)
            print "printf '\''%s\\n'\'' '\''$ " quoted "'\''"
            print command " 2>&1"
        }' "$scratch/expected.txt"
    } >"$scratch/examples.sh"

    # CSV output ends its lines with CRLF, which a Markdown file cannot show.
    sh "$scratch/examples.sh" 2>&1 | tr -d '\r' >"$scratch/actual.txt"
    if ! diff -u "$scratch/expected.txt" "$scratch/actual.txt"; then
        echo "FAIL: the examples in $doc do not produce the output shown there" >&2
        rm -rf "$scratch"
        return 1
    fi
    rm -rf "$scratch"
    return 0
}
