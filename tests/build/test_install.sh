#!/usr/bin/env bash
# make install into a staging DESTDIR, then build and run examples/metadata
# against the installed header, shared library and pkg-config file; check the
# soname and that only kc_ symbols are exported. Also builds with clang.
set -euo pipefail
cd "$(dirname "$0")/../.."
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

make -s install PREFIX=/opt/kafkac DESTDIR="$stage" >/dev/null
for f in opt/kafkac/include/kafkac.h opt/kafkac/lib/libkafkac.so.0.1.0 opt/kafkac/lib/libkafkac.so.0 opt/kafkac/lib/libkafkac.so \
         opt/kafkac/lib/libkafkac.a opt/kafkac/lib/pkgconfig/kafkac.pc; do
    [ -e "$stage/$f" ] && ok "installed $f" || bad "missing $f"
done
soname=$(readelf -d "$stage/opt/kafkac/lib/libkafkac.so.0.1.0" | sed -nE 's/.*SONAME.*\[(.*)\].*/\1/p')
[ "$soname" = libkafkac.so.0 ] && ok "soname $soname" || bad "soname is '$soname'"
others=$(nm -D --defined-only "$stage/opt/kafkac/lib/libkafkac.so.0.1.0" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -vE '^kc_[a-z]' || true)
[ -z "$others" ] && ok "only kc_ symbols exported" || bad "exported non-kc_ symbols: $others"

export PKG_CONFIG_PATH="$stage/opt/kafkac/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage"
# shellcheck disable=SC2046
if cc -Wall -Werror -o "$stage/metadata" examples/metadata.c $(pkg-config --cflags --libs kafkac) &&
    LD_LIBRARY_PATH="$stage/opt/kafkac/lib" "$stage/metadata" -h 2>&1 | grep -q usage; then
    ok "example builds and runs against the installed library (pkg-config)"
else
    bad "example against the installed library"
fi
# shellcheck disable=SC2046
if cc -static-libgcc -o "$stage/metadata-static" examples/metadata.c -I"$stage/opt/kafkac/include" \
    "$stage/opt/kafkac/lib/libkafkac.a" $(pkg-config --static --libs-only-l kafkac | sed 's/-lkafkac//') &&
    "$stage/metadata-static" -h 2>&1 | grep -q usage; then
    ok "example links the static library"
else
    bad "example against the static library"
fi
if command -v clang >/dev/null; then
    if make -s CC=clang BUILD=build/clang lib examples >/dev/null 2>&1; then
        ok "clang build (-Wall -Wextra -Werror)"
    else
        bad "clang build"
    fi
fi
echo "build: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
