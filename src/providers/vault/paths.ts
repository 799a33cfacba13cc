/**
 * KV path building, exactly as ESO's `buildPath` / `buildMetadataPath` (eso.md §4.2, §9.22).
 * Keys for metadata, find and push are relative to the mount; data keys may repeat the mount.
 */
import { StoreConfigError } from '../provider.ts';

export interface KvLayout {
  /** `spec.path`, the KV mount; may itself contain slashes (`secret/path`). */
  mount?: string;
  version: 'v1' | 'v2';
}

/** The data path of `key`: `M/data/<rest>` (v2) or `M/<rest>` (v1). */
export function buildDataPath(layout: KvLayout, key: string): string {
  const { mount, version } = layout;
  if (mount !== undefined) {
    let rest = key;
    const cut = `${mount}/`;
    // ESO's known quirk: a secret literally named like its mount loses that segment.
    if (rest.startsWith(cut)) {
      rest = rest.slice(cut.length);
      if (version === 'v2' && rest.startsWith('data/')) rest = rest.slice('data/'.length);
    }
    return version === 'v2' ? `${mount}/data/${rest}` : `${mount}/${rest}`;
  }
  if (version === 'v2' && !key.includes('/data/')) {
    const [first, ...others] = key.split('/');
    return [first, 'data', ...others].join('/');
  }
  return key;
}

/** The metadata path of `key` (no prefix stripping, as ESO). */
export function buildMetadataPath(layout: KvLayout, key: string): string {
  const { mount, version } = layout;
  if (version === 'v1') {
    if (mount === undefined) {
      throw new StoreConfigError(
        'vault: spec.provider.vault.path is required for KV v1 metadata, find and push',
      );
    }
    return `${mount}/${key}`;
  }
  if (mount !== undefined) return `${mount}/metadata/${key}`;
  if (!key.includes('data')) throw new StoreConfigError("provided Path isn't a valid kv v2 path");
  return key.replace('/data/', '/metadata/');
}
