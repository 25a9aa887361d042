#!/usr/bin/env bash
# zapdesk installer: safe to re-run. Creates .env from .env.example once, generates every
# secret once (never overwrites one), applies public ports and the ops profile, can pull
# the latest code and rebuild the images, then reconciles the stack with
# `docker compose up -d --remove-orphans` and prints the endpoints.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bash scripts/install.sh [options]

Interactive by default (asks whether to pull and rebuild, then for the ports, the host
and the ops profile); never prompts when
stdin is not a terminal or --yes is given. Re-running keeps secrets and unrelated settings.

Options:
  -y, --yes              do not ask; use flags, then current .env values, then defaults
      --http-port N      public HTTP port nginx listens on (HTTP_PORT, default 80)
      --https-port N     public HTTPS port nginx listens on (HTTPS_PORT, default 443)
      --public-host HOST host name people use (PUBLIC_HOST, default localhost)
      --enable-ops       start the ops agent: ENABLE_OPS_AGENT=true and COMPOSE_PROFILES=ops
      --disable-ops      stop the ops agent: ENABLE_OPS_AGENT=false, "ops" out of COMPOSE_PROFILES
      --pull             update the code first with `git pull --ff-only`
      --build            rebuild the images (`docker compose build --pull`) before starting
      --no-start         write .env only; do not run docker compose
  -h, --help             show this help
EOF
}

die() { echo "install.sh: error: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_FILE="$ROOT/.env"
EXAMPLE="$ROOT/.env.example"
SECRETS=(ZAPDESK_SECRET_KEY POSTGRES_PASSWORD ZAP_API_KEY PDF_SERVICE_TOKEN OPS_AGENT_TOKEN METRICS_TOKEN)

ASSUME_YES=false; PULL=false; BUILD=false; START=true
HTTP_PORT_ARG=""; HTTPS_PORT_ARG=""; HOST_ARG=""; OPS_ARG=""

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      -y|--yes) ASSUME_YES=true ;;
      --http-port) HTTP_PORT_ARG="${2:?--http-port needs a number}"; shift ;;
      --http-port=*) HTTP_PORT_ARG="${1#*=}" ;;
      --https-port) HTTPS_PORT_ARG="${2:?--https-port needs a number}"; shift ;;
      --https-port=*) HTTPS_PORT_ARG="${1#*=}" ;;
      --public-host) HOST_ARG="${2:?--public-host needs a host name}"; shift ;;
      --public-host=*) HOST_ARG="${1#*=}" ;;
      --enable-ops) OPS_ARG=true ;;
      --disable-ops) OPS_ARG=false ;;
      --pull) PULL=true ;;
      --build) BUILD=true ;;
      --no-start) START=false ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown option: $1" ;;
    esac
    shift
  done
}

interactive() { [ "$ASSUME_YES" = false ] && [ -t 0 ]; }

# --- .env editing (KEY=VALUE lines; other lines and comments are kept as they are) ----

env_get() { [ -f "$ENV_FILE" ] && sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1 || true; }

env_set() {
  local key="$1" value="$2" tmp
  [ "$(env_get "$key")" = "$value" ] && grep -q "^$key=" "$ENV_FILE" && return 0
  tmp="$(mktemp "$ENV_FILE.XXXXXX")"
  awk -v k="$key" -v v="$value" 'BEGIN { done = 0 }
    index($0, k "=") == 1 { if (!done) print k "=" v; done = 1; next }
    { print } END { if (!done) print k "=" v }' "$ENV_FILE" > "$tmp"
  chmod 600 "$tmp"
  mv "$tmp" "$ENV_FILE"
}

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

create_env() {
  [ -f "$EXAMPLE" ] || die "$EXAMPLE is missing; run this from a zapdesk checkout"
  if [ ! -f "$ENV_FILE" ]; then
    (umask 077 && cp "$EXAMPLE" "$ENV_FILE")
    say "created .env from .env.example"
  fi
  chmod 600 "$ENV_FILE"
  # Keys added to .env.example by an upgrade are appended with their default.
  local key line
  while IFS= read -r line; do
    key="${line%%=*}"
    grep -q "^$key=" "$ENV_FILE" || { echo "$line" >> "$ENV_FILE"; say "added new setting $key"; }
  done < <(grep -E '^[A-Z_][A-Z0-9_]*=' "$EXAMPLE")
}

generate_secrets() {
  local key
  for key in "${SECRETS[@]}"; do
    if [ -z "$(env_get "$key")" ]; then
      env_set "$key" "$(random_hex 32)"
      say "generated $key"
    fi
  done
}

# --- choices ------------------------------------------------------------------------

ask() {  # ask VAR "question" default
  local _reply
  read -r -p "$2 [$3]: " _reply || _reply=""
  printf -v "$1" '%s' "${_reply:-$3}"
}

valid_port() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
valid_host() { [[ "$1" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]]; }

yes_no() {  # yes_no VAR "question" default(yes|no): sets VAR to true or false
  local _answer
  ask _answer "$2 yes/no" "$3"
  case "$_answer" in y|Y|yes|YES|true) printf -v "$1" true ;; *) printf -v "$1" false ;; esac
}

ask_pull_and_build() {
  interactive || return 0
  if [ "$PULL" = false ] && [ -d "$ROOT/.git" ]; then yes_no PULL "Update the code first (git pull --ff-only)?" no; fi
  [ "$BUILD" = true ] || yes_no BUILD "Rebuild the images?" no
}

