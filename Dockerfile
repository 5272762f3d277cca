# Ask VixShield for Discord. Build: docker build -t ask-vixshield .   Run: docker run --env-file .env ask-vixshield
FROM node:20-bookworm-slim

# better-sqlite3 builds from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .

# The knowledge base is validated at build time: an invalid one never ships.
RUN npm run validate

ENV NODE_ENV=production DATA_DIR=/data
VOLUME ["/data"]
USER node
CMD ["npm", "start"]
