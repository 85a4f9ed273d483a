#!/bin/sh
# Validates the AsyncAPI document with @asyncapi/parser (pinned; the parser behind the AsyncAPI CLI's
# "validate") when Node.js is installed; without Node it says so and passes. Run by the events
# module's build in phase verify. Usage: validate-asyncapi.sh <asyncapi.yaml> <install dir>
set -eu
DOC="$1"
PREFIX="$2"
PARSER_VERSION="3.6.3"
if [ "${SKIP_ASYNCAPI_VALIDATION:-}" = "true" ]; then
  echo "[asyncapi] validation skipped: SKIP_ASYNCAPI_VALIDATION=true"
  exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "[asyncapi] validation skipped: Node not found (install Node.js >= 18 to validate $DOC)"
  exit 0
fi
if ! grep -q "\"version\": \"$PARSER_VERSION\"" "$PREFIX/node_modules/@asyncapi/parser/package.json" 2>/dev/null; then
  echo "[asyncapi] installing @asyncapi/parser@$PARSER_VERSION into $PREFIX (once per clean build)"
  mkdir -p "$PREFIX"
  [ -f "$PREFIX/package.json" ] || echo '{"private":true}' > "$PREFIX/package.json"
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "@asyncapi/parser@$PARSER_VERSION"
fi
exec node "$(cd "$(dirname "$0")" && pwd)/validate-asyncapi.mjs" "$DOC" "$PREFIX"
