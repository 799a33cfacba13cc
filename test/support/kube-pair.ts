/**
 * A private etcd + kube-apiserver pair for tests that must kill and restart the API server
 * (the shared test environment must stay up for everyone else). The apiserver restarts on the
 * same port with the same certificates and etcd, so clients reconnect with the same kubeconfig.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { freePort, loadTestEnv } from '../env/testenv.ts';

export interface KubePair {
  kubeconfig: string;
  server: string;
  /** Kills kube-apiserver (SIGKILL: no graceful close of watches). */
  killApiserver(): Promise<void>;
  startApiserver(): Promise<void>;
  stop(): Promise<void>;
}

function launch(binary: string, args: string[], log: string): ChildProcess {
  const out = openSync(log, 'a');
  return spawn(binary, args, { stdio: ['ignore', out, out] });
}

async function waitReady(
  url: string,
  ca: string | undefined,
  token: string | undefined,
  timeoutMs = 60_000,
): Promise<void> {
  const request = url.startsWith('https') ? httpsRequest : httpRequest;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = request(
        url,
        {
          ca: ca ? readFileSync(ca) : undefined,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          timeout: 2000,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        },
      );
      req.on('error', () => {
        resolve(false);
      });
      req.on('timeout', () => req.destroy());
      req.end();
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

async function exited(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

export async function startKubePair(): Promise<KubePair> {
  const { binaries } = loadTestEnv();
  const dir = mkdtempSync(join(tmpdir(), 'ferry-kube-pair-'));
  const certDir = join(dir, 'certs');
  mkdirSync(certDir);
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const etcd = launch(
    binaries.etcd,
    [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
      '--listen-metrics-urls=',
      '--unsafe-no-fsync=true',
    ],
    join(dir, 'etcd.log'),
  );
  await waitReady(`${etcdUrl}/health`, undefined, undefined);

  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(certDir, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
  writeFileSync(join(certDir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  const token = randomBytes(24).toString('hex');
  writeFileSync(join(certDir, 'tokens.csv'), `${token},pair-admin,pair-admin,"system:masters"\n`);
  const server = `https://127.0.0.1:${apiPort}`;
  const caFile = join(certDir, 'apiserver.crt');
  const args = [
    `--etcd-servers=${etcdUrl}`,
    `--cert-dir=${certDir}`,
    `--secure-port=${apiPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--authorization-mode=RBAC',
    `--token-auth-file=${join(certDir, 'tokens.csv')}`,
    `--service-account-issuer=${server}`,
    `--service-account-key-file=${join(certDir, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(certDir, 'sa.key')}`,
    '--disable-admission-plugins=ServiceAccount',
    '--enable-priority-and-fairness=false',
    '--profiling=false',
  ];
  let apiserver: ChildProcess | undefined;
  const startApiserver = async (): Promise<void> => {
    apiserver = launch(binaries.kubeApiserver, args, join(dir, 'kube-apiserver.log'));
    const deadline = Date.now() + 60_000;
    while (!existsSync(caFile) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    await waitReady(`${server}/readyz`, caFile, token);
  };
  const killApiserver = async (): Promise<void> => {
    apiserver?.kill('SIGKILL');
    await exited(apiserver);
  };
  await startApiserver();
  const kubeconfig = join(dir, 'kubeconfig');
  const ca = readFileSync(caFile).toString('base64');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: pair, cluster: {server: "${server}", certificate-authority-data: ${ca}}}]`,
      `users: [{name: admin, user: {token: ${token}}}]`,
      'contexts: [{name: pair, context: {cluster: pair, user: admin}}]',
      'current-context: pair',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return {
    kubeconfig,
    server,
    killApiserver,
    startApiserver,
    stop: async () => {
      await killApiserver();
      etcd.kill('SIGTERM');
      await exited(etcd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
