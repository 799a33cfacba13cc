import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VaultHttp } from './http.ts';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function recorder(responses: { status: number; body?: string; index?: string }[]) {
  const seen: Seen[] = [];
  const fetchFn = (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : input.toString();
    seen.push({
      url,
      method: init?.method ?? 'GET',
      headers: init?.headers as Record<string, string>,
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
    });
    const r = responses.shift() ?? { status: 200, body: '{}' };
    const headers = new Headers(r.index ? { 'X-Vault-Index': r.index } : {});
    return Promise.resolve(new Response(r.body ?? '', { status: r.status, headers }));
  };
  return { seen, fetch: fetchFn };
}

describe('VaultHttp', () => {
  it('sends token, namespace, custom headers; LIST becomes GET ?list=true', async () => {
    const r = recorder([{ status: 200, body: '{"data":{"keys":["a"]}}' }]);
    const http = new VaultHttp({
      server: 'http://v:8200/',
      namespace: 'team',
      headers: { 'X-Custom': 'yes' },
      fetch: r.fetch,
    });
    const res = await http.send({ method: 'LIST', path: 'secret/metadata/a b', token: 'tok' });
    assert.equal(res.status, 200);
    assert.equal(r.seen[0]!.url, 'http://v:8200/v1/secret/metadata/a%20b?list=true');
    assert.equal(r.seen[0]!.method, 'GET');
    assert.deepEqual(r.seen[0]!.headers, {
      'X-Custom': 'yes',
      'X-Vault-Token': 'tok',
      'X-Vault-Namespace': 'team',
    });
  });

  it('a per-request namespace (auth.namespace) overrides the client one', async () => {
    const r = recorder([{ status: 200 }]);
    const http = new VaultHttp({ server: 'http://v', namespace: 'team', fetch: r.fetch });
    await http.send({
      method: 'POST',
      path: 'auth/approle/login',
      body: { role_id: 'r' },
      namespace: 'admin',
    });
    assert.equal(r.seen[0]!.headers['X-Vault-Namespace'], 'admin');
    assert.equal(r.seen[0]!.body, '{"role_id":"r"}');
  });

  it('replays X-Vault-Index with readYourWrites and forwards inconsistent reads when both are set', async () => {
    const r = recorder([{ status: 200, index: 'idx-1' }, { status: 200 }]);
    const http = new VaultHttp({
      server: 'http://v',
      readYourWrites: true,
      forwardInconsistent: true,
      fetch: r.fetch,
    });
    await http.send({ method: 'POST', path: 'secret/data/x', body: {} });
    await http.send({ method: 'GET', path: 'secret/data/x' });
    assert.equal(r.seen[1]!.headers['X-Vault-Index'], 'idx-1');
    assert.equal(r.seen[1]!.headers['X-Vault-Inconsistent'], 'forward-active-node');
  });

  it('retries 5xx (not 501) and 412 up to maxRetries', async () => {
    const r = recorder([{ status: 500 }, { status: 412 }, { status: 200, body: '{"ok":true}' }]);
    const http = new VaultHttp({
      server: 'http://v',
      maxRetries: 2,
      fetch: r.fetch,
      sleep: () => Promise.resolve(),
    });
    assert.equal((await http.send({ method: 'GET', path: 'x' })).status, 200);
    const s = recorder([{ status: 501 }]);
    const once = new VaultHttp({
      server: 'http://v',
      maxRetries: 2,
      fetch: s.fetch,
      sleep: () => Promise.resolve(),
    });
    assert.equal((await once.send({ method: 'GET', path: 'x' })).status, 501);
    assert.equal(s.seen.length, 1);
  });

  it('ok() turns errors into ProviderError with method, path, status and Vault text', async () => {
    const r = recorder([{ status: 403, body: '{"errors":["permission denied"]}' }]);
    const http = new VaultHttp({ server: 'http://v', fetch: r.fetch });
    await assert.rejects(http.ok({ method: 'GET', path: 'secret/data/x' }), {
      name: 'ProviderError',
      message: 'vault: GET secret/data/x: 403 permission denied',
    });
  });
});
