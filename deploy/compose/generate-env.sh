#!/bin/sh
# Writes a .env for docker-compose.yml from .env.example, with every `change-me` placeholder
# replaced by a fresh random secret (24 random bytes, hex). Run from the repository root:
#   deploy/compose/generate-env.sh > .env
set -eu
example=${1:-.env.example}
[ -f "$example" ] || { echo "generate-env: $example not found (run from the repository root)" >&2; exit 1; }
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
        [A-Z]*=change-me*)
            secret=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
            printf '%s=%s\n' "${line%%=*}" "$secret" ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$example"
