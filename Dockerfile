# The steering service: `steer serve` (deployments with schedules) or a Prefect worker.
# Needs BuildKit (the default of `docker compose` and of Docker Engine 23 and later).
#
# Behind a TLS-intercepting proxy or with a private package index, pass pip's settings at
# build time as BuildKit secrets; they are mounted for the pip steps only and nothing of
# them stays in the image (README "Running in production"):
#   ca_certs  PEM file of extra CA certificates pip trusts besides its own bundle
#   pip_conf  a pip.conf (index-url, extra-index-url, cert, timeout, ...)
# e.g. docker build --secret id=ca_certs,src=/usr/local/share/ca-certificates/corp.crt .
# HTTP_PROXY/HTTPS_PROXY/NO_PROXY are predefined build args: --build-arg HTTPS_PROXY=...
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 steering
WORKDIR /app

# Runs each pip step with the optional build secrets as pip's settings.
COPY deploy/docker/with-pip-secrets.sh /usr/local/bin/with-pip-secrets

# Dependencies are pinned in pyproject.toml (prefect, fastapi); install them before the
# code so a code change does not reinstall them. README.md is only the package's long
# description: an empty one here keeps an edit of it from reinstalling them too.
COPY pyproject.toml ./
COPY steering/__init__.py steering/__init__.py
RUN --mount=type=secret,id=pip_conf --mount=type=secret,id=ca_certs \
    touch README.md && with-pip-secrets pip install . && pip uninstall --yes pdca-steering \
    && rm README.md

COPY steering ./steering
COPY flows ./flows
COPY config ./config
COPY examples ./examples
COPY prefect.yaml README.md ./
RUN --mount=type=secret,id=pip_conf --mount=type=secret,id=ca_certs \
    with-pip-secrets pip install --no-deps . && python -m compileall -q steering flows

USER steering
# The mount point of the steering-data volume: an empty named volume takes the owner of
# the image's directory, so the reports are writable for the non-root user.
RUN mkdir -p /home/steering/data
ENV STEERING_DATA_DIR=/home/steering/data \
    PREFECT_HOME=/home/steering/.prefect \
    PREFECT_SERVER_ALLOW_EPHEMERAL_MODE=false \
    STEERING_HOME=/app
# config/digital-und-sozial.yaml reads ../examples: a folder besides the definition's own.
ENV STEERING_DATA_ROOTS=/app/examples

ENTRYPOINT ["steer"]
CMD ["serve", "config/digital-und-sozial.yaml"]
