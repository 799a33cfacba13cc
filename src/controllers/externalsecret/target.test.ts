import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepExternalSecretManagedFields } from './target.ts';

describe('keepExternalSecretManagedFields', () => {
  it("keeps only ESO's per-ExternalSecret field managers", () => {
    const mine = { manager: 'externalsecrets.external-secrets.io/app', fieldsV1: { 'f:data': {} } };
    const secret = {
      metadata: {
        name: 's',
        managedFields: [{ manager: 'kubectl-edit', fieldsV1: {} }, mine, null, 'junk'],
      },
    };
    assert.deepEqual(keepExternalSecretManagedFields(secret).metadata.managedFields, [mine]);
  });

  it('drops managedFields without such an entry', () => {
    const secret = { metadata: { name: 's', managedFields: [{ manager: 'kubectl' }] } };
    assert.equal('managedFields' in keepExternalSecretManagedFields(secret).metadata, false);
  });
});
