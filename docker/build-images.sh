#!/usr/bin/env bash
# Builds the two reference images from the repository root:
#   bkp-reference-server:local  (docker/auth-server.Dockerfile)
#   bkp-reference-bot:local     (docker/bot.Dockerfile)
# node_modules must already be installed on the host (`npm ci`): the images
# copy it in, so building downloads nothing.
#
# Env: BASE_IMAGE   base image (default node:20-bookworm-slim; on machines
#                   that cannot pull, docker/build-local-base.sh makes
#                   bkp-node-base:local and CI passes that)
#      BKP_SERVER_IMAGE, BKP_BOT_IMAGE   tags (defaults above)
#      BKP_RUN_ID   added as the label bkp.run (default: none)
set -euo pipefail
cd "$(dirname "$0")/.."

base=${BASE_IMAGE:-node:20-bookworm-slim}
server_image=${BKP_SERVER_IMAGE:-bkp-reference-server:local}
bot_image=${BKP_BOT_IMAGE:-bkp-reference-bot:local}
version=$(node -p 'require("./package.json").version')

[ -d node_modules/tsx ] || { echo "build-images: run npm ci first (the images copy node_modules in)" >&2; exit 2; }

labels=(--label bkp.conformance=1 --label "bkp.base=$base")
[ -n "${BKP_RUN_ID:-}" ] && labels+=(--label "bkp.run=$BKP_RUN_ID")

build() {
  local tag=$1 dockerfile=$2 start elapsed_ms
  start=$(date +%s%N)
  docker build --quiet --pull=false -f "$dockerfile" \
    --build-arg "BASE_IMAGE=$base" --build-arg "BKP_VERSION=$version" \
    "${labels[@]}" -t "$tag" . >/dev/null
  elapsed_ms=$((($(date +%s%N) - start) / 1000000))
  echo "built $tag ($dockerfile, base $base) in ${elapsed_ms} ms, $(($(docker image inspect --format '{{.Size}}' "$tag") / 1000000)) MB"
}

build "$server_image" docker/auth-server.Dockerfile
build "$bot_image" docker/bot.Dockerfile
