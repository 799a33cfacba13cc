import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namespaceAllowed, needsNamespaceLabels, selectorMatches } from './conditions.ts';

describe('ClusterSecretStore conditions', () => {
  it('allows every namespace without conditions', () => {
    assert.equal(namespaceAllowed(undefined, 'a', {}), true);
    assert.equal(namespaceAllowed([], 'a', {}), true);
  });

  it('matches names, regexes and selectors; any one condition suffices', () => {
    const conditions = [{ namespaces: ['a'] }, { namespaceRegexes: ['^team-'] }];
    assert.equal(namespaceAllowed(conditions, 'a', {}), true);
    assert.equal(namespaceAllowed(conditions, 'team-x', {}), true);
    assert.equal(namespaceAllowed(conditions, 'b', {}), false);
    const bySelector = [{ namespaceSelector: { matchLabels: { env: 'prod' } } }];
    assert.equal(needsNamespaceLabels(bySelector), true);
    assert.equal(needsNamespaceLabels(conditions), false);
    assert.equal(namespaceAllowed(bySelector, 'x', { env: 'prod' }), true);
    assert.equal(namespaceAllowed(bySelector, 'x', { env: 'dev' }), false);
  });

  it('lets any field of one condition match, as ESO does', () => {
    const both = [{ namespaces: ['a'], namespaceSelector: { matchLabels: { env: 'prod' } } }];
    assert.equal(namespaceAllowed(both, 'a', {}), true);
    assert.equal(namespaceAllowed(both, 'b', { env: 'prod' }), true);
    assert.equal(namespaceAllowed(both, 'b', { env: 'dev' }), false);
    const withRegex = [{ namespaces: ['a'], namespaceRegexes: ['team'] }];
    assert.equal(namespaceAllowed(withRegex, 'my-team-x', {}), true, 'regexes are unanchored');
  });

  it('reads namespaceRegexes with Go (RE2) rules, and a pattern Go rejects denies', () => {
    // (?P<name>) is RE2 syntax JavaScript rejects; a lookahead is JavaScript syntax RE2 rejects.
    assert.equal(
      namespaceAllowed([{ namespaceRegexes: ['^(?P<team>t-[a-z]+)$'] }], 't-web', {}),
      true,
    );
    assert.equal(namespaceAllowed([{ namespaceRegexes: ['^t-(?!x)'] }], 't-web', {}), false);
  });

  it('lets an empty condition match nothing', () => {
    assert.equal(namespaceAllowed([{}], 'a', {}), false);
    assert.equal(namespaceAllowed([{}, { namespaces: ['a'] }], 'a', {}), true);
  });

  it('evaluates matchExpressions operators', () => {
    const labels = { tier: 'web' };
    const sel = (operator: string, values?: string[]) => ({
      matchExpressions: [{ key: 'tier', operator, ...(values ? { values } : {}) }],
    });
    assert.equal(selectorMatches(sel('In', ['web', 'db']), labels), true);
    assert.equal(selectorMatches(sel('NotIn', ['web']), labels), false);
    assert.equal(selectorMatches(sel('Exists'), labels), true);
    assert.equal(selectorMatches(sel('DoesNotExist'), labels), false);
    assert.equal(selectorMatches(sel('Bogus'), labels), false);
  });
});
