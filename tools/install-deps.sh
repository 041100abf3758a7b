#!/bin/sh
# Install the build and test dependencies that a fresh Debian bookworm
# machine lacks.  Runs apt-get (once, only when something is missing);
# needs root for that.  Used by `make test` and `make demo`.
set -e
PKGS="postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl libssl-dev postgresql-contrib postgresql-15-cron make gcc openssl sqlsmith chromium fonts-wqy-microhei"
[ -n "$INTEGRITY_EXTRA_PKGS" ] && PKGS="$PKGS $INTEGRITY_EXTRA_PKGS"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    exit 0
fi
echo "installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "missing packages:$missing (run as root or install them)" >&2; exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
