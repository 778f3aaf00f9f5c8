#!/usr/bin/env bash
# Builds both wasm binaries (scripts/build-wasm.sh), then the package (tsup: ESM + CJS + .d.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wasm.sh
npx tsup --silent
bash scripts/ensure-built.sh --stamp
echo "build: dist/ ready ($(du -sh dist | cut -f1))"
