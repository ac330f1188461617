#!/bin/sh
# Install Debian's headless-capable Chromium (and chromedriver) for the real-browser tests, when it is missing.
#
# A no-op when /usr/bin/chromium exists. Never fails the build: when Chromium cannot be installed (no apt-get, not
# root, no network), it says why and exits 0; the browser tests then skip with that reason.
set -u

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

say() { echo "install-chromium: $*" >&2; }

if ! command -v apt-get >/dev/null 2>&1; then
    say "$CHROMIUM is missing and apt-get is not available (not Debian/Ubuntu?): browser tests will be skipped."
    exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        say "$CHROMIUM is missing and installing it needs root (or password-less sudo): browser tests will be skipped."
        say "Install it with: sudo apt-get install -y chromium chromium-driver"
        exit 0
    fi
fi

say "installing chromium and chromium-driver with apt-get ..."
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends chromium chromium-driver >/tmp/install-chromium.log 2>&1; then
    # The package lists may be missing or stale (a fresh container): refresh them once and retry.
    if ! { $SUDO apt-get update >>/tmp/install-chromium.log 2>&1 &&
           $SUDO apt-get install -y --no-install-recommends chromium chromium-driver >>/tmp/install-chromium.log 2>&1; }; then
        say "apt-get could not install chromium (see /tmp/install-chromium.log): browser tests will be skipped."
        tail -n 5 /tmp/install-chromium.log >&2
        exit 0
    fi
fi

if [ -x "$CHROMIUM" ]; then
    say "installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
else
    say "apt-get finished but $CHROMIUM is still missing: browser tests will be skipped."
fi
exit 0
