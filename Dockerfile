# The bitbylaw hub: one image for the Temporal worker and the Express gateway, run as compiled
# JavaScript (no TypeScript tooling at runtime):
#   worker:  node dist/workers/main.js
#   gateway: node dist/api/main.js   (default)
# Built by temporal-docker/docker-compose.yml (context: the repository root).

# Build stage: every dependency, `npm run build` emits dist/ (tsc) and the workflow bundle.
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Whatever .dockerignore lets in: the runtime sources, tsconfig files and the build script.
COPY . .
RUN npm run build

# Runtime stage: production dependencies and dist/ only.
FROM node:20.19.5-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so source changes do not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The compiled hub and dist/workflow-bundle.js, which the worker loads instead of bundling at start.
COPY --from=build /app/dist ./dist

# Files stay root-owned and read-only for the process; it runs as the image's non-root user.
USER node

# Gateway HTTP port (PORT) and worker Prometheus metrics (WORKER_METRICS_PORT).
EXPOSE 3000 9464

CMD ["node", "dist/api/main.js"]
