#!/bin/sh
# Runs every example in docs/hunt.md from the project folder and compares the output.
set -u
. "$FH_SOURCE_DIR/tests/cli/lib/doc_examples.sh"
cd "$FH_SOURCE_DIR" || exit 1
run_doc_examples docs/hunt.md
