#!/bin/sh
# Builds mediasoup's C++ worker offline, from the installed npm package's own sources, against
# Debian's libraries. Each subproject that meson would download (GitHub, wrapdb) is replaced by a
# shim in ./shims that wraps the Debian library. Works on Debian 12 (pip-provided meson, since
# bookworm's 1.0.1 is older than the 1.1 mediasoup needs) and Debian 13 (system meson).
#
# Usage: build.sh <mediasoup package dir> <scratch dir> <output binary path>
# The scratch dir is deleted and re-made; ccache (CCACHE_DIR) makes a second build take seconds.
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
PKG="$(cd "$1" && pwd)"
SCRATCH="$2"
OUT="$3"

version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]; }

missing=""
for m in libuv libssl libcrypto libsrtp2 usrsctp absl_flat_hash_map absl_strings flatbuffers; do
  pkg-config --exists "$m" 2> /dev/null || missing="$missing $m"
done
command -v flatc > /dev/null || missing="$missing flatc"
[ -z "$missing" ] || { echo "mediasoup-worker: missing build libraries:$missing" >&2; exit 1; }

export PYTHON="${PYTHON:-python3}"
if [ -z "${MESON:-}" ] && command -v meson > /dev/null && version_ge "$(meson --version)" 1.1.0; then
  MESON="$(command -v meson)"
fi
if [ -n "${MESON:-}" ]; then
  SYS_NINJA="$(command -v ninja || command -v ninja-build || true)"
  [ -n "$SYS_NINJA" ] || { echo "mediasoup-worker: meson found but no ninja (apt-get install ninja-build)" >&2; exit 1; }
fi

# Build in a copy so node_modules keeps the pristine package.
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
cp -r "$PKG" "$SCRATCH/mediasoup"
cd "$SCRATCH/mediasoup"
rm -rf worker/out node_modules/.cache

# Replace every downloading wrap (liburing is disabled below; wingetopt is Windows-only).
rm -f worker/subprojects/*.wrap
for d in "$HERE"/shims/*/; do
  name="$(basename "$d")"
  rm -rf "worker/subprojects/$name"
  cp -r "$d" "worker/subprojects/$name"
done

# npm-scripts.mjs pip-installs invoke only when worker/pip_invoke does not exist.
if "$PYTHON" -c 'import invoke' 2> /dev/null; then mkdir -p worker/pip_invoke; fi

if [ -n "${MESON:-}" ]; then
  # tasks.py skips pip when $MESON exists but always exports NINJA=worker/out/pip_meson_ninja/bin/ninja.
  export MESON
  mkdir -p worker/out/pip_meson_ninja/bin
  ln -sf "$SYS_NINJA" worker/out/pip_meson_ninja/bin/ninja
  echo "mediasoup-worker: meson $("$MESON" --version) and ninja from the system"
else
  export MESON_VERSION="${MESON_VERSION:-1.12.1}" NINJA_VERSION="${NINJA_VERSION:-1.13.2}"
  if [ -z "${PIP_INDEX_URL:-}" ]; then
    # Prefer a local (file://) index from pip's own configuration: no retries against an unreachable one.
    local_index="$("$PYTHON" -m pip config list 2> /dev/null | grep -o "file://[^' ]*" | head -n1 || true)"
    [ -z "$local_index" ] || export PIP_INDEX_URL="$local_index"
  fi
  echo "mediasoup-worker: meson $MESON_VERSION and ninja $NINJA_VERSION via pip"
fi

export MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD=true
export MESON_ARGS="${MESON_ARGS:---wrap-mode=nodownload -Dms_disable_liburing=true}"
node npm-scripts.mjs postinstall

mkdir -p "$(dirname "$OUT")"
cp worker/out/Release/mediasoup-worker "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cd /
rm -rf "$SCRATCH"
echo "mediasoup-worker: built $OUT"
