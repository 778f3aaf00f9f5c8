#!/usr/bin/env bash
# Runs setup, then builds when the sources changed since the last build, so `npm test`,
# `npm run demo` and `npm run bench` work on a fresh clone with nothing else.
# With --stamp: records the current sources as built (called at the end of build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# Kept out of dist/ so it is not packed; target/ is git-ignored and belongs to the build.
stamp_file=target/.sources-stamp
sources_hash() {
  # scripts/: only what builds (*.sh, *.mjs); the demos are run from source and need no rebuild.
  { find crate/src crate/Cargo.toml Cargo.toml Cargo.lock ts package.json package-lock.json tsup.config.ts \
      -type f -not -path 'ts/backend/wasm/generated/*' -print0
    find scripts -maxdepth 1 -type f \( -name '*.sh' -o -name '*.mjs' \) -print0
  } | sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1
}

if [ "${1:-}" = "--stamp" ]; then
  sources_hash > "$stamp_file"
  exit 0
fi

bash scripts/setup.sh
if [ ! -f dist/index.js ] || [ ! -f "$stamp_file" ] || [ "$(cat "$stamp_file")" != "$(sources_hash)" ]; then
  bash scripts/build.sh
fi
