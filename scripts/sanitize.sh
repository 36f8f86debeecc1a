#!/usr/bin/env bash
# Builds the native core with sanitizers in a build directory of its own and runs tests
# against it, without touching the extension installed in tokbench/.
#
#   scripts/sanitize.sh [pytest args...]                       # ASan + UBSan, sampled tests
#   SANITIZE=thread BUILD_DIR=build/tsan scripts/sanitize.sh tests/test_threads.py
#
# SANITIZE is a -fsanitize= list (default address,undefined); BUILD_DIR defaults to
# build/sanitize-<list>. The sanitized module goes into BUILD_DIR/pkg/tokbench (a copy of the
# Python package), which is first on PYTHONPATH. The interpreter itself is not instrumented,
# so the sanitizer runtime is preloaded; leak checking is off because CPython does not free
# everything at exit (ASan would report the interpreter's own allocations).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sanitize=${SANITIZE:-address,undefined}
build=${BUILD_DIR:-$root/build/sanitize-${sanitize//,/-}}
python=${PYTHON:-python3}
cxx=${CXX:-c++}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" \
  -DSKBUILD_PROJECT_NAME=tokbench -DSKBUILD_PROJECT_VERSION=0.0.0 \
  -Dpybind11_DIR="$("$python" -m pybind11 --cmakedir)" \
  -DPython_EXECUTABLE="$(command -v "$python")" \
  -DTOKBENCH_SANITIZE="$sanitize" >/dev/null
nice -n 10 cmake --build "$build"

# A copy of the package holding the sanitized module (never the installed one).
pkg=$build/pkg
rm -rf "$pkg" && mkdir -p "$pkg"
cp -r "$root/tokbench" "$pkg/"
find "$pkg/tokbench" \( -name '_core*.so' -o -name __pycache__ \) -prune -exec rm -rf {} +
cp "$build"/_core*.so "$pkg/tokbench/"

runtimes=()
case ",$sanitize," in *,address,*) runtimes+=("$("$cxx" -print-file-name=libasan.so)") ;; esac
case ",$sanitize," in *,thread,*) runtimes+=("$("$cxx" -print-file-name=libtsan.so)") ;; esac
case ",$sanitize," in *,undefined,*) runtimes+=("$("$cxx" -print-file-name=libubsan.so)") ;; esac
preload=$(IFS=:; echo "${runtimes[*]}")

# The default sample: hostile files and Unicode, threads, golden ids, the backtracking
# encoder, the API and the scanners. Pass test paths to run others ("tests" for all).
if [ $# -eq 0 ]; then
  set -- tests/test_hardening_files.py tests/test_hardening_unicode.py tests/test_threads.py \
    tests/test_hardening_threads.py tests/test_golden.py tests/test_backtrack.py \
    tests/test_api.py tests/test_scanners.py -q -x
fi

cd "$root"
export PYTHONPATH=$pkg TOKBENCH_SANITIZED=$sanitize
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:strict_string_checks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
# -P: the checkout (the working directory) must not shadow the copy on PYTHONPATH.
LD_PRELOAD=$preload "$python" -P -c 'import tokbench._core as c; print("module:", c.__file__)'
LD_PRELOAD=$preload exec "$python" -P -m pytest -p no:cacheprovider "$@"
