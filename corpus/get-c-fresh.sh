#!/bin/bash
# Re-download the exact Debian sources of the c-fresh corpus.
#   usage: get-c-fresh.sh DEST
# Each package is unpacked (Debian patches applied) with dpkg-source into
#   DEST/<name>/<root>/   (root = the directory name recorded in c-fresh.json)
# Idempotent: a package whose DEST/<name> directory already exists is skipped.
# Needs root (it adds an apt sources file) and only apt-get, dpkg-source
# (plus bash and coreutils).
set -euo pipefail

DEST=${1:?usage: $0 DEST}
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)

# name  version  root
PKGS=(
  "dropbear    2022.83-1+deb12u3   dropbear-2022.83"
  "rinetd      0.73-1              rinetd-0.73"
  "mini-httpd  1.30-3              mini-httpd-1.30"
  "ucspi-tcp   1:0.88-7            ucspi-tcp-0.88"
  "ipsvd       1.0.0-5             ipsvd-1.0.0"
  "icecast2    2.4.4-4             icecast2-2.4.4"
  "openvpn     2.6.14-0+deb12u2    openvpn-2.6.14"
  "libcoap3    4.3.1-1             libcoap3-4.3.1"
  "dnsmasq     2.90-4~deb12u2      dnsmasq-2.90"
  "pgbouncer   1.18.0-1+deb12u1    pgbouncer-1.18.0"
)

DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources

# Enable deb-src: copy debian.sources with "Types: deb" turned into "Types: deb-src".
# (The same file name as the other C corpora's scripts, so running both adds it once.)
SRCLIST=/etc/apt/sources.list.d/c-public-src.sources
if [ ! -f "$SRCLIST" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    if [ "$line" = "Types: deb" ]; then line="Types: deb-src"; fi
    printf '%s\n' "$line"
  done < "$DEBIAN_SOURCES" > "$SRCLIST"
fi
apt-get update -qq

failed=
for entry in "${PKGS[@]}"; do
  read -r name version root <<<"$entry"
  if [ -d "$DEST/$name" ]; then
    echo "skip $name: $DEST/$name already present"
    continue
  fi
  tmp=$(mktemp -d)
  if ! (cd "$tmp" && apt-get source -qq --download-only "$name=$version"); then
    echo "WARNING: $name=$version is no longer served; falling back to the current version (labels may not match)" >&2
    got=
    for spec in "$name" "$name/bookworm-security" "$name/bookworm-updates" "$name/bookworm"; do
      rm -rf "$tmp"; tmp=$(mktemp -d)
      if (cd "$tmp" && apt-get source -qq --download-only "$spec"); then got=$spec; break; fi
    done
    if [ -z "$got" ]; then
      echo "ERROR: no source of $name could be downloaded; skipping it" >&2
      rm -rf "$tmp"; failed="$failed $name"; continue
    fi
    echo "WARNING: using $got:" "$tmp"/*.dsc >&2
  fi
  dsc=("$tmp"/*.dsc)
  rm -rf "$DEST/$name.partial"; mkdir -p "$DEST/$name.partial"
  (cd "$DEST/$name.partial" && dpkg-source -x --no-check "${dsc[0]}")
  if [ ! -d "$DEST/$name.partial/$root" ]; then
    echo "WARNING: $name unpacked under a root other than $root:" "$DEST/$name.partial"/* >&2
  fi
  rm -f "$DEST/$name.partial"/*.orig.tar.*
  mv "$DEST/$name.partial" "$DEST/$name"
  rm -rf "$tmp"
  echo "got $name -> $DEST/$name"
done

if [ -n "$failed" ]; then
  echo "ERROR: not downloaded:$failed" >&2
  exit 1
fi
echo "done: sources in $DEST"
