# The demo's workflow: OpenBao (Vault API) in docker compose, a kind cluster, Ferry from its Helm
# chart, the seed's ClusterSecretStore and four ExternalSecrets, and the demo app.
# Run `npm run just -- <recipe>` (rust-just, fetched by npx) or `just <recipe>`; no recipe lists them.
# Needs: docker, kind, kubectl, helm, curl, node. `npm start` runs the same system with no cluster.

set shell := ["bash", "-euo", "pipefail", "-c"]

cluster := "ferry-demo"
namespace := "ferry-system"
vault_addr := env("VAULT_ADDR", "http://127.0.0.1:58200")
vault_token := env("VAULT_TOKEN", "root")
image_tag := "dev"
app_url := "http://127.0.0.1:58080"
compose := "docker compose -f deploy/vault/compose.yaml"

[private]
default:
    @just --list --unsorted

# --- Vault (OpenBao dev server) -------------------------------------------------------------

# Start the Vault-compatible dev server on 127.0.0.1:58200 (joins kind's docker network).
vault-up:
    @docker network inspect kind >/dev/null 2>&1 || docker network create kind >/dev/null
    {{ compose }} up -d --wait
    @echo "✓ vault is up at {{ vault_addr }}"

# Stop the dev server (its data is in memory and is lost).
vault-down:
    {{ compose }} down

# Stop the dev server and remove its volumes.
vault-clean:
    {{ compose }} down -v

# Show the server's health.
vault-status:
    @curl -sf {{ vault_addr }}/v1/sys/health | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const h=JSON.parse(s);console.log(`initialized=${h.initialized} sealed=${h.sealed} version=${h.version}`)})'

# Write the demo's four secrets, a read-only policy and (with a cluster) Kubernetes auth.
vault-init:
    #!/usr/bin/env bash
    set -euo pipefail
    if kind get clusters 2>/dev/null | grep -qx {{ cluster }}; then
      ca=$(mktemp); trap 'rm -f "$ca"' EXIT
      docker exec {{ cluster }}-control-plane cat /etc/kubernetes/pki/ca.crt > "$ca"
      VAULT_ADDR={{ vault_addr }} VAULT_TOKEN={{ vault_token }} \
        KUBE_HOST=https://{{ cluster }}-control-plane:6443 KUBE_CA_FILE="$ca" deploy/vault/init-vault.sh
    else
      VAULT_ADDR={{ vault_addr }} VAULT_TOKEN={{ vault_token }} deploy/vault/init-vault.sh
    fi

# The seed wrote the file secrets separately; init writes all four, so this re-runs it.
vault-add-files: vault-init

# List the keys at each demo path.
vault-list:
    #!/usr/bin/env bash
    set -euo pipefail
    for path in secrets config tls-files config-files; do
      keys=$(curl -sf -H "X-Vault-Token: {{ vault_token }}" {{ vault_addr }}/v1/secret/data/demo-app/$path \
        | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(Object.keys(JSON.parse(s).data.data).join(", ")))')
      echo "secret/demo-app/$path: $keys"
    done

# Rotate database_password with a KV v2 PATCH (keeps api_key; a POST would drop it).
rotate value="rotated_password_789":
    @curl -sf -X PATCH -H "X-Vault-Token: {{ vault_token }}" -H 'Content-Type: application/merge-patch+json' \
      --data '{"data":{"database_password":"{{ value }}"}}' {{ vault_addr }}/v1/secret/data/demo-app/secrets >/dev/null
    @echo "✓ rotated database_password; the Secret follows within refreshInterval (10s)"

# --- Images and cluster ---------------------------------------------------------------------

# Build the operator and demo-app images.
build:
    docker build -t ferry:{{ image_tag }} .
    docker build -t demo-app:latest demo-app

# Create the two-node kind cluster (no-op when it exists).
cluster-create:
    @kind get clusters 2>/dev/null | grep -qx {{ cluster }} && echo "✓ cluster {{ cluster }} exists" \
      || kind create cluster --config deploy/kind/kind-config.yaml

cluster-delete:
    kind delete cluster --name {{ cluster }}

cluster-status:
    kubectl --context kind-{{ cluster }} get nodes

# Install or upgrade Ferry from the chart in this repository (pinned by the checkout).
install: build
    kind load docker-image ferry:{{ image_tag }} --name {{ cluster }}
    helm upgrade --install ferry deploy/charts/ferry --namespace {{ namespace }} --create-namespace \
      --kube-context kind-{{ cluster }} --set image.tag={{ image_tag }} --set image.pullPolicy=Never \
      --set serviceAccount.name=ferry --set rbac.authDelegator=true --wait --timeout 120s
    @echo "✓ ferry installed in {{ namespace }}"

# Apply the ClusterSecretStore and the four ExternalSecrets.
apply:
    kubectl --context kind-{{ cluster }} apply -f deploy/manifests/
    kubectl --context kind-{{ cluster }} wait --for=condition=Ready clustersecretstore/vault-backend --timeout=60s

# Wait until every ExternalSecret is Ready.
check:
    kubectl --context kind-{{ cluster }} get externalsecret
    kubectl --context kind-{{ cluster }} wait --for=condition=Ready externalsecret --all --timeout=60s

# Deploy the demo app (after `install` and `apply`).
deploy:
    kind load docker-image demo-app:latest --name {{ cluster }}
    helm upgrade --install demo-app deploy/charts/demo-app --kube-context kind-{{ cluster }} --wait --timeout 120s
    @echo "✓ demo app at {{ app_url }}"

# Check the app's counts: 2 secrets, 3 configs, 3 files.
verify:
    @curl -sf {{ app_url }}/api/combined | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const c=v.counts;console.log(`secrets=${c.secret} configs=${c.config} files=${c.file} system=${c.system} total=${v.total}`);if(c.secret!==2||c.config!==3||c.file!==3){console.error("✗ expected 2 secrets, 3 configs, 3 files");process.exit(1)}console.log("✓ verified")})'

# Everything, in order.
setup: vault-up cluster-create vault-init install apply check deploy verify

# What is running.
status:
    #!/usr/bin/env bash
    echo "vault:   $(curl -sf {{ vault_addr }}/v1/sys/health >/dev/null && echo up || echo down)"
    echo "cluster: $(kind get clusters 2>/dev/null | grep -qx {{ cluster }} && echo {{ cluster }} || echo none)"
    kubectl --context kind-{{ cluster }} -n {{ namespace }} get deploy ferry 2>/dev/null || true
    kubectl --context kind-{{ cluster }} get externalsecret 2>/dev/null || true
    echo "app:     {{ app_url }}"

logs:
    kubectl --context kind-{{ cluster }} -n {{ namespace }} logs deploy/ferry -f

# Remove the app, the operator, the cluster and the dev server.
clean:
    -helm uninstall demo-app --kube-context kind-{{ cluster }}
    -helm uninstall ferry --namespace {{ namespace }} --kube-context kind-{{ cluster }}
    -kind delete cluster --name {{ cluster }}
    -{{ compose }} down -v

# --- No cluster -----------------------------------------------------------------------------

# The same system on this machine: `ferry agent` feeding the demo app (see README).
local:
    npm start
