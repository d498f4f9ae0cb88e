#!/usr/bin/env bash
# Installs what `make demo` and `make test` need, and only what is missing.
# Debian packages by name (apt-get), npm packages from the committed package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake make g++ clang clang-format libclang-rt-14-dev emscripten libeigen3-dev googletest libgtest-dev
          chromium gzip ca-certificates postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: run as root (or install these yourself): ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node 20.16+ (process.getBuiltinModule, used by the ES module build under Node).
if ! command -v node >/dev/null || ! node -e 'process.exit(typeof process.getBuiltinModule === "function" ? 0 : 1)'; then
  echo "error: Node.js >= 20.16 is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
