/**
 * The real test servers: etcd, kube-apiserver, kube-controller-manager, OpenBao (dev mode) and
 * moto, started on 127.0.0.1 with free ports. Binaries come from test/env/build.sh (cached by
 * version). `startTestEnv` writes `.testenv/env` (shell-sourceable) and `.testenv/kubeconfig`;
 * tests read the same values through `loadTestEnv()`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestCa } from '../support/pki.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const testEnvDir = join(repoRoot, '.testenv');
const envFile = join(testEnvDir, 'env');

interface Tools {
  kubeApiserver: string;
  etcd: string;
  kubeControllerManager: string;
  bao: string;
  motoServer: string;
  helm: string;
  versions: { kubeApiserver: string; etcd: string; openbao: string; moto: string; helm: string };
}

/** What a test needs to reach the servers. */
export interface TestEnv {
  kubeconfig: string;
  kubeServer: string;
  kubeToken: string;
  kubeCaFile: string;
  /** CA (and its key) the API server trusts for client certificates (`--client-ca-file`). */
  kubeClientCaFile: string;
  kubeClientCaKeyFile: string;
  vaultAddr: string;
  vaultToken: string;
  awsEndpointUrl: string;
  pids: number[];
  versions: Tools['versions'];
  /** Absolute paths of the server binaries, for tests that run their own instance. */
  binaries: { bao: string; kubeApiserver: string; etcd: string; helm: string };
}

type Log = (line: string) => void;

