# Shared by the tests/cli/ioc_*.sh scripts: a temporary working folder with its own indicator
# database, a fixed import time, and checks that print what differed.
# Sourced with FH_BIN, FH_SOURCE_DIR and FH_SHARED_DIR set by ctest.

set -eu

: "${FH_BIN:?FH_BIN must name the built foxhound binary}"
: "${FH_SOURCE_DIR:?FH_SOURCE_DIR must name the project folder}"

work=$(mktemp -d "${TMPDIR:-/tmp}/foxhound-cli-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"

export FOXHOUND_DB="$work/indicators.db"
# Import time of every test run: 2026-12-01T10:00:00Z.
export SOURCE_DATE_EPOCH=1796119200
unset XDG_DATA_HOME NO_COLOR

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Skips the script (exit 77) when the public sample data is absent.
need_shared() {
    if [ -z "${FH_SHARED_DIR:-}" ] || [ ! -d "$FH_SHARED_DIR/data/public" ]; then
        echo "SKIP: public sample data folder not found (set FH_SHARED_DIR)" >&2
        exit 77
    fi
    threatfox="$FH_SHARED_DIR/data/public/threatfox"
}

# run EXPECTED_STATUS COMMAND...: runs foxhound, keeping stdout in out.txt and stderr in
# err.txt, and fails unless it exits with EXPECTED_STATUS.
run() {
    expected=$1
    shift
    status=0
    "$FH_BIN" "$@" >out.txt 2>err.txt || status=$?
    if [ "$status" -ne "$expected" ]; then
        echo "--- stdout" >&2
        cat out.txt >&2
        echo "--- stderr" >&2
        cat err.txt >&2
        fail "foxhound $* exited $status, expected $expected"
    fi
}

# contains FILE TEXT: fails unless FILE has TEXT as a fixed string.
contains() {
    grep -qF -- "$2" "$1" || {
        cat "$1" >&2
        fail "$1 does not contain: $2"
    }
}

# lacks FILE TEXT: fails when FILE has TEXT.
lacks() {
    if grep -qF -- "$2" "$1"; then
        cat "$1" >&2
        fail "$1 contains: $2"
    fi
}
