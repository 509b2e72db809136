/**
 * Loads what the deployment checks look at: every YAML document under deploy/, the
 * Dockerfile, and — from the services' own source, read as text — the environment
 * variables each service reads, its HTTP port variable and the endpoints it serves.
 * Everything is plain data, so a test can break a copy on purpose and check the checker.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { BUS_PERMISSIONS } from '@rxscan/bus';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** What a check found wrong, as a sentence naming the file and object. */
export type Problem = string;

export interface YamlDoc {
  /** Path relative to the repository root, e.g. deploy/k8s/nats.yaml. */
  file: string;
  /** Position in a multi-document file. */
  index: number;
  obj: Obj;
}

export interface ServiceSource {
  /** Package folder name: ingest, ocr-worker, med-store, web. */
  name: string;
  /** The service's entry point relative to the repository root, as the image runs it. */
  main: string;
  configFiles: string[];
  /** Variables the service reads (its config, the bus options, the logger). */
  env: Set<string>;
  /** Variables read without a default: the service refuses to start without them. */
  required: Set<string>;
  /** The variable holding the port of its HTTP server, and that variable's default. */
  port: { env: string; fallback: number } | null;
  /** Paths served on that port (of /healthz, /readyz, /metrics). */
  endpoints: string[];
  /** A second port for Prometheus (web's WEB_METRICS_PORT), and what it serves; null when /metrics is on the main port. */
  metricsPort: { env: string; fallback: number; endpoints: string[] } | null;
}

export interface DeployInput {
  /** Every file under deploy/, relative to the repository root. */
  files: string[];
  /** Every YAML document under deploy/ (Kubernetes objects, kustomizations, compose). */
  docs: YamlDoc[];
  /** YAML syntax errors, as "file: message". */
  parseErrors: string[];
  /** deploy/Dockerfile, or null. */
  dockerfile: string | null;
  /** Other text files the checks read (deploy/.gitignore, deploy/.env.example, deploy/nats.conf). */
  texts: Record<string, string>;
  /** Workspaces of the root package.json. */
  workspaces: string[];
  /** Deployable services (packages with a main.ts), by package folder name. */
  services: Record<string, ServiceSource>;
  /** Every variable any service reads. */
  knownEnv: Set<string>;
  /** BUS_PERMISSIONS (packages/bus/src/role.permissions.ts): what each NATS user of deploy/ must be allowed. */
  busPermissions: Record<string, { publish: string[]; subscribe: string[] }>;
}

export const ENDPOINT_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

function walk(dir: string, root: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(full, root, out);
    } else {
      out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  }
  return out.sort();
}

const isSource = (f: string) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts');

/** Environment variable names read in a source text as `envX(env, 'NAME'…)`. */
export function envNamesIn(text: string): { names: Set<string>; required: Set<string> } {
  const names = new Set<string>();
  const required = new Set<string>();
  for (const m of text.matchAll(/\b(env[A-Z]\w*)\(\s*env\s*,\s*'([A-Z][A-Z0-9_]*)'\s*([),])/g)) {
    names.add(m[2]!);
    // envString(env, 'NAME') without a fallback throws "NAME must be set".
    if (m[1] === 'envString' && m[3] === ')') required.add(m[2]!);
  }
  return { names, required };
}

