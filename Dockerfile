# syntax=docker/dockerfile:1

# ---- build: compile TypeScript and the better-sqlite3 native addon ----
FROM node:20-bookworm-slim AS build

# better-sqlite3 12 compiles its addon with node-gyp from its install script
# during `npm ci`, so install scripts must stay enabled and a C++ toolchain
# must be present.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Drop devDependencies but keep the already-compiled native addon.
RUN npm prune --omit=dev && npm cache clean --force

# ---- runtime: only what `node dist/server.js` and `npx khabar` need ----
FROM node:20-bookworm-slim AS runtime

ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000 \
  DATABASE_PATH=/data/khabar.db

WORKDIR /app

# Application files stay owned by root, so the server cannot modify its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
# The khabar command (`docker compose exec khabar npx khabar keys list`): bin/khabar.js
# loads dist/cli/main.js, with package.json's "type": "module" and "bin".
COPY bin ./bin

# The SQLite database (and its -wal/-shm files) live on the volume, writable by `node`.
RUN mkdir -p /data && chown node:node /data
VOLUME /data

USER node

EXPOSE 3000

CMD ["node", "dist/server.js"]
