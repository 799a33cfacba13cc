/* eslint-disable @typescript-eslint/no-unnecessary-condition -- assert.equal narrows types; optional chains keep each assertion independent of the ones before it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifests } from './manifest-source.ts';

const text = `# leading comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: first
---
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: second
spec:
  data:
    - secretKey: a
      remoteRef:
        key: k
    - secretKey: b
      remoteRef: {}
`;

void describe('parseManifests', () => {
  void it('skips empty documents and keeps document order', () => {
    const { objects, errors } = parseManifests(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      objects.map((o) => [
        o.documentIndex,
        (o.object as { metadata: { name: string } }).metadata.name,
      ]),
      [
        [0, 'first'],
        [2, 'second'],
      ],
    );
    assert.deepEqual(objects[1]?.position, { line: 8, col: 1 });
  });

  void it('maps field paths to the line and column of the key', () => {
    const es = parseManifests(text).objects[1]!;
    assert.deepEqual(es.locate(['spec', 'data', 0, 'remoteRef', 'key']), { line: 16, col: 9 });
    assert.deepEqual(es.locate(['spec', 'data', 1]), { line: 17, col: 7 });
    // A missing field points at its nearest existing parent.
    assert.deepEqual(es.locate(['spec', 'data', 1, 'remoteRef', 'key']), { line: 18, col: 7 });
    assert.deepEqual(es.locate(['spec', 'nope', 'deeper']), { line: 12, col: 1 });
  });

  void it('reports the first syntax error of a broken document with its position', () => {
    const { objects, errors } = parseManifests('a: 1\n---\nb: [1\n---\nc: 3\n');
    assert.equal(objects.length, 2);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.documentIndex, 1);
    assert.equal(errors[0]?.position.line, 4);
  });

  void it('rejects duplicate keys, as kubectl does', () => {
    const { errors } = parseManifests('a: 1\na: 2\n');
    assert.match(errors[0]?.message ?? '', /unique/);
    assert.deepEqual(errors[0]?.position, { line: 2, col: 1 });
  });

  void it('expands kind: List items with their own positions', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n  - kind: A\n  - kind: B\n    spec: {x: 1}\n';
    const { objects } = parseManifests(list);
    assert.deepEqual(
      objects.map((o) => (o.object as { kind: string }).kind),
      ['A', 'B'],
    );
    assert.deepEqual(objects[1]?.locate(['spec', 'x']), { line: 6, col: 12 });
  });
});
