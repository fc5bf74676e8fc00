#!/usr/bin/env bash
# Builds bkp-node-base:local, a minimal Node.js base image made FROM scratch
# out of this machine's own `node` binary and the shared libraries `ldd`
# lists for it (and for any native addon given as an argument, e.g.
# better-sqlite3's binding). For machines that cannot pull images from a
# registry: docker/build-images.sh then uses it as BASE_IMAGE. Elsewhere the
# images build on the public node:20-bookworm-slim and this script is not needed.
#
# Usage: docker/build-local-base.sh [extra ELF files whose libraries to include…]
# Env:   BKP_BASE_IMAGE (tag, default bkp-node-base:local), NODE (binary, default: `command -v node`)
set -euo pipefail

tag=${BKP_BASE_IMAGE:-bkp-node-base:local}
node_bin=$(readlink -f "${NODE:-$(command -v node)}")
[ -x "$node_bin" ] || { echo "build-local-base: no node binary at ${NODE:-PATH}" >&2; exit 2; }
command -v ldd >/dev/null || { echo "build-local-base: ldd is needed to find node's libraries" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bkp-node-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root/usr/local/bin" "$root/etc" "$root/tmp"
chmod 1777 "$root/tmp"

cp "$node_bin" "$root/usr/local/bin/node"

# Every library the dynamic loader resolves for these binaries, at the same
# path (the loader itself is the line without "=>", e.g. /lib64/ld-linux-x86-64.so.2).
libraries() {
  ldd "$1" | awk '/=> \// { print $3 } /^[ \t]*\/[^ ]+ \(0x/ { print $1 }'
}
for elf in "$node_bin" "$@"; do
  [ -n "$elf" ] || continue
  for lib in $(libraries "$elf"); do
    dest="$root$lib"
    [ -e "$dest" ] && continue
    mkdir -p "$(dirname "$dest")"
    cp -L "$lib" "$dest"
  done
done

# A user for the servers to run as (uid 10001), and name resolution from /etc/hosts first.
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
bkp:x:10001:10001:bkp:/tmp:/sbin/nologin
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
bkp:x:10001:
EOF
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"

cat >"$work/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp
EOF

start=$(date +%s%N)
docker build --quiet --label bkp.conformance=1 --label bkp.image=node-base -t "$tag" "$work" >/dev/null
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
size=$(docker image inspect --format '{{.Size}}' "$tag")
echo "built $tag from $node_bin (node $("$node_bin" --version)) in ${elapsed_ms} ms, $((size / 1000000)) MB"
