# The reference bot (`bkp bot …`, docs/bot.md) in a container.
#
# Build from the repository root after `npm ci` (node_modules is copied in,
# nothing is downloaded while building):
#   docker build -f docker/bot.Dockerfile -t bkp-reference-bot:local .
# On a machine that cannot pull images, pass a locally built base:
#   docker/build-local-base.sh && docker build --build-arg BASE_IMAGE=bkp-node-base:local …
#
# The arguments are those of `bkp bot`, e.g. `start --oneshot --auth-server …`.
# The bot keeps its state in the storage directory it is given: mount it from
# the host (targets/reference-bot.container.yaml mounts the scenario's work
# directory at the same path, so every path means the same inside and out).
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY node_modules/ node_modules/
COPY bin/ bin/
COPY harness/cli.ts harness/
COPY reference/ reference/
# tsx compiles the TypeScript sources on first use and caches the result in
# /tmp/tsx-<user>: compiling once here, for root and for the image's user,
# saves every container start about two seconds. Exec form: no shell needed.
RUN ["node", "/app/bin/bkp.js", "auth", "serve", "--help"]
RUN ["node", "/app/bin/bkp.js", "bot", "start", "--help"]
USER 10001:10001
RUN ["node", "/app/bin/bkp.js", "auth", "serve", "--help"]
RUN ["node", "/app/bin/bkp.js", "bot", "start", "--help"]
USER 0:0
# Labels after the copies: both images share every layer above.
ARG BKP_VERSION=0.1.0
LABEL org.opencontainers.image.title="bkp reference bot" \
      org.opencontainers.image.description="tbot-compatible reference bot for Teleport's bound keypair join method (conformance suite)" \
      org.opencontainers.image.version="${BKP_VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      bkp.conformance="1" \
      bkp.image="bot"
USER 10001:10001
ENTRYPOINT ["node", "/app/bin/bkp.js", "bot"]
