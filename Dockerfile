# syntax=docker/dockerfile:1
# Multi-stage image: build the mediasoup worker offline against Debian's libraries, build the client,
# then run as an unprivileged user with only runtime libraries. Matches the README's configuration.

FROM node:22-bookworm AS build
# Build tools and the Debian libraries the worker links against (see scripts/mediasoup-worker/).
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config python3 python3-pip ccache \
      libuv1-dev libssl-dev libsrtp2-dev libusrsctp-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
# Uses mediasoup's prebuilt worker where it can be downloaded, else builds it offline.
# tsx (a dependency) runs the TypeScript server; dev tools are pruned after the client is built.
RUN node scripts/setup.mjs && npm run build && npm prune --omit=dev --ignore-scripts

FROM node:22-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libuv1 libssl3 libsrtp2-1 libusrsctp2 libnss3 \
      libabsl20220623 tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/server ./server
COPY --from=build --chown=node:node /app/common ./common
COPY --from=build --chown=node:node /app/package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    RTC_LISTEN_IP=0.0.0.0 \
    RTC_PORT=40000 \
    DATABASE_PATH=/data/relay.sqlite
# HTTP and signalling; then one UDP and one TCP media port per worker (RTC_PORT + worker index).
EXPOSE 3000 40000-40001/udp 40000-40001/tcp
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "server/src/main.ts"]
