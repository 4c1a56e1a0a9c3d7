# syntax=docker/dockerfile:1
# Orderbridge: `docker build -t orderbridge .` then `docker run -p 50051:50051 -p 8080:8080 orderbridge`.
# The builder installs the runtime dependencies only (`pip install .`, no test or dev extra) into a
# virtual environment; the runtime stage copies that environment and nothing else.
# tests/deploy/test_container.py runs this file's ENTRYPOINT, CMD and ENV and its HEALTHCHECK.

FROM python:3.11-slim-bookworm AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

# The same path as in the runtime stage: console scripts keep this interpreter in their shebang.
RUN python -m venv /opt/orderbridge

WORKDIR /src
# Exactly what the wheel needs: pyproject.toml names README.md and the packages below.
COPY pyproject.toml README.md ./
COPY core ./core
COPY service ./service
COPY adapters ./adapters
COPY protos/orderbridge ./protos/orderbridge
RUN /opt/orderbridge/bin/pip install --no-cache-dir . \
    && /opt/orderbridge/bin/pip uninstall --yes pip setuptools

FROM python:3.11-slim-bookworm

# A fixed numeric id, so that Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
RUN groupadd --system --gid 10001 orderbridge \
    && useradd --system --uid 10001 --gid orderbridge --no-create-home \
        --home-dir /var/lib/orderbridge --shell /usr/sbin/nologin orderbridge \
    && install --directory --owner orderbridge --group orderbridge --mode 0750 /var/lib/orderbridge

COPY --from=builder /opt/orderbridge /opt/orderbridge

# The working directory holds the default SQLite file; production sets a PostgreSQL URL.
WORKDIR /var/lib/orderbridge

ENV PATH=/opt/orderbridge/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ORDERBRIDGE_HOST=0.0.0.0 \
    ORDERBRIDGE_GRPC_PORT=50051 \
    ORDERBRIDGE_HTTP_PORT=8080 \
    ORDERBRIDGE_DATABASE_URL=sqlite:////var/lib/orderbridge/orderbridge.db

USER 10001:10001

# gRPC, then HTTP (/healthz, /metrics, the vendor facades).
EXPOSE 50051 8080

# `serve` drains in-flight calls on SIGTERM for ORDERBRIDGE_GRACE_SECONDS (20 s) and exits 0:
# give the container that long (`docker stop --time 30`, compose stop_grace_period).
STOPSIGNAL SIGTERM

# slim has no curl: the standard library asks /healthz; any error or non-2xx status exits 1.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; r.urlopen('http://127.0.0.1:' + os.environ.get('ORDERBRIDGE_HTTP_PORT', '8080') + '/healthz', timeout=2)"]

ENTRYPOINT ["orderbridge"]
CMD ["serve"]
