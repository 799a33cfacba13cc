/**
 * The Vault SecretsClient: authenticated requests (static token, or a cached login that is
 * renewed and replaced on 403) over VaultHttp, delegating KV work to read/find/push.
 */
import type {
  AnySecretStore,
  FindSpec,
  PushSecretData,
  RemoteRef,
  VaultProvider,
} from '../../api/types.ts';
import {
  ProviderError,
  type ProviderContext,
  type PushSource,
  type SecretsClient,
  type ValidationResult,
} from '../provider.ts';
import { login, lookupSelf, renewSelf } from './auth/login.ts';
import { planAuth, type AuthPlan } from './auth/methods.ts';
import { getAllSecrets } from './find.ts';
import { statusError, type VaultHttp, type VaultRequest, type VaultResponse } from './http.ts';
import type { KvLayout } from './paths.ts';
import { deleteSecret, pushSecret, secretExists } from './push.ts';
import { getSecret, getSecretMap, isObject, type KvBackend } from './read.ts';
import type { TokenCache, VaultToken } from './token-cache.ts';

export interface VaultClientParts {
  store: AnySecretStore;
  spec: VaultProvider;
  context: ProviderContext;
  http: VaultHttp;
  layout: KvLayout;
  tokens: TokenCache;
  /** Cache key of this store's credentials (see provider.ts credentialKey). */
  cacheKey: string;
  serviceAccountTokenPath?: string;
  /** A ClusterSecretStore whose auth refs resolve in the ExternalSecret's namespace. */
  referent?: boolean;
}

type RemoteKeyRef = PushSecretData['match']['remoteRef'];

export class VaultSecretsClient implements SecretsClient, KvBackend {
  readonly layout: KvLayout;
  private staticToken: string | undefined;

  constructor(private readonly parts: VaultClientParts) {
    this.layout = parts.layout;
  }

  /** Authenticates once up front so configuration errors surface from newClient. */
  async init(): Promise<void> {
    // No auth: requests go without a token. Referent cluster stores log in on first use (ESO
    // skips their login while validating the store itself).
    if (this.parts.spec.auth === undefined || this.parts.referent === true) return;
    if (this.parts.spec.auth.tokenSecretRef !== undefined) {
      await this.loadStaticToken();
      return;
    }
    await this.cachedToken();
  }

  private async loadStaticToken(): Promise<string> {
    if (this.staticToken !== undefined) return this.staticToken;
    const plan = await this.plan();
    if (plan.kind !== 'static') throw new ProviderError('vault: expected a static token');
    this.staticToken = plan.token;
    return plan.token;
  }

  private plan(): Promise<AuthPlan> {
    const { store, spec, context, serviceAccountTokenPath } = this.parts;
    return planAuth({
      store,
      spec,
      context,
      ...(serviceAccountTokenPath ? { serviceAccountTokenPath } : {}),
    });
  }

  private loginOptions() {
    const ns = this.parts.spec.auth?.namespace ?? this.parts.spec.namespace;
    return { clock: this.parts.context.clock, ...(ns !== undefined ? { namespace: ns } : {}) };
  }

  private cachedToken(): Promise<VaultToken> {
    const { http, tokens, cacheKey } = this.parts;
    return tokens.get(cacheKey, {
      login: async () => {
        const plan = await this.plan();
        if (plan.kind === 'static') throw new ProviderError('vault: unexpected static token plan');
        return login(http, plan, this.loginOptions());
      },
      renew: (t) => renewSelf(http, t, this.loginOptions()),
    });
  }

  /** An authenticated request; one fresh login and retry when Vault answers 403 to a cached token. */
  async request(req: Omit<VaultRequest, 'token'>): Promise<VaultResponse> {
    const { http, spec } = this.parts;
    if (spec.auth === undefined) return http.send(req);
    if (spec.auth.tokenSecretRef !== undefined) {
      return http.send({ ...req, token: await this.loadStaticToken() });
    }
    const first = await this.cachedToken();
    const res = await http.send({ ...req, token: first.token });
    if (res.status !== 403) return res;
    await this.parts.tokens.invalidate(this.parts.cacheKey, first.token);
    const second = await this.cachedToken();
    if (second.token === first.token) return res;
    return http.send({ ...req, token: second.token });
  }

  getSecret(ref: RemoteRef): Promise<Uint8Array> {
    return getSecret(this, ref);
  }

  getSecretMap(ref: RemoteRef): Promise<Map<string, Uint8Array>> {
    return getSecretMap(this, ref);
  }

  getAllSecrets(find: FindSpec): Promise<Map<string, Uint8Array>> {
    return getAllSecrets(this, find);
  }

  pushSecret(source: PushSource, data: PushSecretData): Promise<void> {
    return pushSecret(this, source, data, {
      checkAndSet: this.parts.spec.checkAndSet?.required === true,
    });
  }

  deleteSecret(ref: RemoteKeyRef): Promise<void> {
    return deleteSecret(this, ref);
  }

  secretExists(ref: RemoteKeyRef): Promise<boolean> {
    return secretExists(this, ref);
  }

  /** Reachable, credentials valid, mount present with the configured KV version. */
  async validate(): Promise<ValidationResult> {
    const { http, spec } = this.parts;
    if (this.parts.referent === true) return 'Unknown';
    if (spec.auth !== undefined) {
      const token =
        spec.auth.tokenSecretRef !== undefined
          ? await this.loadStaticToken()
          : (await this.cachedToken()).token;
      try {
        await lookupSelf(http, token, this.loginOptions().namespace);
      } catch (e) {
        throw new ProviderError(
          `invalid vault credentials: ${(e as Error).message}`,
          {
            ...(e instanceof ProviderError && e.details.status !== undefined
              ? { status: e.details.status }
              : {}),
          },
          { cause: e },
        );
      }
    }
    await this.checkMount();
    return 'Ready';
  }

  private async checkMount(): Promise<void> {
    const mount = this.layout.mount;
    if (mount === undefined) return;
    const req = { method: 'GET' as const, path: `sys/internal/ui/mounts/${mount}` };
    const res = await this.request(req);
    const detail = statusError(req, res).message;
    // Vault answers a missing mount, or one the token cannot touch at all, with a preflight 403.
    if (
      res.status === 400 ||
      res.status === 404 ||
      (res.status === 403 && detail.includes('preflight'))
    ) {
      throw new ProviderError(
        `vault: mount "${mount}" does not exist or the token has no access to it (${detail})`,
        { status: res.status },
      );
    }
    if (res.status === 403) return; // the policy may not allow this endpoint; reads will tell
    if (res.status < 200 || res.status > 299) throw statusError(req, res);
    const data = isObject(res.body) ? res.body.data : undefined;
    const type = isObject(data) ? data.type : undefined;
    const options = isObject(data) ? data.options : undefined;
    const version = isObject(options) && options.version === '2' ? 'v2' : 'v1';
    if (type === 'kv' && version !== this.layout.version) {
      throw new ProviderError(
        `vault: mount "${mount}" is KV ${version} but the store says version ${this.layout.version}`,
      );
    }
  }

  /** Tokens stay cached for other clients; static tokens are never revoked. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
