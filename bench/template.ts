/**
 * Template engine benchmark: a 20-key ESO-style template (base64, JSON, sprig) rendered by
 * Ferry's engine and by the Go oracle's bench mode in the same run. One "render" is the whole
 * 20-key set, parsed and executed key by key as ESO does on every sync.
 *
 *   npm run bench:template [-- --n 2000]
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { loadEngine } from '../test/template/engine.ts';
import { buildOracle, oracleBinary, type TemplateCase } from '../test/template/oracle.ts';

const data: Record<string, string> = {
  username: 'app-user',
  password: 'c0rrect-h0rse:battery/staple',
  host: 'db.internal.example.com',
  port: '5432',
  database: 'orders',
  'api-key': 'ak_live_0123456789abcdef',
  config: '{"region":"eu-west-1","replicas":3,"features":{"beta":true,"tags":["a","b"]}}',
  cert: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ...',
  token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmZXJyeSJ9.c2lnbmF0dXJl',
  extra: 'alpha,beta,gamma,delta',
};

const templates: Record<string, string> = {
  dsn: 'postgres://{{ .username }}:{{ .password | urlquery }}@{{ .host }}:{{ .port }}/{{ .database }}?sslmode=require',
  user: '{{ .username }}',
  pass_b64: '{{ .password | b64enc }}',
  pass_roundtrip: '{{ .password | b64enc | b64dec }}',
  api_key: '{{ index . "api-key" | trim | upper }}',
  region: '{{ (.config | fromJson).region }}',
  replicas: '{{ (.config | fromJson).replicas | int | add 1 }}',
  beta: '{{ if (.config | fromJson).features.beta }}enabled{{ else }}disabled{{ end }}',
  tags: '{{ (.config | fromJson).features.tags | join "," }}',
  config_yaml: '{{ .config | fromJson | toYaml }}',
  config_pretty: '{{ .config | fromJson | toPrettyJson }}',
  docker: '{"auths":{"{{ .host }}":{"auth":"{{ printf "%s:%s" .username .password | b64enc }}"}}}',
  cert: '{{ .cert | b64dec | b64enc }}',
  hash: '{{ .password | sha256sum }}',
  env: 'DB_HOST={{ .host }}\nDB_PORT={{ .port }}\nDB_NAME={{ .database | quote }}\n',
  list: '{{ range $i, $e := splitList "," .extra }}{{ if $i }};{{ end }}{{ $e | title }}{{ end }}',
  default: '{{ index . "nope" | default "fallback" }}',
  jwt_sub: '{{ (index (splitList "." .token) 1) | b64dec | fromJson | dig "sub" "" }}',
  json: '{{ dict "user" .username "port" (.port | atoi) "hosts" (list .host "replica") | toJson }}',
  props:
    '{{- range $k, $v := . }}{{ if hasPrefix "p" $k }}{{ $k }}={{ $v | len }}\n{{ end }}{{- end }}',
};

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

interface GoBench {
  n: number;
  nsPerOp: number;
  nsPerOpExecOnly: number;
  outputBytes: number;
}

function benchGo(n: number): GoBench {
  const req = JSON.stringify({ templates, data, dataKind: 'stringMap', missingKey: 'error', n });
  const res = spawnSync(oracleBinary, ['bench'], {
    input: req,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  if (res.status !== 0) throw new Error(`template-oracle bench failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as GoBench;
}

async function main(): Promise<void> {
  const engine = await loadEngine();
  if (typeof engine === 'string') throw new Error(engine);
  const problem = buildOracle();
  if (problem !== null) throw new Error(problem);
  const n = arg('n', 2000);
  const keys = Object.keys(templates).sort();
  const cases: TemplateCase[] = keys.map((k) => ({
    id: k,
    name: k,
    template: templates[k]!,
    data,
    dataKind: 'stringMap',
    missingKey: 'error',
  }));
  // Warm up and check every key renders (a failing key would make the numbers meaningless).
  for (const c of cases) {
    const r = engine.render(c);
    if (!r.ok) throw new Error(`key ${c.id} fails in Ferry's engine: ${r.error}`);
  }
  for (let i = 0; i < 200; i++) for (const c of cases) engine.render(c);
  const start = performance.now();
  for (let i = 0; i < n; i++) for (const c of cases) engine.render(c);
  const oursNs = ((performance.now() - start) * 1e6) / n;
  const go = benchGo(n);
  const rate = (ns: number): string => `${Math.round(1e9 / ns).toLocaleString('en-US')}/s`;
  const ratio = go.nsPerOp / oursNs;
  console.log(
    `template bench: ${keys.length}-key ESO-style template, ${n} renders each (parse + execute per key, as ESO)`,
  );
  console.log(`  ferry: ${rate(oursNs)}  (${(oursNs / 1000).toFixed(1)} µs/render)`);
  console.log(
    `  go:    ${rate(go.nsPerOp)}  (${(go.nsPerOp / 1000).toFixed(1)} µs/render; execute only: ${(go.nsPerOpExecOnly / 1000).toFixed(1)} µs)`,
  );
  console.log(`  ratio ferry/go: ${ratio.toFixed(2)}× (goal ≥ 0.50×)`);
}

await main();
