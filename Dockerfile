# syntax=docker/dockerfile:1.4
# The zapdesk application image: web (waitress), worker, scheduler, pdf and ops services
# all run it with a different command (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ARG DOCKER_CLI_VERSION=27.3.1
ARG COMPOSE_VERSION=v2.29.7
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# pg_dump/pg_restore must match the db service's PostgreSQL 16 (Debian ships 15),
# so the client comes from the PostgreSQL project's apt repository.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
 && rm -rf /var/lib/apt/lists/*

# The ops agent drives `docker compose` through the mounted socket (profile `ops` only).
RUN curl -fsSL "https://download.docker.com/linux/static/stable/x86_64/docker-${DOCKER_CLI_VERSION}.tgz" \
      | tar -xz -C /usr/local/bin --strip-components=1 docker/docker \
 && mkdir -p /usr/local/lib/docker/cli-plugins \
 && curl -fsSL "https://github.com/docker/compose/releases/download/${COMPOSE_VERSION}/docker-compose-linux-x86_64" \
      -o /usr/local/lib/docker/cli-plugins/docker-compose \
 && chmod +x /usr/local/lib/docker/cli-plugins/docker-compose

WORKDIR /app
COPY setup.cfg pyproject.toml README.md ./
COPY zapdesk ./zapdesk
COPY plugins ./plugins
RUN pip install . && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin zapdesk \
 && mkdir -p /data/instance /data/media /data/certs /data/nginx-state /data/backups && chown -R zapdesk:zapdesk /data

# Bind-mounted certs/ and nginx/state/ arrive owned by the host user: the entrypoint
# (root) hands the data folders to the zapdesk user, then drops privileges for good.
COPY --chmod=0755 <<'SH' /usr/local/bin/zapdesk-entrypoint
#!/bin/sh
set -eu
if [ "$(id -u)" = 0 ]; then
  for dir in "$ZAPDESK_INSTANCE_PATH" "$ZAPDESK_MEDIA_PATH" "$ZAPDESK_CERTS_PATH" \
             "$ZAPDESK_NGINX_STATE_PATH" "$ZAPDESK_BACKUP_PATH"; do
    mkdir -p "$dir"
    [ "$(stat -c %u "$dir")" = 10001 ] || chown -R zapdesk:zapdesk "$dir"
  done
  if [ "${ZAPDESK_KEEP_ROOT:-false}" = true ]; then exec "$@"; fi
  exec setpriv --reuid=zapdesk --regid=zapdesk --init-groups "$@"
fi
exec "$@"
SH

ENV ZAPDESK_INSTANCE_PATH=/data/instance \
    ZAPDESK_MEDIA_PATH=/data/media \
    ZAPDESK_CERTS_PATH=/data/certs \
    ZAPDESK_NGINX_STATE_PATH=/data/nginx-state \
    ZAPDESK_BACKUP_PATH=/data/backups
EXPOSE 8080
ENTRYPOINT ["zapdesk-entrypoint"]
CMD ["zapdesk", "serve", "--host", "0.0.0.0", "--port", "8080"]
