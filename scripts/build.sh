#!/usr/bin/env bash
# Builds the five wasm binaries (scripts/build-wasm.sh), then the package (tsup: ESM + CJS + .d.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wasm.sh
rm -rf dist  # tsup builds ESM and CJS side by side; neither may clean the other's output
npx tsup --silent
bash scripts/ensure-built.sh --stamp
echo "build: dist/ ready ($(du -sh dist | cut -f1))"
