#!/bin/sh
# The nginx container's entrypoint: make sure a certificate pair exists (a temporary
# self-signed one when certs/ is empty), render the site from the template, then run
# nginx ("$@") and reload it whenever the pair in certs/ changes (e.g. the setup wizard
# or an operator replaced it). Every setting has a default for the compose stack.
set -eu

CERTS_DIR=${CERTS_DIR:-/certs}
STATE_DIR=${STATE_DIR:-/state}
UPSTREAM=${UPSTREAM:-web:8080}
LISTEN_HTTP=${LISTEN_HTTP:-80}
LISTEN_HTTPS=${LISTEN_HTTPS:-443}
PUBLIC_HTTPS_PORT=${PUBLIC_HTTPS_PORT:-443}
TEMPLATE=${TEMPLATE:-/etc/zapdesk/zapdesk.conf.template}
PROXY_PARAMS=${PROXY_PARAMS:-/etc/zapdesk/proxy_params.conf}
OUTPUT=${OUTPUT:-/etc/nginx/conf.d/default.conf}
CERT_WATCH_SECONDS=${CERT_WATCH_SECONDS:-15}
TEMP_CERT_HOSTS=${TEMP_CERT_HOSTS:-}
TEMP_CERT_DAYS=${TEMP_CERT_DAYS:-30}

log() { echo "zapdesk-nginx: $*" >&2; }

have_pair() { [ -s "$CERTS_DIR/fullchain.pem" ] && [ -s "$CERTS_DIR/privkey.pem" ]; }

temporary_sans() {
  sans="DNS:localhost,IP:127.0.0.1"
  for host in $(echo "$TEMP_CERT_HOSTS" | tr ',' ' '); do
    case "$host" in
      *[!0-9.]*) sans="$sans,DNS:$host" ;;
      *) sans="$sans,IP:$host" ;;
    esac
  done
  echo "$sans"
}

ensure_certs() {
  have_pair && return 0
  log "no certificate pair in $CERTS_DIR: generating a temporary self-signed one (CN zapdesk-temporary); replace it (docs/operations.md)"
  command -v openssl >/dev/null 2>&1 || { log "openssl is missing: cannot make the temporary pair; put fullchain.pem and privkey.pem in $CERTS_DIR"; exit 1; }
  mkdir -p "$CERTS_DIR"
  (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -days "$TEMP_CERT_DAYS" -subj "/CN=zapdesk-temporary" -addext "subjectAltName=$(temporary_sans)" \
      -keyout "$CERTS_DIR/privkey.pem.tmp" -out "$CERTS_DIR/fullchain.pem.tmp" 2>"$CERTS_DIR/.openssl-error" \
    || { log "openssl failed: $(cat "$CERTS_DIR/.openssl-error")"; exit 1; })
  rm -f "$CERTS_DIR/.openssl-error"
  chmod 644 "$CERTS_DIR/fullchain.pem.tmp"
  mv "$CERTS_DIR/privkey.pem.tmp" "$CERTS_DIR/privkey.pem"
  mv "$CERTS_DIR/fullchain.pem.tmp" "$CERTS_DIR/fullchain.pem"
}

render() {
  suffix=""
  [ "$PUBLIC_HTTPS_PORT" = 443 ] || suffix=":$PUBLIC_HTTPS_PORT"
  sed -e "s|@UPSTREAM@|$UPSTREAM|g" -e "s|@LISTEN_HTTP@|$LISTEN_HTTP|g" \
      -e "s|@LISTEN_HTTPS@|$LISTEN_HTTPS|g" -e "s|@HTTPS_PORT_SUFFIX@|$suffix|g" \
      -e "s|@CERTS_DIR@|$CERTS_DIR|g" -e "s|@STATE_DIR@|$STATE_DIR|g" \
      -e "s|@PROXY_PARAMS@|$PROXY_PARAMS|g" "$TEMPLATE" > "$OUTPUT"
}

pair_stamp() { cat "$CERTS_DIR/fullchain.pem" "$CERTS_DIR/privkey.pem" 2>/dev/null | cksum; }

pair_matches() {
  cert_key=$(openssl x509 -noout -pubkey -in "$CERTS_DIR/fullchain.pem" 2>/dev/null | cksum)
  key_key=$(openssl pkey -pubout -in "$CERTS_DIR/privkey.pem" 2>/dev/null | cksum)
  [ "$cert_key" = "$key_key" ]
}

# Runs in the background; $$ is nginx's master once the exec below has happened.
watch_certs() {
  master=$$
  last=$(pair_stamp)
  while sleep "$CERT_WATCH_SECONDS"; do
    kill -0 "$master" 2>/dev/null || exit 0
    ensure_certs
    now=$(pair_stamp)
    [ "$now" = "$last" ] && continue
    if pair_matches; then
      log "certificate pair changed: reloading nginx"
      kill -HUP "$master"
      last=$now
    fi
  done
}

ensure_certs
mkdir -p "$STATE_DIR" 2>/dev/null || true
render
watch_certs &
exec "$@"
