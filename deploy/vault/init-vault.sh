#!/usr/bin/env bash
# Writes the demo's secrets and configures Kubernetes auth so the store needs no root token.
# Idempotent: every call is a PUT/POST that converges; any HTTP error stops the script loudly.
#
#   VAULT_ADDR   (default http://127.0.0.1:58200)
#   VAULT_TOKEN  (default root)            admin token, used only by this script
#   KUBE_HOST    Kubernetes API URL as seen from Vault (default: skip Kubernetes auth)
#   KUBE_CA_FILE PEM of the cluster CA (with KUBE_HOST)
#   WAIT_SECONDS how long to wait for the server (default 60)
set -euo pipefail
VAULT_ADDR=${VAULT_ADDR:-http://127.0.0.1:58200}
VAULT_TOKEN=${VAULT_TOKEN:-root}
WAIT_SECONDS=${WAIT_SECONDS:-60}

say() { printf '%s\n' "$*"; }
fail() { printf 'init-vault: %s\n' "$*" >&2; exit 1; }

# vault METHOD PATH [JSON] — fails on any HTTP status >= 400 and prints Vault's error list.
vault() {
  local method=$1 path=$2 body=${3:-}
  local out status
  out=$(mktemp)
  status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" \
    -H "X-Vault-Token: $VAULT_TOKEN" -H 'Content-Type: application/json' \
    ${body:+--data "$body"} "$VAULT_ADDR/v1/$path") || { rm -f "$out"; fail "$method $path: cannot reach $VAULT_ADDR"; }
  if [ "$status" -ge 400 ]; then
    local detail; detail=$(cat "$out"); rm -f "$out"
    fail "$method $path: HTTP $status $detail"
  fi
  cat "$out"; rm -f "$out"
}

say "waiting for $VAULT_ADDR (up to ${WAIT_SECONDS}s)"
deadline=$(( $(date +%s) + WAIT_SECONDS ))
until curl -sf "$VAULT_ADDR/v1/sys/health" >/dev/null 2>&1; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "no healthy server at $VAULT_ADDR after ${WAIT_SECONDS}s"
  sleep 1
done

# KV v2 at secret/: dev mode mounts it already; create it only when it is missing.
mounts=$(vault GET sys/mounts)
if ! grep -q '"secret/"' <<<"$mounts"; then
  vault POST sys/mounts/secret '{"type":"kv","options":{"version":"2"}}' >/dev/null
  say "✓ mounted KV v2 at secret/"
else
  say "✓ KV v2 at secret/ (already mounted)"
fi

vault POST secret/data/demo-app/secrets \
  '{"data":{"database_password":"super_secret_db_pass_123","api_key":"sk-demo-api-key-xyz789"}}' >/dev/null
vault POST secret/data/demo-app/config \
  '{"data":{"app_name":"External Secrets Demo","debug_mode":"true","max_connections":"100"}}' >/dev/null
tls_crt='-----BEGIN CERTIFICATE-----\nMIIDemoOnlyNotARealCertificate\n-----END CERTIFICATE-----\n'
tls_key='-----BEGIN PRIVATE KEY-----\nMIIDemoOnlyNotARealKey\n-----END PRIVATE KEY-----\n'
vault POST secret/data/demo-app/tls-files "{\"data\":{\"tls.crt\":\"$tls_crt\",\"tls.key\":\"$tls_key\"}}" >/dev/null
vault POST secret/data/demo-app/config-files \
  '{"data":{"database.conf":"# Database Configuration\nhost=postgres.example.com\nport=5432\ndatabase=demo_app\nssl_mode=require\npool_size=20\nmax_overflow=10\n"}}' >/dev/null
say "✓ wrote secret/demo-app/{secrets,config,tls-files,config-files}"

# Read-only policy for exactly the demo's paths.
vault PUT sys/policies/acl/demo-app-read \
  '{"policy":"path \"secret/data/demo-app/*\" { capabilities = [\"read\"] }\npath \"secret/metadata/demo-app/*\" { capabilities = [\"read\", \"list\"] }"}' >/dev/null
say "✓ policy demo-app-read"

if [ -n "${KUBE_HOST:-}" ]; then
  auths=$(vault GET sys/auth)
  if ! grep -q '"kubernetes/"' <<<"$auths"; then
    vault POST sys/auth/kubernetes '{"type":"kubernetes"}' >/dev/null
  fi
  ca_json=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "${KUBE_CA_FILE:?KUBE_CA_FILE is required with KUBE_HOST}")
  vault POST auth/kubernetes/config "{\"kubernetes_host\":\"$KUBE_HOST\",\"kubernetes_ca_cert\":$ca_json}" >/dev/null
  vault POST auth/kubernetes/role/ferry \
    '{"bound_service_account_names":["ferry"],"bound_service_account_namespaces":["ferry-system"],"token_policies":["demo-app-read"],"token_ttl":"1h","audience":"vault"}' >/dev/null
  say "✓ Kubernetes auth: role ferry (ServiceAccount ferry-system/ferry) → policy demo-app-read"
else
  say "• Kubernetes auth skipped (set KUBE_HOST and KUBE_CA_FILE to configure it)"
fi
say "done: 4 secrets under secret/demo-app/"
