#!/usr/bin/env bash
# The crate's tests (crate/tests/*.rs) compiled to wasm32 and run under Node by
# `wasm-pack test --node`, once per SIMD lane layer the package ships: `wasm128` (+simd128)
# and relaxed (+simd128,+relaxed-simd). Natively `cargo test` runs the scalar layer, which
# the baseline build also uses. In wasm32 each test file's `#[test]` is `wasm_bindgen_test`
# (tests/common), which wasm-bindgen-test-runner runs; a lib's own `#[cfg(test)]` unit tests
# run natively only.
#
# wasm-pack in no-install mode, on Debian's rustc-web with std rebuilt by -Zbuild-std (as
# scripts/build-wasm.sh builds): the -Z options and the optimisation level go in as cargo's
# config environment, because wasm-pack hands its extra arguments to the test runner, not to
# cargo. Tests link with panic=abort (-Zpanic-abort-tests), as the shipped builds do. Node 24
# runs them (relaxed SIMD is on by default there; Node 20 needs a flag).
set -euo pipefail
cd "$(dirname "$0")/.."
node_bin="$PWD/target/node/24.21.0/bin"

run_variant() {
  local variant=$1 rustflags=$2
  echo "test-wasm: $variant (RUSTFLAGS: $rustflags)"
  # Debian's cargo first (its -Zbuild-std matches the rustc-web std source); wasm-pack and
  # wasm-bindgen-test-runner come from ~/.cargo/bin (scripts/setup.sh).
  PATH="$node_bin:/usr/bin:$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc \
  CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_PANIC_ABORT_TESTS=true \
  CARGO_PROFILE_DEV_OPT_LEVEL=3 \
  CARGO_TARGET_DIR="$PWD/target/test-wasm-$variant" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$rustflags" \
    wasm-pack --log-level warn test --node --mode no-install crate
}

run_variant simd "-C target-feature=+simd128"
run_variant relaxed "-C target-feature=+simd128,+relaxed-simd"
