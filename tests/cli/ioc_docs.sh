# Runs every example in docs/indicators.md, in an empty folder holding a copy of
# docs/examples/, and compares the output with the text shown there.
. "$FH_SOURCE_DIR/tests/cli/lib/ioc_common.sh"
. "$FH_SOURCE_DIR/tests/cli/lib/doc_examples.sh"
cp -R "$FH_SOURCE_DIR/docs/examples" examples
unset FOXHOUND_DB
run_doc_examples "$FH_SOURCE_DIR/docs/indicators.md" || fail "docs/indicators.md examples"
