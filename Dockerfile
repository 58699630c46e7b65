# Multi-stage build: compile with the full toolchain, ship only the runtime and production modules.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY analysis-templates ./analysis-templates
USER 65532:65532
# A small young generation: the operator's garbage is short-lived JSON from watches, and Node's
# default sizing would double its resident memory (see package.json config.operatorNodeOptions).
ENV NODE_OPTIONS=--max-semi-space-size=4
EXPOSE 8080
ENTRYPOINT ["/nodejs/bin/node", "dist/cli/main.js"]
CMD ["operator"]
