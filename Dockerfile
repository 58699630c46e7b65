# Multi-stage build: compile with the full toolchain, ship only the runtime and production modules.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The dashboard's browser modules are copied into dist by this script (tsc does not compile them).
COPY scripts/copy-dashboard-ui.ts ./scripts/
RUN npm run build && npm prune --omit=dev

# The render and decryption tools, built from the same pinned Go modules the tests run
# (test/infra/*/go.mod), so the image renders exactly what the tests rendered.
FROM golang:1.26-bookworm AS tools
ENV CGO_ENABLED=0 GOFLAGS=-mod=readonly
WORKDIR /infra
COPY test/infra/kustomize ./kustomize
COPY test/infra/helm ./helm
COPY test/infra/sops ./sops
RUN cd kustomize && go build -trimpath -ldflags='-s -w' -o /out/kustomize sigs.k8s.io/kustomize/kustomize/v5
RUN cd helm && go build -trimpath \
      -ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$(go list -m -f '{{.Version}}' helm.sh/helm/v3)" \
      -o /out/helm helm.sh/helm/v3/cmd/helm
RUN cd sops && go build -trimpath -ldflags='-s -w' -o /out/sops github.com/getsops/sops/v3/cmd/sops

# The demo app (`docker build --target demo-app --build-arg VERSION=1.0.0`): ghcr.io/wren-dev/demo-app:TAG
# reports TAG as its version. Same runtime and modules as the operator, nothing else.
FROM node:24-bookworm-slim AS demo-app
ARG VERSION=dev
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 65532:65532
ENV DEMO_VERSION=$VERSION PORT=8080
EXPOSE 8080
ENTRYPOINT ["node", "dist/cli/main.js", "demo-app"]

# Debian slim rather than distroless: GitSync runs the git CLI, and ssh remotes need ssh (git starts
# GIT_SSH_COMMAND through sh).
FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY analysis-templates ./analysis-templates
COPY --from=tools /out/ /usr/local/bin/
USER 65532:65532
EXPOSE 8080
# V8's sizing for the operator (package.json config.operatorNodeOptions, the same flags; a unit test
# holds them equal): a small young generation, since its garbage is short-lived JSON from watches,
# and an old generation that grows by 20 % at a time instead of up to four times, so a burst of work
# (every Canary initialized at once) does not leave the heap reserved at nearly three times what it
# holds (`npm run bench:canaries`; figures in the README). On the command line, since NODE_OPTIONS
# does not accept --heap-growing-percent.
ENTRYPOINT ["node", "--max-semi-space-size=4", "--heap-growing-percent=20", "dist/cli/main.js"]
CMD ["operator"]

