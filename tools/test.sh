#!/usr/bin/env bash
# Installs kerasgan with every backend into .venv and runs the whole test
# suite once per Keras backend: TensorFlow, JAX and PyTorch.
#
#   bash tools/test.sh                  # all three backends
#   BACKENDS="jax" bash tools/test.sh   # one backend
#   bash tools/test.sh -k saving        # extra arguments go to pytest
#   KERASGAN_TEST_WORKERS=1 bash tools/test.sh   # one pytest process
#
# Tests run in one pytest-xdist worker per CPU core (KERASGAN_TEST_WORKERS,
# default `auto`): the tiny models' steps are dominated by single-threaded
# tracing and compilation, so two workers on two cores take about half the
# time of one.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
# torch==2.13.0 is pinned so pip takes the CPU build instead of CUDA wheels.
"$VENV/bin/python" -m pip install -q -e ".[tensorflow,jax,test,docs]" "torch==2.13.0"
export KERASGAN_DATA_DIR=${KERASGAN_DATA_DIR:-$(cd .. && pwd)/shared/data}
[ -d "$KERASGAN_DATA_DIR" ] || unset KERASGAN_DATA_DIR
export TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore::DeprecationWarning
WORKERS=${KERASGAN_TEST_WORKERS:-auto}
if [ "$WORKERS" = 1 ]; then XDIST=(); else XDIST=(-n "$WORKERS"); fi
status=0
for backend in ${BACKENDS:-tensorflow jax torch}; do
  echo "=== pytest with KERAS_BACKEND=$backend"
  KERAS_BACKEND=$backend "$VENV/bin/python" -m pytest -q -p no:cacheprovider "${XDIST[@]}" "$@" || status=1
done

# The oldest Keras that pyproject.toml allows, on one backend, for the core
# tests (training, saving, data checks): installed beside the venv's newer
# Keras and put first on PYTHONPATH. OLDEST_KERAS=0 skips this step.
OLDEST_KERAS=${OLDEST_KERAS:-3.15.0}
if [ "$OLDEST_KERAS" != 0 ] && [ $# -eq 0 ]; then
  OLD_DIR="_scratch/keras-$OLDEST_KERAS"
  if [ ! -f "$OLD_DIR/keras/__init__.py" ]; then
    "$VENV/bin/python" -m pip install -q --no-deps --target "$OLD_DIR" "keras==$OLDEST_KERAS"
  fi
  echo "=== pytest with Keras $OLDEST_KERAS (the oldest supported), KERAS_BACKEND=jax"
  PYTHONPATH="$OLD_DIR" KERASGAN_EXPECT_KERAS="$OLDEST_KERAS" KERAS_BACKEND=jax \
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider "${XDIST[@]}" tests/models tests/test_losses.py \
    tests/test_compat.py tests/test_package.py::test_keras_version_is_supported || status=1
fi
exit $status
