# syntax=docker/dockerfile:1
# The relay centre's image. Two stages: `build` installs every dependency, builds the mediasoup worker
# (or takes it from the cache directory below), compiles the server and bundles the client; the
# final stage has production dependencies, compiled JavaScript and the worker's runtime libraries
# only, and runs as an unprivileged user. Configuration is by environment, as in the README.
#
# The bases are arguments so that a machine without Docker Hub can build on a base of its own
# (npm run test:container makes one from Debian's archive); a deployment builds it unchanged.
ARG BASE_IMAGE=node:22-bookworm
ARG RUNTIME_BASE_IMAGE=node:22-bookworm-slim

FROM ${BASE_IMAGE} AS build
# Behind a proxy that re-signs TLS (a company's, a sandbox's), npm needs its CA: mount the file into
# the build (podman/buildah `-v`, or a BuildKit secret) and name it here. Only this stage sees it.
ARG NODE_EXTRA_CA_CERTS
ENV DEBIAN_FRONTEND=noninteractive \
    # node-gyp takes Node's headers from the base (both bases have them in /usr/local/include/node):
    # building better-sqlite3 needs no download from nodejs.org.
    npm_config_nodedir=/usr/local
# Build tools and the Debian libraries the worker links against (see scripts/mediasoup-worker/).
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config python3 python3-pip ccache \
      libuv1-dev libssl-dev libsrtp2-dev libusrsctp-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies, the SQLite binding and the worker change only with the lock file or the worker
# scripts: this layer survives source changes. scripts/container/cache/ may hold a worker binary
# built before (its README says how); otherwise setup downloads mediasoup's prebuilt worker or
# builds it offline from the package's sources.
COPY package.json package-lock.json .npmrc ./
COPY scripts/setup.mjs scripts/
COPY scripts/mediasoup-worker scripts/mediasoup-worker
COPY scripts/container/cache scripts/container/cache
RUN RELAY_CACHE_DIR=/app/scripts/container/cache node scripts/setup.mjs
COPY . .
# The client bundle and the compiled server; then development dependencies go, and so do the
# native packages' sources and objects (each binary stays where its package looks for it).
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts \
 && find node_modules/mediasoup/worker -mindepth 1 -maxdepth 1 ! -name out -exec rm -rf {} + \
 && find node_modules/mediasoup/worker/out -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} + \
 && find node_modules/mediasoup/worker/out/Release -mindepth 1 -maxdepth 1 ! -name mediasoup-worker -exec rm -rf {} + \
 && find node_modules/better-sqlite3 -mindepth 1 -maxdepth 1 ! -name build ! -name lib ! -name package.json -exec rm -rf {} + \
 && find node_modules/better-sqlite3/build -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} + \
 && find node_modules/better-sqlite3/build/Release -mindepth 1 -maxdepth 1 ! -name better_sqlite3.node -exec rm -rf {} +
# The Debian packages that hold the libraries the worker and the SQLite binding load, named from
# their own dynamic links: the final stage installs exactly these, on any Debian release.
RUN for bin in node_modules/mediasoup/worker/out/Release/mediasoup-worker \
               node_modules/better-sqlite3/build/Release/better_sqlite3.node; do \
      ldd "$bin" | awk '/=> \// { print $3 }'; \
    done | xargs -n1 readlink -f | xargs -n1 basename | sort -u | xargs -n1 dpkg -S 2> /dev/null \
      | cut -d: -f1 | grep -v -- '-dev$' | sort -u > /app/runtime-packages.txt \
 && cat /app/runtime-packages.txt

FROM ${RUNTIME_BASE_IMAGE} AS runtime
COPY --from=build /app/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini $(cat /tmp/runtime-packages.txt) \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /tmp/runtime-packages.txt \
 && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin relay \
 && mkdir -p /data && chown relay:relay /data
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
USER relay
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    RTC_LISTEN_IP=0.0.0.0 \
    RTC_PORT=40000 \
    DATABASE_PATH=/data/relay.sqlite
# Proof that the worker runs here, with this stage's libraries, as this user: else the build fails.
RUN node -e "import('mediasoup').then(async (m) => { const w = await m.createWorker(); console.log('mediasoup worker ' + m.version + ' starts, pid ' + w.pid); w.close(); })"
# HTTP and signalling; then one UDP and one TCP media port per worker (RTC_PORT + worker index).
EXPOSE 3000 40000-40001/udp 40000-40001/tcp
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--enable-source-maps", "dist/server/main.js"]
