# Ask VixShield for Discord.   Build: docker build -t ask-vixshield .
# Run: docker run --env-file .env -v ask-data:/data ask-vixshield      (README, "Deployment")

# --- build: all dependencies, validate the knowledge base, compile TypeScript to dist/ (tsc type-checks) ---
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY knowledge ./knowledge
# An invalid knowledge base never ships.
RUN npm run validate && npm run build

# --- production dependencies only (no tsx, no TypeScript), compiled here so the runtime needs no compiler ---
FROM node:20-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

# --- runtime: Node, the production node_modules, dist/ and knowledge/; runs as the unprivileged node user ---
FROM node:20-bookworm-slim
# PORT: POST /interactions with INTERACTIONS=http, and /healthz, /readyz, /metrics with either transport.
# NPM_CONFIG_UPDATE_NOTIFIER: npm, when run by hand in the container, does not contact the registry.
ENV NODE_ENV=production DATA_DIR=/data PORT=8080 NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# package.json: "type": "module" for dist/, and the marker src/paths.ts finds the project folder by.
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The knowledge base the build stage validated.
COPY --from=build /app/knowledge ./knowledge
# The question store (SQLite) lives on the volume, which the bot must be able to write.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 8080
# Liveness: the process answers GET /healthz (slim images have no curl; Node's fetch does it).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM from `docker stop` itself (no npm in between): in-flight interactions and
# queued editors'-channel posts finish, then it exits 0.
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
