# Genre Warden in a container. Build: docker build -t genre-warden .
# Run:   docker run -e DISCORD_TOKEN=... -v warden-data:/data genre-warden

# Stage 1: build the wheel, with the compiled clean-text test (_warden_speedups, from native/).
# The slim image has Python's headers but no C compiler; the compiler stays in this stage.
FROM python:3.11-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY config ./config
COPY native ./native
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels . \
    && python -c "import zipfile, glob; [w] = glob.glob('/wheels/*.whl'); \
assert any(n.startswith('_warden_speedups') for n in zipfile.ZipFile(w).namelist()), 'C module not built'"

# Stage 2: the image that runs, with the wheel installed and no compiler.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    WARDEN_DATABASE_PATH=/data/warden.sqlite3

RUN useradd --create-home --uid 10001 warden \
    && mkdir /data \
    && chown warden:warden /data

COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels

WORKDIR /home/warden
USER warden
VOLUME ["/data"]
# The token comes from the environment (DISCORD_TOKEN); nothing secret is baked in.
CMD ["genre-warden", "run"]
