/**
 * ESO's `fake` provider (eso.md §5.2): `spec.provider.fake.data[]` entries looked up by
 * `key + version`, PushSecret entries that survive re-creation, `validationResult`. Its database
 * belongs to the provider instance (keyed by store name, as ESO), never to the module.
 */
import type {
  AnySecretStore,
  FakeProvider,
  FindSpec,
  PushSecretData,
  RemoteRef,
} from '../../api/types.ts';
import { gjsonGet, gjsonString } from '../../secretdata/gjson.ts';
import { goJsonMarshal, JsonNumber, parseJson, type JsonValue } from '../../secretdata/gojson.ts';
import { compileGoRegexp } from '../../template/funcs/goregexp.ts';
import {
  NoSecretError,
  ProviderError,
  StoreConfigError,
  type Provider,
  type PushSource,
  type SecretsClient,
  type ValidationResult,
} from '../provider.ts';

interface Entry {
  value: string;
  version: string;
  origin: 'SecretStore' | 'SetSecret';
}

type Db = Map<string, Entry>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function fakeSpec(store: AnySecretStore): FakeProvider {
  const spec = store.spec.provider.fake;
  if (spec === undefined) throw new StoreConfigError('store has no spec.provider.fake');
  return spec;
}

/** ESO's ConvertKeys for find results: Default maps bad runes to `_`, Unicode to `_U%04x_`. */
export function convertKey(key: string, strategy: FindSpec['conversionStrategy']): string {
  return Array.from(key)
    .map((ch) => {
      if (/^[-._a-zA-Z0-9]$/.test(ch)) return ch;
      return strategy === 'Unicode'
        ? `_U${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}_`
        : '_';
    })
    .join('');
}

function lookup(db: Db, ref: RemoteRef): Entry {
  const version = ref.version ?? '';
  const entry = db.get(ref.key + version);
  if (entry?.version !== version) throw new NoSecretError();
  return entry;
}

function property(value: string, path: string): string {
  let r;
  try {
    r = gjsonGet(value, path);
  } catch {
    throw new NoSecretError(); // gjson on non-JSON finds nothing
  }
  if (!r.exists) throw new NoSecretError();
  return gjsonString(r);
}

function member(v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.text;
  return goJsonMarshal(v, { escapeHtml: false });
}

class FakeClient implements SecretsClient {
  constructor(
    private readonly db: Db,
    private readonly validationResult: number | undefined,
  ) {}

  async getSecret(ref: RemoteRef): Promise<Uint8Array> {
    await Promise.resolve();
    const entry = lookup(this.db, ref);
    return encoder.encode(ref.property ? property(entry.value, ref.property) : entry.value);
  }

  async getSecretMap(ref: RemoteRef): Promise<Map<string, Uint8Array>> {
    const text = decoder.decode(await this.getSecret(ref));
    let parsed: JsonValue;
    try {
      parsed = parseJson(text);
    } catch (e) {
      throw new ProviderError(
        `unable to unmarshal secret: ${(e as Error).message}`,
        {},
        { cause: e },
      );
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      parsed instanceof JsonNumber
    ) {
      throw new ProviderError('unable to unmarshal secret: not a JSON object');
    }
    return new Map(Object.entries(parsed).map(([k, v]) => [k, encoder.encode(member(v))]));
  }

  getAllSecrets(find: FindSpec): Promise<Map<string, Uint8Array>> {
    if (find.name?.regexp === undefined) {
      return Promise.reject(
        new StoreConfigError('unsupported find operator: only find.name.regexp is supported'),
      );
    }
    const re = compileGoRegexp(find.name.regexp);
    const latest = new Map<string, Entry>();
    for (const [mapKey, entry] of this.db) {
      const key = mapKey.slice(0, mapKey.length - entry.version.length);
      re.lastIndex = 0;
      if (!re.test(key)) continue;
      const seen = latest.get(key);
      if (seen === undefined || seen.version < entry.version) latest.set(key, entry);
    }
    const out = new Map<string, Uint8Array>();
    for (const [key, entry] of latest)
      out.set(convertKey(key, find.conversionStrategy), encoder.encode(entry.value));
    return Promise.resolve(out);
  }

  pushSecret(source: PushSource, data: PushSecretData): Promise<void> {
    const value = decoder.decode(source.data.get(data.match.secretKey ?? '') ?? new Uint8Array());
    const key = data.match.remoteRef.remoteKey;
    const current = this.db.get(key);
    if (current !== undefined && current.origin !== 'SetSecret') {
      return Promise.reject(new ProviderError('key already exists'));
    }
    this.db.set(key, { value, version: '', origin: 'SetSecret' });
    return Promise.resolve();
  }

  deleteSecret(): Promise<void> {
    return Promise.resolve();
  }

  secretExists(ref: PushSecretData['match']['remoteRef']): Promise<boolean> {
    return Promise.resolve(this.db.has(ref.remoteKey));
  }

  validate(): Promise<ValidationResult> {
    if (this.validationResult === 1) return Promise.resolve('Unknown');
    if (this.validationResult === 2) return Promise.reject(new ProviderError('unable to validate'));
    return Promise.resolve('Ready');
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A fake provider with its own in-memory database. */
export function createFakeProvider(): Provider {
  const databases = new Map<string, Db>();
  return {
    key: 'fake',
    capabilities: () => 'ReadWrite',
    validateStore(store) {
      const spec = fakeSpec(store);
      spec.data.forEach((d, pos) => {
        if (!d.key) throw new StoreConfigError(`key must be set in data ${String(pos)}`);
        if (!d.value)
          throw new StoreConfigError(`at least one value must be set in data ${String(pos)}`);
      });
      return [];
    },
    newClient(store) {
      const spec = fakeSpec(store);
      const name = store.metadata.name ?? '';
      const db = databases.get(name) ?? new Map<string, Entry>();
      for (const [k, e] of db) if (e.origin === 'SecretStore') db.delete(k);
      for (const d of spec.data) {
        const version = d.version ?? '';
        db.set(d.key + version, { value: d.value, version, origin: 'SecretStore' });
      }
      databases.set(name, db);
      return Promise.resolve(new FakeClient(db, spec.validationResult));
    },
  };
}
