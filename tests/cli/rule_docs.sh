#!/bin/sh
# Runs every example in docs/rules.md, in an empty folder holding copies of examples/ and
# docs/examples/, and compares the output with the text shown there.
. "$FH_SOURCE_DIR/tests/cli/lib/ioc_common.sh"
. "$FH_SOURCE_DIR/tests/cli/lib/doc_examples.sh"
cp -R "$FH_SOURCE_DIR/examples" examples
mkdir docs
cp -R "$FH_SOURCE_DIR/docs/examples" docs/examples
run_doc_examples "$FH_SOURCE_DIR/docs/rules.md" || fail "docs/rules.md examples"
