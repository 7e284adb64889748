#!/usr/bin/env bash
# Installs kerasgan with every backend into .venv and runs the whole test
# suite once per Keras backend: TensorFlow, JAX and PyTorch.
#
#   bash tools/test.sh                  # all three backends
#   BACKENDS="jax" bash tools/test.sh   # one backend
#   bash tools/test.sh -k saving        # extra arguments go to pytest
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
status=0
for backend in ${BACKENDS:-tensorflow jax torch}; do
  echo "=== pytest with KERAS_BACKEND=$backend"
  KERAS_BACKEND=$backend "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@" || status=1
done
exit $status
