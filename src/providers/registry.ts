/**
 * Providers keyed by their `spec.provider` key (ESO's registry). Built once by the caller with its
 * collaborators (token cache, …); no module state.
 */
import type { AnySecretStore } from '../api/types.ts';
import { type StoreCircuitBreaker, withCircuitBreaker } from './circuit-breaker.ts';
import { createFakeProvider } from './fake/provider.ts';
import { ServiceAccountTokenCache } from './kubernetes/service-account-tokens.ts';
import { createKubernetesProvider } from './kubernetes/provider.ts';
import { type Provider, StoreConfigError } from './provider.ts';
import { createVaultProvider, type VaultProviderOptions } from './vault/provider.ts';
import { TokenCache } from './vault/token-cache.ts';
import type { Clock } from './provider.ts';

export class ProviderRegistry {
  private readonly providers = new Map<string, Provider>();
  /** What `forStore` hands out: each provider behind the store circuit breaker, when there is one. */
  private readonly guarded = new Map<string, Provider>();

  /** With a `breaker`, every client `forStore` opens passes it (ADR 0014). */
  constructor(private readonly breaker?: StoreCircuitBreaker) {}

  register(provider: Provider): this {
    if (this.providers.has(provider.key))
      throw new Error(`provider ${provider.key} is already registered`);
    this.providers.set(provider.key, provider);
    this.guarded.set(
      provider.key,
      this.breaker ? withCircuitBreaker(provider, this.breaker) : provider,
    );
    return this;
  }

  get(key: string): Provider | undefined {
    return this.providers.get(key);
  }

  keys(): string[] {
    return [...this.providers.keys()];
  }

  /** The provider of a store: exactly one `spec.provider` key, and one we know. */
  forStore(store: AnySecretStore): Provider {
    const keys = Object.keys(store.spec.provider).filter(
      (k) => store.spec.provider[k] !== undefined,
    );
    if (keys.length !== 1) {
      throw new StoreConfigError(
        `store error for ${store.metadata.name ?? ''}: secret stores must only have exactly one backend specified, found ${String(keys.length)}`,
      );
    }
    const key = keys[0] ?? '';
    const provider = this.guarded.get(key);
    if (provider === undefined)
      throw new StoreConfigError(
        `store ${store.metadata.name ?? ''}: provider "${key}" is not supported by Ferry`,
      );
    return provider;
  }
}

export interface DefaultRegistryOptions {
  clock: Clock;
  /** Counts Vault logins (ferry_vault_logins_total{method}). */
  onVaultLogin?: (method: string) => void;
  vault?: Partial<VaultProviderOptions>;
  /** Puts every provider's clients behind this per-store circuit breaker. */
  circuitBreaker?: StoreCircuitBreaker;
}

/** vault, openBao (same client and token cache), kubernetes and fake. */
export function createDefaultRegistry(options: DefaultRegistryOptions): ProviderRegistry {
  const tokens =
    options.vault?.tokens ??
    new TokenCache({
      clock: options.clock,
      ...(options.onVaultLogin ? { onLogin: options.onVaultLogin } : {}),
    });
  return new ProviderRegistry(options.circuitBreaker)
    .register(createVaultProvider({ ...options.vault, tokens, key: 'vault' }))
    .register(createVaultProvider({ ...options.vault, tokens, key: 'openBao' }))
    .register(
      createKubernetesProvider({
        serviceAccountTokens: new ServiceAccountTokenCache({ clock: options.clock }),
      }),
    )
    .register(createFakeProvider());
}
