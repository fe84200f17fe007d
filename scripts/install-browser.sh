#!/usr/bin/env bash
# Install what the browser tests (pytest -m browser) and `shortcodes gallery`
# screenshots need on Debian/Ubuntu: Debian's Chromium and the Noto fonts
# (so every machine lays out Arabic with the same metrics).
#
#   sudo bash scripts/install-browser.sh
#
# Idempotent: when everything is already there it installs nothing and does
# not touch the network.  `apt-get update` runs at most once.  Playwright
# itself is a Python package (the browser extra pins playwright==1.65.2); it is
# pointed at /usr/bin/chromium, so `playwright install` is never needed.
set -euo pipefail

PACKAGES=(chromium fonts-noto-core)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-browser: already installed: ${PACKAGES[*]} ($(/usr/bin/chromium --version 2>/dev/null || echo 'chromium version unknown'))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: apt-get not found; install these yourself: ${missing[*]}" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-browser: run as root (or install sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-browser: installing ${missing[*]}"
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-browser: done ($(/usr/bin/chromium --version 2>/dev/null || echo 'chromium version unknown'))"
