# syntax=docker/dockerfile:1.7
# One image per service: docker build --build-arg APP=policy-api -t heliomesh/policy-api .
# APP is one of: policy-api, gateway, rollout-worker, metrics-collector.
ARG NODE_VERSION=20.20

FROM node:${NODE_VERSION}-bookworm-slim AS build
ARG APP
RUN test -n "$APP" || (echo "build with --build-arg APP=<policy-api|gateway|rollout-worker|metrics-collector>" && false)
WORKDIR /app
ENV NX_NO_CLOUD=true NX_DAEMON=false CI=true
COPY . .
RUN npm ci --no-audit --no-fund \
 && npx nx run "@heliomesh/$APP:build" --outputStyle=static \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG APP
ENV NODE_ENV=production HOST=0.0.0.0 APP=${APP}
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/libs ./libs
COPY --from=build /app/apps/${APP} ./apps/${APP}
USER node
# The migration job of the Helm chart runs: node libs/db/dist/migrate.cli.js
CMD ["sh", "-c", "exec node apps/$APP/dist/main.js"]
