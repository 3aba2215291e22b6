# Genre Warden in a container. Build: docker build -t genre-warden .
# Run:   docker run -e DISCORD_TOKEN=... -v warden-data:/data genre-warden
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    WARDEN_DATABASE_PATH=/data/warden.sqlite3

RUN useradd --create-home --uid 10001 warden \
    && mkdir /data \
    && chown warden:warden /data

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY config ./config
RUN pip install . && rm -rf /src

WORKDIR /home/warden
USER warden
VOLUME ["/data"]
# The token comes from the environment (DISCORD_TOKEN); nothing secret is baked in.
CMD ["genre-warden", "run"]
