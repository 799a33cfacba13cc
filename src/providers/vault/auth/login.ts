/**
 * Sending a login (with the `auth.namespace` switch, eso.md §4.5) and the token calls:
 * renew-self and lookup-self. Login bodies carry credentials; errors never include them.
 */
import { JsonNumber, type JsonValue } from '../../../secretdata/gojson.ts';
import { ProviderError, type Clock } from '../../provider.ts';
import { describeRequest, statusError, type VaultHttp } from '../http.ts';
import type { VaultToken } from '../token-cache.ts';
import type { AuthPlan } from './methods.ts';

function field(v: JsonValue | undefined, name: string): JsonValue | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof JsonNumber)
    return undefined;
  return v[name];
}

function seconds(v: JsonValue | undefined): number {
  return v instanceof JsonNumber ? Number(v.text) : 0;
}

/** The token inside a login or renew response's `auth` block. */
export function tokenFromAuth(
  body: JsonValue | undefined,
  method: string,
  clock: Clock,
): VaultToken | undefined {
  const auth = field(body, 'auth');
  const token = field(auth, 'client_token');
  if (typeof token !== 'string' || token === '') return undefined;
  return {
    token,
    method,
    renewable: field(auth, 'renewable') === true,
    ttlMs: seconds(field(auth, 'lease_duration')) * 1000,
    issuedAt: clock.now(),
  };
}

export interface LoginOptions {
  /** `auth.namespace` (or the store's), for login and the token's own calls; '' is the root namespace. */
  namespace?: string;
  clock: Clock;
}

/** POSTs the login of `plan` and returns the token it grants. */
export async function login(
  http: VaultHttp,
  plan: Extract<AuthPlan, { kind: 'login' }>,
  options: LoginOptions,
): Promise<VaultToken> {
  const req = {
    method: 'POST' as const,
    path: plan.path,
    ...(plan.body ? { body: plan.body } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  };
  const res = await http.send(req);
  if (res.status < 200 || res.status > 299) throw statusError(req, res);
  const token = tokenFromAuth(res.body, plan.method, options.clock);
  if (token === undefined)
    throw new ProviderError(`${describeRequest(req)}: response has no auth.client_token`);
  return token;
}

/** auth/token/renew-self. */
export async function renewSelf(
  http: VaultHttp,
  current: VaultToken,
  options: LoginOptions,
): Promise<VaultToken> {
  const req = {
    method: 'POST' as const,
    path: 'auth/token/renew-self',
    body: {},
    token: current.token,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  };
  const res = await http.ok(req);
  const token = tokenFromAuth(res.body, current.method, options.clock);
  if (token === undefined)
    throw new ProviderError(`${describeRequest(req)}: response has no auth.client_token`);
  return token;
}

export interface TokenLookup {
  type: string;
  ttlSeconds: number;
  expires: boolean;
}

/** auth/token/lookup-self: validity, type and remaining TTL of a token. */
export async function lookupSelf(
  http: VaultHttp,
  token: string,
  namespace?: string,
): Promise<TokenLookup> {
  const res = await http.ok({
    method: 'GET',
    path: 'auth/token/lookup-self',
    token,
    ...(namespace !== undefined ? { namespace } : {}),
  });
  const data = field(res.body, 'data');
  const type = field(data, 'type');
  return {
    type: typeof type === 'string' ? type : 'service',
    ttlSeconds: seconds(field(data, 'ttl')),
    expires: field(data, 'expire_time') !== null && field(data, 'expire_time') !== undefined,
  };
}
