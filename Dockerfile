# The bitbylaw hub: one image for the Temporal worker and the Express gateway.
# The hub runs its TypeScript directly with tsx (`node --import tsx`), as in development.
#   worker:  node --import tsx workers/main.ts
#   gateway: node --import tsx api/main.ts   (default)
# Built by temporal-docker/docker-compose.yml (context: the repository root).
FROM node:20.19.5-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so source changes do not reinstall them. tsx is a runtime dependency.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Only what the worker and the gateway load (no tests, simulators or scripts).
COPY tsconfig.json ./
COPY config ./config
COPY lib ./lib
COPY domain ./domain
COPY clients ./clients
COPY activities ./activities
COPY workflows ./workflows
COPY workers ./workers
COPY api ./api

# Source stays root-owned and read-only for the process; it runs as the image's non-root user.
USER node

# Gateway HTTP port (PORT) and worker Prometheus metrics (WORKER_METRICS_PORT).
EXPOSE 3000 9464

CMD ["node", "--import", "tsx", "api/main.ts"]
