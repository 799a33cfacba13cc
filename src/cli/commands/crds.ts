import { stringify } from 'yaml';
import { UsageError } from '../../errors.ts';
import { buildCrds } from '../../api/crds.ts';
import type { Command } from '../command.ts';

/** Renders the CRDs as one multi-document YAML stream, byte-for-byte the same on every run. */
export function renderCrdsYaml(): string {
  return buildCrds()
    .map((crd) => `---\n${stringify(crd, { aliasDuplicateObjects: false, lineWidth: 0 })}`)
    .join('');
}

export const crdsCommand: Command = {
  name: 'crds',
  summary: 'print the external-secrets.io CustomResourceDefinitions as YAML',
  usage: 'ferry crds [-o yaml|json]',
  run(args, io) {
    let format = 'yaml';
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === '-o' || arg === '--output') {
        format = args[++i] ?? '';
      } else if (arg?.startsWith('--output=')) {
        format = arg.slice('--output='.length);
      } else {
        throw new UsageError(
          `unexpected argument ${JSON.stringify(arg)}; usage: ferry crds [-o yaml|json]`,
        );
      }
    }
    if (format === 'yaml') io.stdout.write(renderCrdsYaml());
    else if (format === 'json')
      io.stdout.write(
        `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: buildCrds() }, null, 2)}\n`,
      );
    else throw new UsageError(`unknown output format ${JSON.stringify(format)}; use yaml or json`);
    return Promise.resolve(0);
  },
};
