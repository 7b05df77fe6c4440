# syntax=docker/dockerfile:1
# One image, three roles: `web` (default), `worker`, `migrate` — see docs/production.md.
#   docker build -t plinth .                                   # sandbox engines only
#   docker build -t plinth --build-arg TERRAFORM_VERSION=1.11.4 .   # adds terraform for PLINTH_INFRA_ENGINE=terraform
# The runtime stage holds Next's standalone server (no node_modules beyond what it traced), the bundled worker and
# migrate entry points, migrations and the product's deploy/ files: scripts/image/assemble.mjs decides, and the
# entrypoint test (server/observability/image.test.ts) starts the same assembly the same way.

ARG NODE_VERSION=22

# ── dependencies: cached until package*.json change ──────────────────────────────────────────────
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /src
COPY package.json package-lock.json ./
# patches/: fixes to dependencies that postinstall (patch-package) applies; see patches/README.md.
COPY patches ./patches
# Not `npm ci`: see scripts/lib.mjs (a platform-filtered lockfile that `npm ci` refuses).
RUN npm install --no-audit --no-fund

# ── build: Next standalone output, then the image root ─────────────────────────────────────────
FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN NODE_ENV=production npx next build \
 && node scripts/image/assemble.mjs .next /image

# ── runtime ──────────────────────────────────────────────────────────────────────────────────────
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG TERRAFORM_VERSION=""
# tini: PID 1 that forwards SIGTERM to Node and reaps terraform/git children. git: the Argo CD engine's GitOps
# repository. ca-certificates: Stripe, Argo CD and Terraform providers over TLS.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini git ca-certificates curl unzip \
 && if [ -n "$TERRAFORM_VERSION" ]; then \
      arch="$(dpkg --print-architecture)"; base="https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}"; \
      cd /tmp && curl -fsSLO "${base}/terraform_${TERRAFORM_VERSION}_linux_${arch}.zip" \
      && curl -fsSL "${base}/terraform_${TERRAFORM_VERSION}_SHA256SUMS" | grep "linux_${arch}.zip" | sha256sum -c - \
      && unzip -d /usr/local/bin "terraform_${TERRAFORM_VERSION}_linux_${arch}.zip" terraform && rm -f /tmp/terraform_*; \
    fi \
 && apt-get purge -y curl unzip && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*

# A fixed non-root uid/gid, so runAsUser in the manifests and file ownership agree.
RUN groupadd --system --gid 10001 plinth \
 && useradd --system --uid 10001 --gid plinth --home-dir /var/lib/plinth --shell /usr/sbin/nologin plinth

WORKDIR /app
# Code owned by root and read-only to the app user; the only writable paths are below (emptyDir volumes in
# Kubernetes, where the root filesystem is read-only): DATA_DIR (terraform and gitops work dirs), Next's cache, /tmp.
COPY --from=build /image /app
RUN mkdir -p /var/lib/plinth /app/.next/cache \
 && chown plinth:plinth /var/lib/plinth /app/.next/cache

ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    DATA_DIR=/var/lib/plinth \
    HOME=/var/lib/plinth \
    PORT=3000 \
    PLINTH_METRICS_PORT=9464
USER 10001:10001
EXPOSE 3000 9464
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/entrypoint.mjs"]
CMD ["web"]
