import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreConfigError } from '../provider.ts';
import { kubeConfigFromText } from './kubeconfig.ts';

const canary = 'canary-token-4c1d';

function kubeconfig(user: string, cluster = 'certificate-authority-data: LS0t'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: c\n  cluster:\n    server: https://remote.example:6443\n    ${cluster}`,
    'users:',
    `- name: u\n  user:\n    ${user}`,
    'contexts:',
    '- name: x\n  context: {cluster: c, user: u}',
    'current-context: x',
  ].join('\n');
}

describe('kubernetes authRef kubeconfig', () => {
  it('accepts inline credentials', () => {
    const kc = kubeConfigFromText(kubeconfig(`token: ${canary}`), 'Secret apps/kc key config');
    assert.equal(kc.getCurrentCluster()?.server, 'https://remote.example:6443');
    assert.equal(kc.getCurrentUser()?.token, canary);
  });

  const refused: [string, string, string | undefined][] = [
    [
      'an exec plugin',
      'exec: {command: /bin/sh, apiVersion: client.authentication.k8s.io/v1}',
      undefined,
    ],
    ['an auth-provider', 'auth-provider: {name: gcp}', undefined],
    ['a token file', 'token-file: /var/run/secrets/kubernetes.io/serviceaccount/token', undefined],
    ['a client certificate path', 'client-certificate: /etc/ferry/tls.crt', undefined],
    ['a CA path', `token: ${canary}`, 'certificate-authority: /etc/ssl/ca.crt'],
  ];
  for (const [name, user, cluster] of refused)
    it(`refuses ${name}`, () => {
      assert.throws(
        () => kubeConfigFromText(kubeconfig(user, cluster), 'Secret apps/kc key config'),
        (e: Error) =>
          e instanceof StoreConfigError &&
          /^the kubeconfig in Secret apps\/kc key config uses (users|clusters)\[\]/.test(e.message),
      );
    });

  it('a YAML error gives the line, never the text', () => {
    assert.throws(
      () =>
        kubeConfigFromText(`users:\n  - token: ${canary}\n  bad: [`, 'Secret apps/kc key config'),
      (e: Error) => /not valid YAML/.test(e.message) && !e.message.includes(canary),
    );
  });

  it('needs a current context', () => {
    assert.throws(
      () =>
        kubeConfigFromText(kubeconfig(`token: ${canary}`).replace('current-context: x', ''), 'S'),
      /has no current-context with a cluster and a user/,
    );
  });
});