/** Runs test/env/build.sh (fast when cached) and returns the tool paths it wrote. */
export function ensureBuilt(log: Log = () => undefined): Tools {
  const started = Date.now();
  const result = spawnSync('bash', [join(repoRoot, 'test/env/build.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`test/env/build.sh failed with exit code ${String(result.status)}`);
  }
  log(`test servers built or found in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return JSON.parse(readFileSync(join(testEnvDir, 'tools.json'), 'utf8')) as Tools;
}

/** The tool paths the last build wrote (run `ensureBuilt` or `npm test` first). */
export function readTools(): Tools {
  return JSON.parse(readFileSync(join(testEnvDir, 'tools.json'), 'utf8')) as Tools;
}

/** Asks the kernel for a free loopback port (released just before the server binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolvePort(port);
      });
    });
  });
}

function launch(name: string, command: string, args: string[], logDir: string): number {
  const out = openSync(join(logDir, `${name}.log`), 'a');
  // detached: the servers outlive `npm run testenv:up`; each leads its own process group.
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  return child.pid;
}

interface Probe {
  url: string;
  token?: string;
  ca?: Buffer;
}

async function probeOnce({ url, token, ca }: Probe): Promise<number> {
  return new Promise((resolveStatus) => {
    const target = new URL(url);
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const options = { method: 'GET', headers, timeout: 2000 };
    const req =
      target.protocol === 'https:'
        ? httpsRequest(target, { ...options, ca, rejectUnauthorized: ca !== undefined }, (res) => {
            res.resume();
            resolveStatus(res.statusCode ?? 0);
          })
        : httpRequest(target, options, (res) => {
            res.resume();
            resolveStatus(res.statusCode ?? 0);
          });
    req.on('error', () => {
      resolveStatus(0);
    });
    req.on('timeout', () => {
      req.destroy();
    });
    req.end();
  });
}

async function waitHealthy(
  name: string,
  probe: Probe,
  pid: number,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await probeOnce(probe)) === 200) return;
    if (!isAlive(pid))
      throw new Error(`${name} exited during start; see .testenv/logs/${name}.log`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${name} was not healthy at ${probe.url} within ${timeoutMs / 1000}s; see .testenv/logs/${name}.log`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function kubeconfigYaml(server: string, caFile: string, token: string): string {
  const ca = readFileSync(caFile).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: ferry-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    '- name: admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: ferry-test',
    '  context: {cluster: ferry-test, user: admin}',
    'current-context: ferry-test',
    '',
  ].join('\n');
}

async function startKube(tools: Tools, dirs: { data: string; logs: string }, pids: number[]) {
  const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${etcdClient}`;
  pids.push(
    launch(
      'etcd',
      tools.etcd,
      [
        `--data-dir=${join(dirs.data, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
        '--listen-metrics-urls=',
        '--unsafe-no-fsync=true',
      ],
      dirs.logs,
    ),
  );
  await waitHealthy('etcd', { url: `${etcdUrl}/health` }, pids.at(-1)!);

  const certDir = join(dirs.data, 'certs');
  mkdirSync(certDir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const saKey = join(certDir, 'sa.key');
  const saPub = join(certDir, 'sa.pub');
  writeFileSync(saKey, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
  const token = randomBytes(24).toString('hex');
  const tokenFile = join(certDir, 'tokens.csv');
  writeFileSync(tokenFile, `${token},ferry-test-admin,ferry-test-admin,"system:masters"\n`);
  // A CA for client certificates, so tests can authenticate as a user with a certificate it
  // signs (the kubernetes provider's cert auth); its key is kept beside it for those tests.
  const clientCa = createTestCa('ferry-test-client-ca');
  const clientCaFile = join(certDir, 'client-ca.crt');
  const clientCaKeyFile = join(certDir, 'client-ca.key');
  writeFileSync(clientCaFile, clientCa.cert);
  writeFileSync(clientCaKeyFile, clientCa.key, { mode: 0o600 });
  const server = `https://127.0.0.1:${apiPort}`;
  pids.push(
    launch(
      'kube-apiserver',
      tools.kubeApiserver,
      [
        `--etcd-servers=${etcdUrl}`,
        `--cert-dir=${certDir}`,
        `--secure-port=${apiPort}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        '--service-cluster-ip-range=10.0.0.0/24',
        '--authorization-mode=RBAC',
        `--token-auth-file=${tokenFile}`,
        `--client-ca-file=${clientCaFile}`,
        `--service-account-issuer=${server}`,
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        '--disable-admission-plugins=ServiceAccount',
        '--allow-privileged=true',
        '--enable-priority-and-fairness=false',
        '--profiling=false',
      ],
      dirs.logs,
    ),
  );
  const caFile = join(certDir, 'apiserver.crt');
  const apiPid = pids.at(-1)!;
  const deadline = Date.now() + 60_000;
  while (!existsSync(caFile) && Date.now() < deadline && isAlive(apiPid)) {
    await new Promise((r) => setTimeout(r, 200));
  }
  await waitHealthy(
    'kube-apiserver',
    { url: `${server}/readyz`, token, ca: readFileSync(caFile) },
    apiPid,
  );
  const kubeconfig = join(testEnvDir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml(server, caFile, token), { mode: 0o600 });

  const kcmPort = await freePort();
  pids.push(
    launch(
      'kube-controller-manager',
      tools.kubeControllerManager,
      [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${kcmPort}`,
        `--cert-dir=${join(dirs.data, 'kcm-certs')}`,
        `--service-account-private-key-file=${saKey}`,
        `--root-ca-file=${caFile}`,
        '--leader-elect=false',
        '--controllers=namespace-controller,garbage-collector-controller,serviceaccount-controller,serviceaccount-token-controller,root-ca-certificate-publisher-controller,clusterrole-aggregation-controller',
      ],
      dirs.logs,
    ),
  );
  await waitHealthy(
    'kube-controller-manager',
    { url: `https://127.0.0.1:${kcmPort}/healthz` },
    pids.at(-1)!,
  );
  return { kubeconfig, server, token, caFile, clientCaFile, clientCaKeyFile };
}

async function startOpenBao(tools: Tools, logs: string, pids: number[]) {
  // bao dev also opens a cluster listener on port+1; retry until both are free.
  const token = randomBytes(16).toString('hex');
  const port = await freePort();
  pids.push(
    launch(
      'openbao',
      tools.bao,
      ['server', '-dev', `-dev-root-token-id=${token}`, `-dev-listen-address=127.0.0.1:${port}`],
      logs,
    ),
  );
  const addr = `http://127.0.0.1:${port}`;
  await waitHealthy('openbao', { url: `${addr}/v1/sys/health` }, pids.at(-1)!);
  return { addr, token };
}

async function startMoto(tools: Tools, logs: string, pids: number[]) {
  const port = await freePort();
  pids.push(launch('moto', tools.motoServer, ['-H', '127.0.0.1', '-p', String(port)], logs));
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy('moto', { url: `${url}/moto-api/` }, pids.at(-1)!);
  return url;
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

function writeEnvFile(env: TestEnv): void {
  const lines = {
    KUBECONFIG: env.kubeconfig,
    FERRY_TEST_KUBE_SERVER: env.kubeServer,
    FERRY_TEST_KUBE_TOKEN: env.kubeToken,
    FERRY_TEST_KUBE_CA_FILE: env.kubeCaFile,
    FERRY_TEST_KUBE_CLIENT_CA_FILE: env.kubeClientCaFile,
    FERRY_TEST_KUBE_CLIENT_CA_KEY_FILE: env.kubeClientCaKeyFile,
    VAULT_ADDR: env.vaultAddr,
    VAULT_TOKEN: env.vaultToken,
    BAO_ADDR: env.vaultAddr,
    BAO_TOKEN: env.vaultToken,
    AWS_ENDPOINT_URL: env.awsEndpointUrl,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    FERRY_TESTENV_PIDS: env.pids.join(' '),
    FERRY_TESTENV_VERSIONS: JSON.stringify(env.versions),
    FERRY_TESTENV_BINARIES: JSON.stringify(env.binaries),
  };
  const text = Object.entries(lines)
    .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
    .join('\n');
  writeFileSync(envFile, `${text}\n`, { mode: 0o600 });
}

/** Builds (if needed) and starts every server; on any failure stops what it started. */
export async function startTestEnv(log: Log = () => undefined): Promise<TestEnv> {
  const tools = ensureBuilt(log);
  const started = Date.now();
  const data = join(testEnvDir, 'data');
  const logs = join(testEnvDir, 'logs');
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  mkdirSync(logs, { recursive: true });
  const pids: number[] = [];
  try {
    const kube = await startKube(tools, { data, logs }, pids);
    const bao = await startOpenBao(tools, logs, pids);
    const moto = await startMoto(tools, logs, pids);
    const env: TestEnv = {
      kubeconfig: kube.kubeconfig,
      kubeServer: kube.server,
      kubeToken: kube.token,
      kubeCaFile: kube.caFile,
      kubeClientCaFile: kube.clientCaFile,
      kubeClientCaKeyFile: kube.clientCaKeyFile,
      vaultAddr: bao.addr,
      vaultToken: bao.token,
      awsEndpointUrl: moto,
      pids,
      versions: tools.versions,
      binaries: {
        bao: tools.bao,
        kubeApiserver: tools.kubeApiserver,
        etcd: tools.etcd,
        helm: tools.helm,
      },
    };
    writeEnvFile(env);
    log(
      `test servers started in ${((Date.now() - started) / 1000).toFixed(1)}s: ${describeVersions(env)}`,
    );
    return env;
  } catch (error) {
    stopPids(pids);
    throw error;
  }
}

export function describeVersions(env: Pick<TestEnv, 'versions'>): string {
  const v = env.versions;
  return `kube-apiserver ${v.kubeApiserver}, etcd ${v.etcd}, OpenBao ${v.openbao}, moto ${v.moto}`;
}

/** Kills exactly these process groups (SIGTERM, then SIGKILL after a grace period). */
export function stopPids(pids: readonly number[]): void {
  for (const pid of [...pids].reverse()) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (pids.some(isAlive) && Date.now() < deadline) spawnSync('sleep', ['0.1']);
  for (const pid of pids) if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Stops the servers recorded in `.testenv/env`, if any. */
export function stopTestEnv(): void {
  if (!existsSync(envFile)) return;
  const env = parseEnvFile(readFileSync(envFile, 'utf8'));
  const pids = (env['FERRY_TESTENV_PIDS'] ?? '').split(' ').filter(Boolean).map(Number);
  stopPids(pids);
  rmSync(envFile, { force: true });
}

function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (match) out[match[1]!] = match[2]!.replaceAll("'\\''", "'");
  }
  return out;
}

/**
 * The running environment, for tests: from process.env when the test runner exported it, else
 * from `.testenv/env` (after `npm run testenv:up`). Throws when neither is there.
 */
export function loadTestEnv(): TestEnv {
  const source: Record<string, string | undefined> = process.env['FERRY_TESTENV_PIDS']
    ? process.env
    : existsSync(envFile)
      ? parseEnvFile(readFileSync(envFile, 'utf8'))
      : {};
  const get = (key: string): string => {
    const value = source[key];
    if (!value)
      throw new Error(
        `test servers are not running (missing ${key}); run \`npm run testenv:up\` or \`npm test\``,
      );
    return value;
  };
  return {
    kubeconfig: get('KUBECONFIG'),
    kubeServer: get('FERRY_TEST_KUBE_SERVER'),
    kubeToken: get('FERRY_TEST_KUBE_TOKEN'),
    kubeCaFile: get('FERRY_TEST_KUBE_CA_FILE'),
    kubeClientCaFile: get('FERRY_TEST_KUBE_CLIENT_CA_FILE'),
    kubeClientCaKeyFile: get('FERRY_TEST_KUBE_CLIENT_CA_KEY_FILE'),
    vaultAddr: get('VAULT_ADDR'),
    vaultToken: get('VAULT_TOKEN'),
    awsEndpointUrl: get('AWS_ENDPOINT_URL'),
    pids: get('FERRY_TESTENV_PIDS').split(' ').map(Number),
    versions: JSON.parse(get('FERRY_TESTENV_VERSIONS')) as TestEnv['versions'],
    binaries: JSON.parse(get('FERRY_TESTENV_BINARIES')) as TestEnv['binaries'],
  };
}

/** The env vars a child process (a test file, the operator) needs to find the servers. */
export function testEnvVariables(): Record<string, string> {
  return existsSync(envFile) ? parseEnvFile(readFileSync(envFile, 'utf8')) : {};
}
