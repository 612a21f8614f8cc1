#!/usr/bin/env bash
# Makes sure node and npm can build the embedded bundles (web/graphiql and
# web/console): Node.js 20.19 or later, as their package.json files (and
# Vite 8) require. `make graphiql`, `make console` and `make bundles` run it
# first, and fail with the command to run when they cannot build.
set -euo pipefail

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node and npm are missing (the bundles are built with them): run 'sudo apt-get install -y nodejs npm'" >&2
  exit 1
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "node $(node --version) is too old: the bundles need Node.js 20.19 or later (https://nodejs.org/ has current releases)" >&2
  exit 1
fi
