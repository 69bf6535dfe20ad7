# The steering service: `steer serve` (deployments with schedules) or a Prefect worker.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 steering
WORKDIR /app

# Dependencies are pinned in pyproject.toml (prefect, fastapi); install them before the
# code so a code change does not reinstall them.
COPY pyproject.toml README.md ./
COPY steering/__init__.py steering/__init__.py
RUN pip install . && pip uninstall --yes pdca-steering

COPY steering ./steering
COPY flows ./flows
COPY config ./config
COPY examples ./examples
COPY prefect.yaml ./
RUN pip install --no-deps . && python -m compileall -q steering flows

USER steering
ENV STEERING_DATA_DIR=/home/steering/data \
    PREFECT_HOME=/home/steering/.prefect \
    PREFECT_SERVER_ALLOW_EPHEMERAL_MODE=false \
    STEERING_HOME=/app
# config/digital-und-sozial.yaml reads ../examples: a folder besides the definition's own.
ENV STEERING_DATA_ROOTS=/app/examples

ENTRYPOINT ["steer"]
CMD ["serve", "config/digital-und-sozial.yaml"]