ops_enabled_now() { [ "$(env_get ENABLE_OPS_AGENT)" = true ]; }

choose() {
  HTTP_PORT="${HTTP_PORT_ARG:-$(env_get HTTP_PORT)}"; HTTP_PORT="${HTTP_PORT:-80}"
  HTTPS_PORT="${HTTPS_PORT_ARG:-$(env_get HTTPS_PORT)}"; HTTPS_PORT="${HTTPS_PORT:-443}"
  PUBLIC_HOST="${HOST_ARG:-$(env_get PUBLIC_HOST)}"; PUBLIC_HOST="${PUBLIC_HOST:-localhost}"
  OPS="${OPS_ARG:-$(ops_enabled_now && echo true || echo false)}"
  if interactive; then
    [ -n "$HTTP_PORT_ARG" ] || ask HTTP_PORT "Public HTTP port" "$HTTP_PORT"
    [ -n "$HTTPS_PORT_ARG" ] || ask HTTPS_PORT "Public HTTPS port" "$HTTPS_PORT"
    [ -n "$HOST_ARG" ] || ask PUBLIC_HOST "Public host name" "$PUBLIC_HOST"
    [ -n "$OPS_ARG" ] || yes_no OPS "Enable the ops agent (Docker socket access)?" "$([ "$OPS" = true ] && echo yes || echo no)"
  fi
  valid_port "$HTTP_PORT" || die "HTTP port '$HTTP_PORT' is not a number between 1 and 65535"
  valid_port "$HTTPS_PORT" || die "HTTPS port '$HTTPS_PORT' is not a number between 1 and 65535"
  [ "$HTTP_PORT" != "$HTTPS_PORT" ] || die "HTTP and HTTPS need different ports (both are $HTTP_PORT)"
  valid_host "$PUBLIC_HOST" || die "public host '$PUBLIC_HOST' is not a host name or IPv4 address"
}

profiles_with_ops() {  # the COMPOSE_PROFILES list with "ops" added (true) or removed (false)
  local kept
  kept="$(env_get COMPOSE_PROFILES | tr ',' '\n' | grep -v -x -e ops -e '' | paste -sd, -)"
  if [ "$1" = true ]; then echo "${kept:+$kept,}ops"; else echo "$kept"; fi
}

apply() {
  env_set HTTP_PORT "$HTTP_PORT"
  env_set HTTPS_PORT "$HTTPS_PORT"
  env_set PUBLIC_HOST "$PUBLIC_HOST"
  env_set PROJECT_DIR "$ROOT"
  OPS_WAS_ON=$(ops_enabled_now && echo true || echo false)
  env_set ENABLE_OPS_AGENT "$OPS"
  env_set COMPOSE_PROFILES "$(profiles_with_ops "$OPS")"
}

# --- docker -------------------------------------------------------------------------

find_compose() {
  command -v docker >/dev/null 2>&1 || die "docker is not installed (https://docs.docker.com/engine/install/)"
  if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then COMPOSE=(docker-compose)
  else die "the Docker Compose plugin is missing (install docker-compose-plugin)"; fi
}

compose() { (cd "$ROOT" && "${COMPOSE[@]}" "$@"); }

pull_code() {
  command -v git >/dev/null 2>&1 || die "--pull needs git"
  say "updating the code: git pull --ff-only"
  git -C "$ROOT" pull --ff-only || die "git pull --ff-only failed (local changes or a diverged branch); resolve it and re-run"
}

start_stack() {
  if [ "$BUILD" = true ]; then
    say "rebuilding images"
    compose build --pull
  fi
  if [ "$OPS_WAS_ON" = true ] && [ "$OPS" = false ]; then
    say "stopping the ops agent"
    compose rm --stop --force ops
  fi
  compose up -d --remove-orphans
}

print_endpoints() {
  local https_suffix="" http_suffix=""
  [ "$HTTPS_PORT" = 443 ] || https_suffix=":$HTTPS_PORT"
  [ "$HTTP_PORT" = 80 ] || http_suffix=":$HTTP_PORT"
  cat <<EOF

zapdesk endpoints
  setup wizard (first run):  http://$PUBLIC_HOST$http_suffix/setup
  web (after setup):         https://$PUBLIC_HOST$https_suffix/
  health:                    https://$PUBLIC_HOST$https_suffix/health
  ops agent:                 $([ "$OPS" = true ] && echo "enabled (internal only, profile ops)" || echo "disabled")
Next: finish the wizard, then replace the temporary certificate in certs/ (docs/operations.md).
EOF
}

main() {
  parse_args "$@"
  cd "$ROOT"
  [ "$START" = false ] || find_compose
  ask_pull_and_build
  [ "$PULL" = false ] || pull_code
  create_env
  generate_secrets
  mkdir -p "$ROOT/backups" "$ROOT/certs" "$ROOT/nginx/state"
  # Backups hold password hashes and private keys: keep them out of git.
  [ -f "$ROOT/backups/.gitignore" ] || printf '*\n' > "$ROOT/backups/.gitignore"
  choose
  apply
  say ".env is up to date (secrets kept)"
  [ "$START" = false ] || start_stack
  print_endpoints
}

main "$@"
