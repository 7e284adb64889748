#!/usr/bin/env bash
# Builds the docs site into site/ with the committed (full-mode) tutorial pages.
#
#   bash tools/build_docs.sh          # build site/ (installs the docs extras)
#   bash tools/build_docs.sh --ci     # also: every tutorial in fast mode in a
#                                     # scratch folder, a strict build of those
#                                     # pages, and a headless-browser check of
#                                     # both sites (installs Debian's chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".[tensorflow,docs]"
fi
PY="$VENV/bin/python"
export KERASGAN_DATA_DIR=${KERASGAN_DATA_DIR:-$(cd .. && pwd)/shared/data}
[ -d "$KERASGAN_DATA_DIR" ] || unset KERASGAN_DATA_DIR
export NO_MKDOCS_2_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore::DeprecationWarning

"$PY" -m mkdocs build --strict
if [ "${1:-}" != "--ci" ]; then
  echo "Site built in site/"
  exit 0
fi

"$PY" tools/render_tutorials.py --fast --out _scratch/docs-fast --quiet --jobs "$(nproc)"
KERASGAN_TUTORIALS_FROM=_scratch/docs-fast "$PY" -m mkdocs build --strict -d _scratch/site-fast

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
"$PY" tools/check_site.py site/
"$PY" tools/check_site.py _scratch/site-fast
