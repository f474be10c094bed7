# log-gardener in a container, for a scheduled Cloud Run job (docs/cloud-run.md):
#   docker build -t log-gardener .
#   docker run --rm log-gardener --version
#
# Base: the official Python image, pinned by tag (Python 3.11, Debian 13 "trixie", slim),
# the same in both stages: the virtual environment copied below points at this image's
# /usr/local/bin/python3.11. For a build that cannot drift when the tag moves (Python patch
# releases, Debian security updates), pin the digest as well, in both FROM lines:
#   FROM python:3.11-slim-trixie@sha256:<digest>
# (`docker buildx imagetools inspect python:3.11-slim-trixie` prints it) and bump it on purpose.

# Build stage: the package and its dependencies into a virtual environment. Every dependency
# ships a wheel, so no compiler is needed; pip, its build backend and the source tree stay here.
FROM python:3.11-slim-trixie AS build
# the venv first on PATH, so `pip` below is its pip (and hadolint lints that command as pip)
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src/ src/
RUN python -m venv /opt/venv \
    && pip install --no-cache-dir --disable-pip-version-check .

# Runtime stage: the virtual environment (with its byte-code compiled at install time), a
# non-root user with a fixed UID, and a writable working directory for the default
# --worklog-dir (gardener-worklogs/) and --state (.log-gardener/).
FROM python:3.11-slim-trixie
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH
RUN useradd --uid 10001 --user-group --no-log-init --create-home --home-dir /home/gardener \
    --shell /usr/sbin/nologin gardener
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
WORKDIR /home/gardener
ENTRYPOINT ["log-gardener"]
CMD ["--help"]
