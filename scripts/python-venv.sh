#!/usr/bin/env bash
# Creates (once; idempotent) the Python venv the benchmarks compare against: PyPI's numpy
# (OpenBLAS), threadpoolctl and scikit-learn, pinned in bench/python/requirements.txt, in
# target/venv. Prints the venv's python. Run by `npm run bench`; nothing else needs it.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/venv
requirements=bench/python/requirements.txt
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
  echo "python-venv: installing $(grep -v '^#' "$requirements" | paste -sd' ') into $venv (once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
  cp "$requirements" "$stamp"
fi
echo "$PWD/$venv/bin/python"
