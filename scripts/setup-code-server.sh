#!/usr/bin/env bash
# Installs code-server@4.100.3 (= VS Code 1.100.3) into <repo>/.cache/code-server without
# downloading anything but npm packages and Debian packages (see shared notes
# "real-vscode-testing.md"). Idempotent: a second run, once installed, returns in well under 2 s.
#
# Usage: bash scripts/setup-code-server.sh        (as root, or with sudo-less apt already done)
# Env:   CODE_SERVER_DIR  override the install folder (default <repo>/.cache/code-server)
#        SKIP_APT=1       do not check/install the apt packages
set -euo pipefail

VERSION="4.100.3"
VSCODE_VERSION="1.100.3"
APT_PACKAGES=(libkrb5-dev ripgrep chromium fonts-noto-cjk)

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
CACHE_DIR="${CODE_SERVER_DIR:-$SCRIPT_DIR/../.cache/code-server}"
mkdir -p "$CACHE_DIR"
CACHE_DIR="$(cd "$CACHE_DIR" && pwd)"
STAMP="$CACHE_DIR/.installed-$VERSION"
BIN="$CACHE_DIR/node_modules/.bin/code-server"

export DEBIAN_FRONTEND=noninteractive
export npm_config_yes=true          # npx inside node-pty's build script must not prompt
export npm_config_fund=false
export npm_config_audit=false
export npm_config_update_notifier=false

log() { printf '[setup-code-server] %s\n' "$*" >&2; }

check_version() {
  # Without --config, code-server's first run writes ~/.config/code-server/config.yaml and says
  # so on stdout; use a config of our own and still look for the version line itself.
  local out line
  [ -x "$BIN" ] || return 1
  [ -f "$CACHE_DIR/config.yaml" ] || printf 'auth: none\ncert: false\n' >"$CACHE_DIR/config.yaml"
  out="$("$BIN" --config "$CACHE_DIR/config.yaml" --version 2>/dev/null)" || return 1
  while IFS= read -r line; do
    case "$line" in
      "$VERSION "*"with Code $VSCODE_VERSION"*) printf '%s\n' "$line"; return 0 ;;
    esac
  done <<<"$out"
  return 1
}

# ---------------------------------------------------------------- 1. apt packages
install_apt_packages() {
  [ "${SKIP_APT:-0}" = "1" ] && return 0
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local SUDO=""
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null 2>&1 || { log "need root (or sudo) to apt-get install ${missing[*]}"; exit 1; }
    SUDO="sudo -n"
  fi
  log "apt-get install ${missing[*]}"
  # Only refresh the package lists when the install cannot find what it needs.
  if ! $SUDO apt-get install -y "${missing[@]}" </dev/null; then
    log "apt-get install failed; running apt-get update and retrying"
    $SUDO apt-get update </dev/null
    $SUDO apt-get install -y "${missing[@]}" </dev/null
  fi
}

install_apt_packages

# ---------------------------------------------------------------- fast path
if [ -f "$STAMP" ] && out="$(check_version)"; then
  log "code-server already installed: $out"
  exit 0
fi

command -v rg >/dev/null 2>&1 || { log "ripgrep (rg) not found on PATH"; exit 1; }
RG="$(command -v rg)"

# A partial install from an earlier failed run is wiped; npm would otherwise mix layouts.
log "installing code-server@$VERSION into $CACHE_DIR (takes 1-3 minutes)"
start=$(date +%s)
find "$CACHE_DIR" -mindepth 1 -maxdepth 1 -exec rm -rf {} +

# A package.json of its own keeps npm from walking up to the repo's package.json.
cat >"$CACHE_DIR/package.json" <<EOF
{
  "name": "code-server-cache",
  "private": true,
  "description": "Local install of code-server for real-VS-Code tests (made by scripts/setup-code-server.sh)",
  "dependencies": { "code-server": "$VERSION" }
}
EOF

# ---------------------------------------------------------------- 2. code-server itself
log "npm install --ignore-scripts code-server@$VERSION"
(cd "$CACHE_DIR" && npm install --ignore-scripts --no-save --loglevel=error "code-server@$VERSION" </dev/null)

VSCODE_DIR="$CACHE_DIR/node_modules/code-server/lib/vscode"
[ -d "$VSCODE_DIR" ] || { log "missing $VSCODE_DIR after npm install"; exit 1; }

# ---------------------------------------------------------------- 3. VS Code's own deps
log "lib/vscode: npm install --omit=dev --ignore-scripts"
(cd "$VSCODE_DIR" && npm install --omit=dev --ignore-scripts --loglevel=error </dev/null)

# ripgrep's postinstall downloads from GitHub unless the binary is already there.
mkdir -p "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin"
cp -f "$RG" "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg"
chmod +x "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg"

log "lib/vscode: npm rebuild (native modules)"
(cd "$VSCODE_DIR" && npm rebuild --loglevel=error </dev/null)

# ---------------------------------------------------------------- 4. postinstall.sh's links
log "links and built-in extensions' dependencies"
(cd "$VSCODE_DIR" && ln -sfn node_modules node_modules.asar)
(cd "$VSCODE_DIR/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$VSCODE_DIR/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
(cd "$VSCODE_DIR/extensions" && npm install --omit=dev --loglevel=error </dev/null)

# ---------------------------------------------------------------- 5. argon2
log "npm rebuild argon2"
(cd "$CACHE_DIR" && npm rebuild argon2 --loglevel=error </dev/null)

# ---------------------------------------------------------------- 6. check
if ! out="$(check_version)"; then
  log "code-server --version did not print $VERSION ... $VSCODE_VERSION:"
  "$BIN" --version >&2 || true
  exit 1
fi
date -u +%Y-%m-%dT%H:%M:%SZ >"$STAMP"
log "installed in $(( $(date +%s) - start )) s: $out"
