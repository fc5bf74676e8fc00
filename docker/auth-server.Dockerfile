# The reference auth server (`bkp auth serve`) in a container.
#
# Build from the repository root after `npm ci` (node_modules is copied in,
# nothing is downloaded while building):
#   docker build -f docker/auth-server.Dockerfile -t bkp-reference-server:local .
# On a machine that cannot pull images, pass a locally built base:
#   docker/build-local-base.sh && docker build --build-arg BASE_IMAGE=bkp-node-base:local …
#
# It listens on every interface inside the container: join service 3025
# (gRPC over TLS), control API 3080 (HTTP), web listener 3443 (HTTPS). Publish
# them on the host and tell the server the addresses clients use
# (BKP_ADVERTISE_JOIN_ADDR, BKP_ADVERTISE_WEB_ADDR): GET cluster reports those.
# A durable cluster: BKP_DATA_DIR=/var/lib/bkp (SQLite, owned by the server's user).
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
LABEL org.opencontainers.image.title="bkp reference auth server" \
      org.opencontainers.image.description="Reference auth server for Teleport's bound keypair join method (conformance suite)" \
      org.opencontainers.image.version="${BKP_VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      bkp.conformance="1" \
      bkp.image="auth-server"
# The data directory, owned by the unprivileged user the server runs as.
COPY --chown=10001:10001 docker/README.md /var/lib/bkp/README.md
ENV BKP_JOIN_ADDR=0.0.0.0:3025 \
    BKP_CONTROL_ADDR=0.0.0.0:3080 \
    BKP_WEB_ADDR=0.0.0.0:3443
USER 10001:10001
EXPOSE 3025 3080 3443
ENTRYPOINT ["node", "/app/bin/bkp.js", "auth", "serve"]
