#!/usr/bin/env bash
# Shared by get-js-fresh.sh and get-js-fresh2.sh: download the pinned npm packages listed in $PKGS
# ("name version sha512-integrity" per line) into DEST/<name>/package/ with `npm pack`. Sourced,
# not run: sets rc (0, or 1 when a package could not be fetched).
# A package already present is skipped; a version no longer served falls back to the current one,
# with a warning (the labels may then not match).
rc=0
while read -r name version integrity; do
  [ -z "$name" ] && continue
  target="$DEST/$name"
  if [ -f "$target/package/package.json" ]; then
    echo "skip $name: $target/package already present"
    continue
  fi
  tmp="$DEST/.get-npm-tmp-$name-$$"
  rm -rf "$tmp"
  mkdir -p "$tmp" || { rc=1; continue; }
  spec="$name@$version"
  if ! out=$(cd "$tmp" && npm pack "$spec" --json 2>/dev/null); then
    echo "WARNING: $spec is no longer served; falling back to the current version of $name (labels may not match)" >&2
    spec="$name"
    if ! out=$(cd "$tmp" && npm pack "$spec" --json 2>/dev/null); then
      echo "ERROR: npm pack $name failed" >&2
      rm -rf "$tmp"; rc=1; continue
    fi
  elif [[ "$out" != *"\"$integrity\""* ]]; then
    echo "WARNING: $spec integrity differs from the one recorded at labeling time" >&2
  fi
  tgz=("$tmp"/*.tgz)
  if [ ! -f "${tgz[0]}" ]; then
    echo "ERROR: no tarball for $spec" >&2
    rm -rf "$tmp"; rc=1; continue
  fi
  mkdir -p "$target" && tar -xzf "${tgz[0]}" -C "$target" || { echo "ERROR: extracting $spec failed" >&2; rc=1; }
  rm -rf "$tmp"
  [ -f "$target/package/package.json" ] && echo "got $spec -> $target/package"
done <<< "$PKGS"
