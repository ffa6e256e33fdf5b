# One image for both long-running roles: `worker` (default) and `console`.
#   docker build -t orgsync .
#   docker run --rm -v $PWD/orgsync.yaml:/config/orgsync.yaml:ro orgsync worker --config /config/orgsync.yaml

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` build needs the sources, which are copied next.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY connectors ./connectors
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    ORGSYNC_HEALTH_URL=http://127.0.0.1:9464/healthz
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# A new named volume mounted at /data takes this owner, so the non-root user can write file orgs there.
RUN mkdir -p /data && chown node:node /data
USER node
# 9464: the worker's /metrics and /healthz; 8080: the console.
EXPOSE 9464 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.ORGSYNC_HEALTH_URL).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/orgsync.js"]
CMD ["worker", "--config", "/config/orgsync.yaml"]
