#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.cpp) with clang, ASan and
# UBSan in a build directory of their own, and runs each for a bounded time.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     (default: 20 s, every target)
#
# Exits non-zero when a target finds a crash, a leak, a sanitizer report or a
# timeout; the input that did it is left in $FUZZ_BUILD_DIR/artifacts/<target>/
# and the command to reproduce it is printed. Each target starts from its seed
# corpus (tests/fuzz/corpus/<target>/, kept small and in git) plus what earlier
# runs found (build-fuzz/corpus/<target>/, not in git).
#
# Why clang 16 and not Debian's default clang 14: libstdc++ 12 declares
# std::expected only when __cpp_concepts >= 202002L. clang 14 defines 201907L
# and cannot compile <expected> even when told otherwise (it lacks P0848,
# conditionally trivial special members). clang 16 implements P0848 but still
# reports 201907L (until clang 19), so the fuzz build raises the macro (see the
# TODO_FUZZ block in CMakeLists.txt).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

BUILD=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
SECONDS_EACH=${1:-20}
shift || true
CLANG_VERSION=16

ensure_clang() {
  local pkgs=(clang-$CLANG_VERSION libclang-rt-$CLANG_VERSION-dev) missing=() p
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "fuzz: missing Debian packages; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  say "building the fuzz targets in $BUILD"
  CC=clang-$CLANG_VERSION CXX=clang++-$CLANG_VERSION \
    cmake -S "$ROOT" -B "$BUILD" -DTODO_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j"$(nproc)" --target "${TARGETS[@]}" >"$BUILD/build.log" 2>&1 ||
    { tail -n 40 "$BUILD/build.log" >&2; exit 1; }
}

# run TARGET: libFuzzer for SECONDS_EACH seconds; 0 when it found nothing.
run() {
  local target=$1 seeds=$ROOT/tests/fuzz/corpus/${1#fuzz_}
  local corpus=$BUILD/corpus/$target artifacts=$BUILD/artifacts/$target log=$BUILD/$target.log
  mkdir -p "$corpus" "$artifacts"
  say "$target for ${SECONDS_EACH}s"
  # detect_leaks stays on: a leak per request would be a slow death in a worker.
  if ASAN_SYMBOLIZER_PATH=$SYMBOLIZER ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$BUILD/$target" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$log" | tail -n 2 | sed 's/^/    /' >&2
    return 0
  fi
  tail -n 60 "$log" >&2
  echo "fuzz: $target FAILED; reproduce with: $BUILD/$target $artifacts/<crash file>" >&2
  return 1
}

ensure_clang
# Readable stack traces in reports (any LLVM's symbolizer reads clang 16's DWARF).
SYMBOLIZER=$(command -v llvm-symbolizer-$CLANG_VERSION llvm-symbolizer llvm-symbolizer-14 | head -n 1 || true)
if [ $# -gt 0 ]; then
  TARGETS=("$@")
else
  TARGETS=()
  for src in "$ROOT"/tests/fuzz/fuzz_*.cpp; do TARGETS+=("$(basename "$src" .cpp)"); done
fi
build
failed=0
for target in "${TARGETS[@]}"; do run "$target" || failed=$((failed + 1)); done
echo "fuzz: $((${#TARGETS[@]} - failed)) passed, $failed failed" >&2
[ "$failed" -eq 0 ]
