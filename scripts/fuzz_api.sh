#!/usr/bin/env bash
# Fuzz Orbit's /api/ with schemathesis, driven by our own OpenAPI schema (/api/schema/).
#
# End to end: creates a scratch database (FUZZ_DB, default orbit_fuzz), migrates and seeds the demo data,
# serves gunicorn on 127.0.0.1:FUZZ_PORT (default 8765) with 2-hour access tokens, signs in as the demo user,
# runs schemathesis with the checks not_a_server_error + response_schema_conformance + orbit_error_envelope
# (scripts/fuzz_api_hooks.py: every 4xx/5xx under /api/ is in the error envelope), then scripts/fuzz_bodies.py
# (deeply nested and malformed bodies to every operation, /api/ and the auth API), with the demo workspace id
# substituted for every {workspace_id} and a demo scope's for {scope_pk} (deleting the workspace and
# logging out are left out: they would end the run), then stops the server and drops the database (KEEP_DB=1 keeps it).
# Billing is live: the server's Stripe API is billing's stand-in (scripts/stripe_standin.py, the one the billing tests
# drive, on a free local port) with its test key, so checkout and the portal do their real work over HTTP instead
# of answering 503 for want of a Stripe key (which not_a_server_error would rightly count as a failure).
# Needs schemathesis (requirements-dev.txt) and a local PostgreSQL reachable as postgres@127.0.0.1:5432.
#
#   scripts/fuzz_api.sh                      # 30 examples per operation, 10 minutes at most
#   FUZZ_EXAMPLES=100 FUZZ_MAX_TIME=1200 scripts/fuzz_api.sh --include-path-regex '/scopes'
# Extra arguments go to `schemathesis run`. Reports (junit + ndjson) land in var/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_DB=${FUZZ_DB:-orbit_fuzz}
FUZZ_PORT=${FUZZ_PORT:-8765}
FUZZ_EXAMPLES=${FUZZ_EXAMPLES:-30}
FUZZ_MAX_TIME=${FUZZ_MAX_TIME:-600}
BASE="http://127.0.0.1:${FUZZ_PORT}"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${FUZZ_DB}"
export JWT_ACCESS_MINUTES=120
# No worker runs during the fuzz, so the tasks its requests queue only age: past READY_MAX_QUEUE_AGE (300 s) /api/ready
# would rightly answer 503 queue_stalled, failing every later check of it. The run's readiness ignores the queue age.
export READY_MAX_QUEUE_AGE="${READY_MAX_QUEUE_AGE:-86400}"
export MEDIA_ROOT="${MEDIA_ROOT:-$PWD/var/fuzz/media}"
PY=.venv/bin/python
mkdir -p var/fuzz

server_pid=""
standin_pid=""
cleanup() {
  for pid in $server_pid $standin_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP_DB:-0}" != "1" ]; then
    $PY - <<PYEOF
import psycopg
with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as c:
    c.execute('DROP DATABASE IF EXISTS "${FUZZ_DB}" WITH (FORCE)')
PYEOF
  fi
}
trap cleanup EXIT INT TERM

$PY scripts/ensure_database.py
$PY manage.py migrate --noinput --verbosity 0
$PY manage.py createcachetable
$PY manage.py seed_demo

rm -f var/fuzz/stripe.env
$PY scripts/stripe_standin.py var/fuzz/stripe.env &
standin_pid=$!
for _ in $(seq 100); do [ -s var/fuzz/stripe.env ] && break; sleep 0.2; done
set -a
. var/fuzz/stripe.env  # STRIPE_API_HOST and STRIPE_TEST_SECRET_KEY, for the server started next
set +a

.venv/bin/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:${FUZZ_PORT}" --workers 2 --log-level warning \
  >var/fuzz/gunicorn.log 2>&1 &
server_pid=$!
for _ in $(seq 50); do curl -fs "${BASE}/api/health/" >/dev/null 2>&1 && break; sleep 0.2; done

ORBIT_TOKEN=$(curl -fs -X POST "${BASE}/_allauth/app/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"demo@orbit.local","password":"orbit-demo-password"}' |
  $PY -c 'import json,sys; print(json.load(sys.stdin)["meta"]["access_token"])')
ORBIT_WORKSPACE_ID=$(curl -fs "${BASE}/api/workspaces/?limit=100" -H "Authorization: Bearer ${ORBIT_TOKEN}" |
  $PY -c 'import json,sys; print(next(w["id"] for w in json.load(sys.stdin)["results"] if w["name"] == "Demo Agency"))')
ORBIT_SCOPE_ID=$(curl -fs "${BASE}/api/workspaces/${ORBIT_WORKSPACE_ID}/scopes/" -H "Authorization: Bearer ${ORBIT_TOKEN}" |
  $PY -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["id"])')
export ORBIT_WORKSPACE_ID ORBIT_SCOPE_ID
echo "fuzzing ${BASE} as demo@orbit.local in workspace ${ORBIT_WORKSPACE_ID}"

cat >var/fuzz/schemathesis.toml <<TOML
[parameters]
"path.workspace_id" = "\${ORBIT_WORKSPACE_ID}"
"path.scope_id" = "\${ORBIT_SCOPE_ID}"
TOML

status=0
SCHEMATHESIS_HOOKS=scripts.fuzz_api_hooks PYTHONPATH="$PWD" .venv/bin/schemathesis --config-file var/fuzz/schemathesis.toml run "${BASE}/api/schema/" \
  --header "Authorization: Bearer ${ORBIT_TOKEN}" \
  --checks not_a_server_error,response_schema_conformance,orbit_error_envelope \
  --max-examples "${FUZZ_EXAMPLES}" --max-time "${FUZZ_MAX_TIME}" --seed "${FUZZ_SEED:-1}" \
  --phases examples,coverage,fuzzing --workers 2 --no-color \
  --exclude-operation-id workspaces_destroy --exclude-operation-id auth_logout \
  --report junit,ndjson --report-dir var/fuzz "$@" || status=$?
# Deeply nested and malformed bodies to every operation of /api/ and of the auth API (schemathesis sends
# well-formed JSON only).
ORBIT_TOKEN="$ORBIT_TOKEN" PYTHONPATH="$PWD" $PY scripts/fuzz_bodies.py "$BASE" || status=$?
echo "server log (tracebacks): var/fuzz/gunicorn.log"
exit "$status"
