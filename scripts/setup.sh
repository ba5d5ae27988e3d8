#!/bin/sh
# Installs the Debian packages that foxhound builds, tests and benchmarks with.
# Run as root on Debian 12 or later; it is safe to run again.
set -eu

packages="build-essential cmake pkg-config clang libclang-rt-14-dev \
libsqlite3-dev libjansson-dev libpcre2-dev libyaml-dev zlib1g-dev libzstd-dev \
libcmocka-dev sqlite3 zstd gzip python3"

# Hyperscan only builds for x86-64; elsewhere the prefilter falls back to memmem.
case "$(uname -m)" in
x86_64 | amd64) packages="$packages libhyperscan-dev" ;;
esac

if [ "${1:-}" = "--bench" ]; then
    packages="$packages ripgrep python3-pandas hyperfine"
fi

missing=""
for p in $packages; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