/** The body of `export function NAME(…) {…}` (to the first closing brace at column 0). */
function functionBody(text: string, name: string): string {
  const start = text.indexOf(`function ${name}(`);
  if (start < 0) return '';
  const end = text.indexOf('\n}', start);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Where tsc puts a package's source file (rootDir and outDir of its tsconfig.json). */
function compiledPath(root: string, pkg: string, source: string): string {
  const dir = `packages/${pkg}`;
  let rootDir = 'src';
  let outDir = 'dist';
  try {
    const ts = JSON.parse(readFileSync(path.join(root, dir, 'tsconfig.json'), 'utf8')) as { compilerOptions?: { rootDir?: string; outDir?: string } };
    rootDir = ts.compilerOptions?.rootDir ?? rootDir;
    outDir = ts.compilerOptions?.outDir ?? outDir;
  } catch {
    // no tsconfig.json, or not plain JSON: the defaults of this repository
  }
  const rel = path.posix.relative(path.posix.join(dir, rootDir), source).replace(/\.ts$/, '.js');
  return path.posix.join(dir, outDir, rel);
}

/** Reads what each deployable service expects from its environment, from its source. */
export function loadServiceSources(root: string): { services: Record<string, ServiceSource>; knownEnv: Set<string> } {
  const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');
  const packagesDir = path.join(root, 'packages');

  const busFile = 'packages/bus/src/bus.connection.ts';
  const bus = existsSync(path.join(root, busFile)) ? envNamesIn(functionBody(read(busFile), 'busOptionsFromEnv')) : { names: new Set<string>(), required: new Set<string>() };
  // createLogger (service-kit) reads LOG_LEVEL straight from process.env.
  const loggerFile = 'packages/service-kit/src/service.lifecycle.ts';
  const loggerEnv = existsSync(path.join(root, loggerFile)) ? [...read(loggerFile).matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!) : [];
  const opsServerFile = 'packages/service-kit/src/service.metrics.ts';

  const services: Record<string, ServiceSource> = {};
  const knownEnv = new Set<string>();
  for (const pkg of readdirSync(packagesDir).sort()) {
    const src = walk(path.join(packagesDir, pkg, 'src'), root).filter(isSource);
    const configFiles = src.filter((f) => path.basename(f) === 'config.ts');
    const env = new Set<string>();
    const required = new Set<string>();
    let port: ServiceSource['port'] = null;
    let metricsPort: { env: string; fallback: number } | null = null;
    for (const f of configFiles) {
      const text = read(f);
      const found = envNamesIn(text);
      found.names.forEach((n) => env.add(n));
      found.required.forEach((n) => required.add(n));
      if (text.includes('busOptionsFromEnv(')) {
        bus.names.forEach((n) => env.add(n));
        bus.required.forEach((n) => required.add(n));
      }
      // `port: envInt(env, 'INGEST_PORT', 8081, …)` (the worker's is `opsPort`).
      const p = text.match(/\b(?:port|opsPort)\s*:\s*envInt\(\s*env\s*,\s*'([A-Z][A-Z0-9_]*)'\s*,\s*(\d+)/);
      if (p) port = { env: p[1]!, fallback: Number(p[2]) };
      // `metricsPort: envInt(env, 'WEB_METRICS_PORT', 8084, …)`: /metrics on a port of its own.
      const mp = text.match(/\bmetricsPort\s*:\s*envInt\(\s*env\s*,\s*'([A-Z][A-Z0-9_]*)'\s*,\s*(\d+)/);
      if (mp) metricsPort = { env: mp[1]!, fallback: Number(mp[2]) };
    }
    env.forEach((n) => knownEnv.add(n));
    const main = src.find((f) => path.basename(f) === 'main.ts');
    if (!main || configFiles.length === 0) continue;
    loggerEnv.forEach((n) => env.add(n));
    // Endpoints: path literals in the package's own code, or those of service-kit's ops
    // server when the package uses it (the worker).
    const code = src.map(read).join('\n');
    const endpoints = new Set<string>(ENDPOINT_PATHS.filter((p) => code.includes(`'${p}'`)));
    if (code.includes('metricsMiddleware(')) endpoints.add('/metrics');
    const opsEndpoints: string[] = [];
    if (code.includes('createOpsServer(') && existsSync(path.join(root, opsServerFile))) {
      const ops = functionBody(read(opsServerFile), 'createOpsServer');
      opsEndpoints.push(...ENDPOINT_PATHS.filter((p) => ops.includes(`'${p}'`)));
    }
    // The ops server is the service's only server (the worker), or its metrics port (web).
    if (!metricsPort) opsEndpoints.forEach((p) => endpoints.add(p));
    services[pkg] = {
      name: pkg,
      main: compiledPath(root, pkg, main),
      configFiles,
      env,
      required,
      port,
      endpoints: [...endpoints].sort(),
      metricsPort: metricsPort && { ...metricsPort, endpoints: [...opsEndpoints].sort() },
    };
  }
  loggerEnv.forEach((n) => knownEnv.add(n));
  return { services, knownEnv };
}

/** Everything under deploy/ plus the service sources. */
export function loadDeployInput(root: string): DeployInput {
  const deployDir = path.join(root, 'deploy');
  // Filled-in copies of the examples (secret.yaml, .env) are git-ignored local files: not
  // part of what is shipped, so not checked (and a developer's copy cannot fail the tests).
  const ignorePath = path.join(deployDir, '.gitignore');
  const ignored = existsSync(ignorePath)
    ? readFileSync(ignorePath, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
    : [];
  const isIgnored = (file: string) => {
    const rel = path.posix.relative('deploy', file);
    return ignored.some((pattern) => (pattern.startsWith('/') ? rel === pattern.slice(1) : rel === pattern || path.posix.basename(rel) === pattern));
  };
  const files = walk(deployDir, root).filter((f) => !isIgnored(f));
  const docs: YamlDoc[] = [];
  const parseErrors: string[] = [];
  for (const file of files.filter((f) => /\.ya?ml$/.test(f))) {
    // merge: compose files use `<<: *anchor`.
    const parsed = parseAllDocuments(readFileSync(path.join(root, file), 'utf8'), { merge: true });
    const list = Array.isArray(parsed) ? parsed : [];
    list.forEach((doc, index) => {
      for (const e of doc.errors) parseErrors.push(`${file}: ${e.message}`);
      const obj = doc.toJS({ maxAliasCount: 1000 }) as unknown;
      if (obj && typeof obj === 'object') docs.push({ file, index, obj: obj as Obj });
    });
  }
  const dockerfilePath = path.join(deployDir, 'Dockerfile');
  const texts: Record<string, string> = {};
  for (const f of files) {
    const base = path.basename(f);
    if (base === '.gitignore' || base.startsWith('.env') || base.endsWith('.dockerignore') || base.endsWith('.conf')) texts[f] = readFileSync(path.join(root, f), 'utf8');
  }
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  const { services, knownEnv } = loadServiceSources(root);
  return {
    files,
    docs,
    parseErrors,
    dockerfile: existsSync(dockerfilePath) && statSync(dockerfilePath).isFile() ? readFileSync(dockerfilePath, 'utf8') : null,
    texts,
    workspaces: pkg.workspaces ?? [],
    services,
    knownEnv,
    busPermissions: structuredClone(BUS_PERMISSIONS),
  };
}

/** A deep copy to break on purpose (Sets and Maps included). */
export function cloneInput(input: DeployInput): DeployInput {
  return structuredClone(input);
}
