#!/usr/bin/env bash
# Install the Debian parts some tests need (chromium for the browser tests, Dovecot for
# the IMAP tests, gettext for translations). Only as root with apt; otherwise those
# tests skip and say why.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v dovecot >/dev/null 2>&1 || need+=(dovecot-imapd)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: not root or no apt-get: cannot install ${need[*]}; their tests will skip" >&2
  exit 0
fi
echo "installing ${need[*]} from Debian…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || echo "note: apt-get install ${need[*]} failed; their tests will skip" >&2
