# syntax=docker/dockerfile:1.7
# Timetabler: one image for the API (`timetabler serve`), the workers (`timetabler worker`) and the
# one-shot `timetabler migrate`. Build: docker build -t timetabler:$(git rev-parse --short HEAD) .
# Base images are pinned to exact versions; pin their digests too in your registry mirror.

# ---- build: resolve the locked dependencies into a virtualenv with uv -------------------------
FROM ghcr.io/astral-sh/uv:0.5.31 AS uv
FROM python:3.11.11-slim-bookworm AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
# Dependencies first: this layer is reused until pyproject.toml or uv.lock change.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY core ./core
COPY plugins ./plugins
COPY tenants ./tenants
COPY admin ./admin
RUN uv sync --frozen --no-dev --no-editable

# ---- runtime: Python, Tesseract and poppler; no compilers, no uv, not root ---------------------
FROM python:3.11.11-slim-bookworm AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-eng poppler-utils libglib2.0-0 libgl1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 timetabler \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin timetabler \
    && mkdir -p /data \
    && chown timetabler:timetabler /data
COPY --from=build --chown=10001:10001 /app /app
WORKDIR /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    TIMETABLER_DATA_DIR=/data \
    TIMETABLER_LOG_FORMAT=json \
    TIMETABLER_HOST=0.0.0.0 \
    TIMETABLER_PORT=8000 \
    TIMETABLER_WORKER_METRICS_PORT=9191
USER 10001:10001
EXPOSE 8000 9191
# Liveness of the API. Workers answer /health on their metrics port (compose overrides this check).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('HEALTH_PORT', '8000'), timeout=3)"]
CMD ["timetabler", "serve"]
