#!/usr/bin/env bash
# The whole test suite (`npm test`): the crate's lints (rustfmt, clippy native and wasm32), its
# tests natively (scalar lanes) and in wasm32 (SIMD128 and relaxed lanes), the TypeScript type
# check, then vitest (cross-checks against the reference backend, and the built package
# through its exports).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/ensure-built.sh
bash scripts/lint.sh
cargo test --quiet --locked
bash scripts/test-wasm.sh
npx tsc --noEmit
npx vitest run
