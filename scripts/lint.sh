#!/usr/bin/env bash
# The crate's lints, run by `npm test` so a regression fails the suite:
#   rustfmt --check (rustfmt.toml), then clippy with every warning an error, natively (the
#   scalar lane layer, the tests and the benches) and for wasm32 with +simd128,+relaxed-simd
#   (the `wasm128` lane layer and `bindings.rs`, which only exist there). The crate root denies
#   `unsafe_op_in_unsafe_fn` and `clippy::undocumented_unsafe_blocks`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

cargo fmt --all -- --check
cargo clippy --quiet --locked --all-targets -- -D warnings
# wasm32: Debian's rustc-web with its own clippy (rust-web-clippy, from setup), std rebuilt by
# -Zbuild-std as in build-wasm.sh. Called as /usr/bin/cargo-clippy: `cargo clippy` would find
# rustup's cargo-clippy in ~/.cargo/bin first, whose toolchain has no wasm32 std.
PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd" \
  /usr/bin/cargo-clippy clippy --quiet --locked -p vectorized-core \
    --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort --target-dir target/clippy-wasm \
    -- -D warnings
