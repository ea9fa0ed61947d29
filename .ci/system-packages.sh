#!/bin/sh
# Install the Debian packages named in $PACKAGES that are missing: with apt-get when root,
# otherwise name them and stop, so nothing fails later with a cryptic library error.
set -eu
command -v dpkg-query >/dev/null 2>&1 || {
  echo "kitgen: not a Debian system; make sure these are installed: $PACKAGES" >&2
  exit 0
}
missing=""
for package in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "kitgen: installing$missing" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "kitgen needs these system packages:$missing" >&2
  echo "install them with: sudo apt-get install$missing" >&2
  exit 1
fi
