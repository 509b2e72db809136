/**
 * Checks of deploy/ that catch what breaks a deployment, as pure functions of a
 * DeployInput: each returns the problems it found, as sentences naming file and object.
 */
import path from 'node:path';
import type { DeployInput, Obj, ServiceSource, YamlDoc } from './deploy.model.js';

export type Problem = string;

// ---------------------------------------------------------------------------------------
// Kubernetes helpers

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
/** Where each probe of one of our services must point. */
const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;

export interface K8sObject extends YamlDoc {
  kind: string;
  name: string;
  namespace: string;
}

export interface Container {
  workload: K8sObject;
  pod: Obj;
  /** Labels of the pod template. */
  labels: Record<string, string>;
  spec: Obj;
  init: boolean;
}

const where = (d: { file: string; kind?: string; name?: string }) => (d.kind ? `${d.file} ${d.kind}/${d.name}` : d.file);

export function k8sObjects(input: DeployInput): K8sObject[] {
  return input.docs
    .filter((d) => typeof d.obj.kind === 'string' && typeof d.obj.apiVersion === 'string' && d.obj.kind !== 'Kustomization')
    .map((d) => ({ ...d, kind: d.obj.kind as string, name: String(d.obj.metadata?.name ?? ''), namespace: String(d.obj.metadata?.namespace ?? 'default') }));
}

export function kustomizations(input: DeployInput): YamlDoc[] {
  return input.docs.filter((d) => d.obj.kind === 'Kustomization' || path.basename(d.file).startsWith('kustomization.'));
}

export const composeDocs = (input: DeployInput): YamlDoc[] =>
  input.docs.filter((d) => !d.obj.kind && d.obj.services && typeof d.obj.services === 'object');

export function containers(objects: K8sObject[]): Container[] {
  const out: Container[] = [];
  for (const w of objects.filter((o) => WORKLOAD_KINDS.has(o.kind))) {
    const pod = (w.obj.spec?.template?.spec ?? {}) as Obj;
    const labels = (w.obj.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
    for (const c of (pod.initContainers ?? []) as Obj[]) out.push({ workload: w, pod, labels, spec: c, init: true });
    for (const c of (pod.containers ?? []) as Obj[]) out.push({ workload: w, pod, labels, spec: c, init: false });
  }
  return out;
}

const cname = (c: Container) => `${where(c.workload)} container ${c.spec.name}`;

/** The service (package folder) a command line runs: `node packages/<svc>/dist/main.js`. */
export function serviceOfCommand(command: unknown, input: DeployInput): ServiceSource | null {
  const line = Array.isArray(command) ? command.join(' ') : typeof command === 'string' ? command : '';
  for (const s of Object.values(input.services)) if (line.split(/\s+/).includes(s.main)) return s;
  return null;
}

const commandOf = (c: Obj) => [...((c.command ?? []) as string[]), ...((c.args ?? []) as string[])];

// ---------------------------------------------------------------------------------------
// Image references

export interface ImageRef {
  registry: string | null;
  repository: string;
  tag: string | null;
  digest: string | null;
}

export function parseImage(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const registry = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!) ? parts.shift()! : null;
  return { registry, repository: parts.join('/'), tag, digest };
}

/** Our image is the one named rxscan (ghcr.io/owner/rxscan:0.1.0). */
export const isOurImage = (ref: string) => /(^|\/)rxscan$/.test(parseImage(ref).repository);

function imageProblems(ref: unknown, at: string): Problem[] {
  if (typeof ref !== 'string' || !ref.trim()) return [`${at}: no image`];
  const img = parseImage(ref);
  const out: Problem[] = [];
  if (!img.tag && !img.digest) out.push(`${at}: image "${ref}" has no tag (it would pull :latest)`);
  if (img.tag === 'latest') out.push(`${at}: image "${ref}" uses the tag latest; name a version`);
  if (img.tag !== null && !/^[\w][\w.-]{0,127}$/.test(img.tag)) out.push(`${at}: image "${ref}" has an invalid tag`);
  // Repository paths must be lowercase: "ghcr.io/OWNER/rxscan" is an invalid reference.
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(img.repository)) {
    out.push(`${at}: image "${ref}" is not a valid reference (repository must be lowercase)`);
  }
  if (/\$\{/.test(ref)) out.push(`${at}: image "${ref}" is not resolved`);
  return out;
}

/** Compose-style interpolation: ${X:-default} and ${X-default} become the default; ${X} and ${X:?…} are unknown. */
export function interpolate(value: unknown): { value: string | null; unknown: boolean } {
  if (value === null || value === undefined) return { value: null, unknown: false };
  let unknown = false;
  const out = String(value).replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (_m, _name: string, op?: string, arg?: string) => {
    if (op === ':-' || op === '-') return arg ?? '';
    unknown = true;
    return '';
  });
  return { value: unknown ? null : out, unknown };
}

/** Applies the `images:` overrides of the kustomization that lists a file. */
function kustomizedImage(ref: string, file: string, input: DeployInput): string {
  for (const k of kustomizations(input)) {
    const dir = path.posix.dirname(k.file);
    const listed = ((k.obj.resources ?? []) as string[]).some((r) => path.posix.join(dir, r) === file);
    if (!listed) continue;
    const img = parseImage(ref);
    const name = img.registry ? `${img.registry}/${img.repository}` : img.repository;
    const o = ((k.obj.images ?? []) as Obj[]).find((i) => i.name === name);
    if (!o) continue;
    return `${o.newName ?? name}${o.digest ? `@${o.digest}` : `:${o.newTag ?? img.tag ?? ''}`}`.replace(/:$/, '');
  }
  return ref;
}

export function checkImages(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  const ours = new Set<string>();
  for (const c of containers(objects)) {
    const ref = c.spec.image as string;
    out.push(...imageProblems(ref, cname(c)));
    if (typeof ref === 'string') {
      const effective = kustomizedImage(ref, c.workload.file, input);
      if (effective !== ref) out.push(...imageProblems(effective, `${cname(c)} (after kustomize images)`));
      if (isOurImage(ref)) ours.add(effective);
    }
  }
  if (ours.size > 1) out.push(`Kubernetes manifests use different RxScan images: ${[...ours].join(', ')}; one image serves every service`);
  for (const k of kustomizations(input)) {
    for (const i of (k.obj.images ?? []) as Obj[]) {
      if (i.newTag === undefined && i.digest === undefined) out.push(`${k.file}: images entry ${i.name} sets no newTag`);
      if (i.newTag === 'latest') out.push(`${k.file}: images entry ${i.name} sets newTag latest`);
    }
  }
  for (const d of composeDocs(input)) {
    const composeOurs = new Set<string>();
    for (const [name, svc] of Object.entries(d.obj.services as Record<string, Obj>)) {
      const r = interpolate(svc.image);
      if (svc.image === undefined) {
        out.push(`${d.file} service ${name}: no image (a build alone gets no versioned name)`);
        continue;
      }
      out.push(...imageProblems(r.value ?? String(svc.image), `${d.file} service ${name}`));
      if (r.value && isOurImage(r.value)) composeOurs.add(r.value);
    }
    if (composeOurs.size > 1) out.push(`${d.file}: different RxScan images: ${[...composeOurs].join(', ')}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Environment of a Kubernetes container

export interface EnvValue {
  /** The literal value when known (plain value or ConfigMap), otherwise undefined. */
  value?: string;
  from: 'value' | 'configMap' | 'secret' | 'field' | 'other';
  explicit: boolean;
}

function findObject(objects: K8sObject[], kind: string, name: string, namespace: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.name === name && o.namespace === namespace);
}

function mapData(o: K8sObject | undefined): Record<string, string> {
  if (!o) return {};
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries((o.obj.data ?? {}) as Obj)) {
    data[k] = o.kind === 'Secret' ? Buffer.from(String(v), 'base64').toString('utf8') : String(v);
  }
  for (const [k, v] of Object.entries((o.obj.stringData ?? {}) as Obj)) data[k] = String(v);
  return data;
}

/** The container's environment as Kubernetes builds it (env wins over envFrom), with the problems of its references. */
export function containerEnv(c: Container, objects: K8sObject[]): { env: Map<string, EnvValue>; problems: Problem[] } {
  const env = new Map<string, EnvValue>();
  const problems: Problem[] = [];
  const ns = c.workload.namespace;
  for (const from of (c.spec.envFrom ?? []) as Obj[]) {
    const prefix = (from.prefix as string | undefined) ?? '';
    const ref = (from.configMapRef ?? from.secretRef) as Obj | undefined;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    if (!ref) continue;
    const o = findObject(objects, kind, ref.name, ns);
    if (!o && !ref.optional) problems.push(`${cname(c)}: envFrom ${kind} ${ref.name} is not defined in deploy/ (not even as an example)`);
    for (const [k, v] of Object.entries(mapData(o))) {
      env.set(prefix + k, kind === 'ConfigMap' ? { value: v, from: 'configMap', explicit: false } : { from: 'secret', explicit: false });
    }
  }
  for (const e of (c.spec.env ?? []) as Obj[]) {
    const name = e.name as string;
    if (e.value !== undefined) {
      env.set(name, { value: String(e.value), from: 'value', explicit: true });
      continue;
    }
    const vf = (e.valueFrom ?? {}) as Obj;
    const keyRef = (vf.configMapKeyRef ?? vf.secretKeyRef) as Obj | undefined;
    if (keyRef) {
      const kind = vf.configMapKeyRef ? 'ConfigMap' : 'Secret';
      const o = findObject(objects, kind, keyRef.name, ns);
      const data = mapData(o);
      if (!keyRef.optional && (!o || !(keyRef.key in data))) {
        problems.push(`${cname(c)}: env ${name} refers to ${kind} ${keyRef.name} key ${keyRef.key}, which deploy/ does not define`);
      }
      env.set(name, kind === 'ConfigMap' ? { value: data[keyRef.key], from: 'configMap', explicit: true } : { from: 'secret', explicit: true });
    } else if (vf.fieldRef || vf.resourceFieldRef) {
      env.set(name, { from: 'field', explicit: true });
    } else {
      env.set(name, { from: 'other', explicit: true });
    }
  }
  return { env, problems };
}

// ---------------------------------------------------------------------------------------
// Environment names

export function checkEnv(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  for (const c of containers(objects)) {
    if (!isOurImage(String(c.spec.image ?? ''))) continue;
    const svc = serviceOfCommand(commandOf(c.spec), input);
    if (!svc) {
      out.push(`${cname(c)}: runs the RxScan image without naming a service (node packages/<service>/dist/main.js)`);
      continue;
    }
    const { env, problems } = containerEnv(c, objects);
    out.push(...problems);
    for (const [name, v] of env) {
      if (!input.knownEnv.has(name)) out.push(`${cname(c)}: sets ${name}, which no packages/*/src/config.ts reads`);
      // Set explicitly for this container, so it should mean something to this service.
      else if (v.explicit && !svc.env.has(name)) out.push(`${cname(c)}: sets ${name}, which ${svc.name} does not read`);
    }
    for (const name of svc.required) if (!env.has(name)) out.push(`${cname(c)}: ${svc.name} needs ${name} (no default) and it is not set`);
  }
  for (const d of composeDocs(input)) {
    for (const [name, s] of Object.entries(d.obj.services as Record<string, Obj>)) {
      const svc = serviceOfCommand(s.command, input);
      if (!svc) {
        if (s.image && isOurImage(interpolate(s.image).value ?? '')) out.push(`${d.file} service ${name}: runs the RxScan image without naming a service`);
        continue;
      }
      const env = composeEnv(s);
      for (const key of env.keys()) if (!input.knownEnv.has(key)) out.push(`${d.file} service ${name}: sets ${key}, which no packages/*/src/config.ts reads`);
      for (const key of svc.required) if (!env.has(key)) out.push(`${d.file} service ${name}: ${svc.name} needs ${key} (no default) and it is not set`);
    }
  }
  // The image's own defaults.
  if (input.dockerfile) {
    for (const name of dockerfileFinalEnv(input.dockerfile)) {
      if (name !== 'NODE_ENV' && !input.knownEnv.has(name)) out.push(`deploy/Dockerfile: ENV ${name} is read by no service`);
    }
  }
  return out;
}

/** A compose service's environment (map or list form), values interpolated where possible. */
export function composeEnv(s: Obj): Map<string, { value: string | null }> {
  const env = new Map<string, { value: string | null }>();
  const raw = s.environment;
  if (Array.isArray(raw)) {
    for (const item of raw as string[]) {
      const eq = item.indexOf('=');
      env.set(eq < 0 ? item : item.slice(0, eq), { value: eq < 0 ? null : interpolate(item.slice(eq + 1)).value });
    }
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Obj)) env.set(k, { value: interpolate(v).value });
  }
  return env;
}

// ---------------------------------------------------------------------------------------
// Ports and probes

/** The port a service listens on, from its environment or its config's default. */
function effectivePort(svc: ServiceSource, value: string | undefined | null, known: boolean): number | null {
  if (!svc.port) return null;
  if (!known) return null;
  if (value === undefined || value === null || value.trim() === '') return svc.port.fallback;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
}

function resolvePort(port: unknown, container: Obj): number | null {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  const p = ((container.ports ?? []) as Obj[]).find((x) => x.name === port);
  return p ? Number(p.containerPort) : null;
}

/** Paths a non-RxScan image serves for probes. */
const THIRD_PARTY_PROBE_PATHS: Record<string, string[]> = { nats: ['/healthz'] };

export function checkProbes(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  for (const c of containers(objects)) {
    const image = String(c.spec.image ?? '');
    const ports = ((c.spec.ports ?? []) as Obj[]).map((p) => Number(p.containerPort));
    // Any httpGet probe must reach a declared port of its container.
    for (const kind of PROBES) {
      const probe = c.spec[kind] as Obj | undefined;
      if (!probe?.httpGet) continue;
      const port = resolvePort(probe.httpGet.port, c.spec);
      if (port === null) out.push(`${cname(c)}: ${kind} port "${probe.httpGet.port}" is not a port of the container`);
      else if (!ports.includes(port)) out.push(`${cname(c)}: ${kind} probes port ${port}, which the container does not declare`);
    }
    if (!isOurImage(image)) {
      const allowed = THIRD_PARTY_PROBE_PATHS[parseImage(image).repository];
      for (const kind of PROBES) {
        const p = (c.spec[kind] as Obj | undefined)?.httpGet?.path as string | undefined;
        if (allowed && p !== undefined && !allowed.includes(p.split('?')[0]!)) out.push(`${cname(c)}: ${kind} path ${p} is not one of ${allowed.join(', ')}`);
      }
      continue;
    }
    const svc = serviceOfCommand(commandOf(c.spec), input);
    if (!svc || c.init) continue;
    const { env } = containerEnv(c, objects);
    if (!svc.port) {
      out.push(`${cname(c)}: cannot tell which variable holds ${svc.name}'s port from its config.ts`);
      continue;
    }
    const pv = env.get(svc.port.env);
    const port = effectivePort(svc, pv?.value, !pv || pv.value !== undefined);
    if (port === null) {
      out.push(`${cname(c)}: ${svc.port.env} must be a plain number in the ConfigMap or env (got ${pv?.from ?? 'nothing'})`);
      continue;
    }
    if (!ports.includes(port)) {
      out.push(`${cname(c)}: ${svc.name} listens on ${port} (${svc.port.env}) but the container declares ports ${ports.join(', ') || 'none'}`);
    }
    for (const kind of PROBES) {
      const probe = c.spec[kind] as Obj | undefined;
      if (!probe) {
        if (kind !== 'startupProbe') out.push(`${cname(c)}: no ${kind}`);
        continue;
      }
      if (!probe.httpGet) {
        out.push(`${cname(c)}: ${kind} is not an HTTP probe of ${svc.name}'s endpoints`);
        continue;
      }
      const path = String(probe.httpGet.path ?? '/');
      const probePort = resolvePort(probe.httpGet.port, c.spec);
      if (!svc.endpoints.includes(path) || path === '/metrics') {
        out.push(`${cname(c)}: ${kind} path ${path} is not served by ${svc.name} (it has ${svc.endpoints.filter((e) => e !== '/metrics').join(', ')})`);
      }
      if (probePort !== null && probePort !== port) {
        out.push(`${cname(c)}: ${kind} probes port ${probePort} but ${svc.name} listens on ${port} (${svc.port.env})`);
      }
      // Liveness must not depend on NATS or the database, or an outage restarts everything.
      if ((kind === 'livenessProbe' || kind === 'startupProbe') && path !== '/healthz') out.push(`${cname(c)}: ${kind} must use /healthz, not ${path}`);
      if (kind === 'readinessProbe' && svc.endpoints.includes('/readyz') && path !== '/readyz') out.push(`${cname(c)}: readinessProbe should use /readyz, which ${svc.name} has`);
    }
    const ann = (c.workload.obj.spec?.template?.metadata?.annotations ?? {}) as Record<string, string>;
    if (ann['prometheus.io/scrape'] === 'true') {
      if (Number(ann['prometheus.io/port']) !== port) out.push(`${where(c.workload)}: prometheus.io/port ${ann['prometheus.io/port']} is not ${svc.name}'s port ${port}`);
      if (!svc.endpoints.includes(ann['prometheus.io/path'] ?? '/metrics')) out.push(`${where(c.workload)}: ${svc.name} serves no ${ann['prometheus.io/path'] ?? '/metrics'}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Services, Ingress, URLs between services

function selected(objects: K8sObject[], svc: K8sObject): K8sObject[] {
  const selector = (svc.obj.spec?.selector ?? {}) as Record<string, string>;
  if (Object.keys(selector).length === 0) return [];
  return objects.filter(
    (w) => WORKLOAD_KINDS.has(w.kind) && w.namespace === svc.namespace && Object.entries(selector).every(([k, v]) => w.obj.spec?.template?.metadata?.labels?.[k] === v),
  );
}

const podContainerPorts = (w: K8sObject) => ((w.obj.spec?.template?.spec?.containers ?? []) as Obj[]).flatMap((c) => (c.ports ?? []) as Obj[]);

export function checkServices(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  const services = objects.filter((o) => o.kind === 'Service');
  for (const svc of services) {
    const pods = selected(objects, svc);
    if (pods.length === 0) {
      out.push(`${where(svc)}: its selector matches no pod template`);
      continue;
    }
    for (const p of (svc.obj.spec?.ports ?? []) as Obj[]) {
      const target = p.targetPort ?? p.port;
      for (const w of pods) {
        const ok = podContainerPorts(w).some((cp) => (typeof target === 'number' ? Number(cp.containerPort) === target : cp.name === target || String(cp.containerPort) === String(target)));
        if (!ok) out.push(`${where(svc)}: targetPort ${target} is not a containerPort of ${where(w)}`);
      }
    }
  }
  // Workload selectors must select their own pod template.
  for (const w of objects.filter((o) => WORKLOAD_KINDS.has(o.kind))) {
    const match = (w.obj.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
    const labels = (w.obj.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
    if (Object.keys(match).length === 0 || !Object.entries(match).every(([k, v]) => labels[k] === v)) out.push(`${where(w)}: spec.selector does not match its pod template labels`);
    if (w.kind === 'StatefulSet' && !services.some((s) => s.name === w.obj.spec?.serviceName && s.namespace === w.namespace)) {
      out.push(`${where(w)}: serviceName ${w.obj.spec?.serviceName} is not a Service`);
    }
  }
  for (const ing of objects.filter((o) => o.kind === 'Ingress')) {
    for (const rule of (ing.obj.spec?.rules ?? []) as Obj[]) {
      for (const p of (rule.http?.paths ?? []) as Obj[]) {
        const b = p.backend?.service as Obj | undefined;
        const target = services.find((s) => s.name === b?.name && s.namespace === ing.namespace);
        if (!target) {
          out.push(`${where(ing)}: path ${p.path} goes to Service ${b?.name}, which does not exist`);
          continue;
        }
        const sp = (target.obj.spec?.ports ?? []) as Obj[];
        const ok = b?.port?.number !== undefined ? sp.some((x) => x.port === b.port.number) : sp.some((x) => x.name === b?.port?.name);
        if (!ok) out.push(`${where(ing)}: path ${p.path} uses port ${b?.port?.number ?? b?.port?.name}, which Service ${target.name} does not expose`);
      }
    }
  }
  // URLs our services use to reach each other must name a Service (or a StatefulSet pod
  // behind its headless Service) and one of its ports.
  for (const c of containers(objects)) {
    if (!isOurImage(String(c.spec.image ?? ''))) continue;
    const { env } = containerEnv(c, objects);
    for (const [name, v] of env) {
      if (!v.value || !/:\/\//.test(v.value)) continue;
      for (const u of v.value.split(',').map((s) => s.trim()).filter(Boolean)) {
        let url: URL;
        try {
          url = new URL(u);
        } catch {
          out.push(`${cname(c)}: ${name} has "${u}", which is not a URL`);
          continue;
        }
        const problem = urlTargetProblem(url, c.workload.namespace, objects);
        if (problem) out.push(`${cname(c)}: ${name} ${u}: ${problem}`);
      }
    }
  }
  return out;
}

const defaultPorts: Record<string, number> = { 'http:': 80, 'https:': 443, 'nats:': 4222, 'postgres:': 5432, 'postgresql:': 5432 };

function urlTargetProblem(url: URL, namespace: string, objects: K8sObject[]): string | null {
  const port = url.port ? Number(url.port) : defaultPorts[url.protocol];
  const labels = url.hostname.split('.');
  if (['localhost', '127.0.0.1', '::1', '[::1]'].includes(url.hostname)) return 'loopback reaches the pod itself, not another service';
  const ns = labels[1] && labels[1] !== 'svc' && !objects.some((o) => o.kind === 'Service' && o.name === labels[1]) ? labels[1] : namespace;
  const svc = objects.find((o) => o.kind === 'Service' && o.name === labels[0] && o.namespace === ns);
  if (svc) {
    return ((svc.obj.spec?.ports ?? []) as Obj[]).some((p) => p.port === port) ? null : `Service ${svc.name} has no port ${port}`;
  }
  // <statefulset>-<n>.<headless service>
  const m = labels[0]?.match(/^(.+)-(\d+)$/);
  const headless = objects.find((o) => o.kind === 'Service' && o.name === labels[1] && o.namespace === namespace);
  if (m && headless) {
    const sts = objects.find((o) => o.kind === 'StatefulSet' && o.name === m[1] && o.namespace === namespace && o.obj.spec?.serviceName === headless.name);
    if (!sts) return `no StatefulSet ${m[1]} is governed by Service ${headless.name}`;
    if (headless.obj.spec?.clusterIP !== 'None') return `Service ${headless.name} is not headless, so ${url.hostname} does not resolve`;
    if (Number(m[2]) >= Number(sts.obj.spec?.replicas ?? 1)) return `StatefulSet ${sts.name} has ${sts.obj.spec?.replicas ?? 1} replicas, so there is no pod ${labels[0]}`;
    if (!podContainerPorts(sts).some((p) => Number(p.containerPort) === port)) return `pods of ${sts.name} do not listen on ${port}`;
    return null;
  }
  return `${url.hostname} is not a Service of namespace ${namespace}`;
}

// ---------------------------------------------------------------------------------------
// Docker-link variables (SERVICE_PORT=tcp://…) against names our services read

export function checkServiceLinks(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  for (const c of containers(objects)) {
    if (!isOurImage(String(c.spec.image ?? '')) || c.pod.enableServiceLinks === false) continue;
    const svc = serviceOfCommand(commandOf(c.spec), input);
    if (!svc) continue;
    const { env } = containerEnv(c, objects);
    for (const s of objects.filter((o) => o.kind === 'Service' && o.namespace === c.workload.namespace)) {
      const base = s.name.toUpperCase().replace(/-/g, '_');
      const injected = [`${base}_SERVICE_HOST`, `${base}_SERVICE_PORT`, `${base}_PORT`];
      for (const name of injected) {
        if (svc.env.has(name) && !env.has(name)) {
          out.push(`${cname(c)}: Service ${s.name} injects ${name}=tcp://… (enableServiceLinks is on) and ${svc.name} reads ${name}; set enableServiceLinks: false or set ${name}`);
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Volumes

export function checkVolumes(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  const pvcs = objects.filter((o) => o.kind === 'PersistentVolumeClaim');
  const dataClaims = new Set<string>();
  for (const w of objects.filter((o) => WORKLOAD_KINDS.has(o.kind))) {
    const pod = (w.obj.spec?.template?.spec ?? {}) as Obj;
    const volumes = (pod.volumes ?? []) as Obj[];
    const templates = ((w.obj.spec?.volumeClaimTemplates ?? []) as Obj[]).map((t) => t.metadata?.name as string);
    for (const v of volumes) {
      if (v.persistentVolumeClaim) {
        const claim = pvcs.find((p) => p.name === v.persistentVolumeClaim.claimName && p.namespace === w.namespace);
        if (!claim) out.push(`${where(w)}: volume ${v.name} uses PersistentVolumeClaim ${v.persistentVolumeClaim.claimName}, which is not defined`);
        else if (!((claim.obj.spec?.accessModes ?? []) as string[]).includes('ReadWriteMany') && w.kind === 'Deployment') {
          // A ReadWriteOnce claim cannot attach on two nodes: no second replica, no surge.
          if (Number(w.obj.spec?.replicas ?? 1) > 1) out.push(`${where(w)}: ${w.obj.spec?.replicas} replicas share ReadWriteOnce claim ${claim.name}`);
          if (w.obj.spec?.strategy?.type !== 'Recreate') out.push(`${where(w)}: uses ReadWriteOnce claim ${claim.name} with a rolling update; use strategy Recreate`);
        }
      }
      if (v.configMap && !objects.some((o) => o.kind === 'ConfigMap' && o.name === v.configMap.name && o.namespace === w.namespace)) {
        out.push(`${where(w)}: volume ${v.name} uses ConfigMap ${v.configMap.name}, which is not defined`);
      }
      if (v.secret && !objects.some((o) => o.kind === 'Secret' && o.name === v.secret.secretName && o.namespace === w.namespace)) {
        out.push(`${where(w)}: volume ${v.name} uses Secret ${v.secret.secretName}, which is not defined`);
      }
    }
    for (const c of [...((pod.initContainers ?? []) as Obj[]), ...((pod.containers ?? []) as Obj[])]) {
      for (const m of (c.volumeMounts ?? []) as Obj[]) {
        if (!volumes.some((v) => v.name === m.name) && !templates.includes(m.name)) out.push(`${where(w)} container ${c.name}: mounts ${m.name}, which is not a volume of the pod`);
      }
    }
  }
  // DATA_DIR of every service that reads it: one ReadWriteMany claim mounted there.
  for (const c of containers(objects)) {
    if (!isOurImage(String(c.spec.image ?? ''))) continue;
    const svc = serviceOfCommand(commandOf(c.spec), input);
    if (!svc?.env.has('DATA_DIR')) continue;
    const dataDir = containerEnv(c, objects).env.get('DATA_DIR')?.value;
    if (!dataDir) {
      out.push(`${cname(c)}: DATA_DIR is not set, so ${svc.name} would use ./data inside the container`);
      continue;
    }
    const mount = ((c.spec.volumeMounts ?? []) as Obj[]).find((m) => m.mountPath === dataDir);
    const volume = ((c.pod.volumes ?? []) as Obj[]).find((v) => v.name === mount?.name);
    const claim = pvcs.find((p) => p.name === volume?.persistentVolumeClaim?.claimName && p.namespace === c.workload.namespace);
    if (!mount || !claim) {
      out.push(`${cname(c)}: nothing persistent is mounted at DATA_DIR ${dataDir}`);
      continue;
    }
    if (mount.readOnly) out.push(`${cname(c)}: DATA_DIR ${dataDir} is mounted read-only`);
    if (!((claim.obj.spec?.accessModes ?? []) as string[]).includes('ReadWriteMany')) out.push(`${cname(c)}: DATA_DIR claim ${claim.name} is not ReadWriteMany, but ${svc.name} shares it with other pods`);
    dataClaims.add(claim.name);
  }
  if (dataClaims.size > 1) out.push(`services read DATA_DIR from different claims (${[...dataClaims].join(', ')}); the image store must be one volume`);
  return out;
}

// ---------------------------------------------------------------------------------------
// Resources

export function checkResources(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  for (const c of containers(k8sObjects(input))) {
    const r = (c.spec.resources ?? {}) as Obj;
    for (const part of ['requests', 'limits'] as const) {
      for (const res of ['cpu', 'memory'] as const) {
        if (r[part]?.[res] === undefined) out.push(`${cname(c)}: no resources.${part}.${res}`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// NATS cluster wiring

export function checkNats(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  for (const sts of objects.filter((o) => o.kind === 'StatefulSet')) {
    const pod = (sts.obj.spec?.template?.spec ?? {}) as Obj;
    const c = ((pod.containers ?? []) as Obj[]).find((x) => parseImage(String(x.image ?? '')).repository === 'nats');
    if (!c) continue;
    const replicas = Number(sts.obj.spec?.replicas ?? 1);
    const headless = objects.find((o) => o.kind === 'Service' && o.name === sts.obj.spec?.serviceName && o.namespace === sts.namespace);
    if (headless && headless.obj.spec?.clusterIP !== 'None') out.push(`${where(headless)}: must be headless (clusterIP: None) for per-pod DNS names`);
    if (headless && replicas > 1 && headless.obj.spec?.publishNotReadyAddresses !== true) {
      out.push(`${where(headless)}: needs publishNotReadyAddresses: true, or the servers cannot find each other before they are ready`);
    }
    if (replicas > 1 && sts.obj.spec?.podManagementPolicy !== 'Parallel') out.push(`${where(sts)}: a JetStream cluster needs podManagementPolicy: Parallel`);
    const confVolume = ((pod.volumes ?? []) as Obj[]).find((v) => v.configMap);
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.name === confVolume?.configMap?.name && o.namespace === sts.namespace);
    // The configuration without its comments (# or // to the end of the line).
    const conf = (cm ? Object.values((cm.obj.data ?? {}) as Record<string, string>).find((t) => /jetstream/.test(t)) : undefined)
      ?.split('\n')
      .map((l) => l.replace(/(^|\s)(#|\/\/).*$/, ''))
      .join('\n');
    if (!conf) {
      out.push(`${where(sts)}: no nats.conf with a jetstream block is mounted`);
      continue;
    }
    const confPort = (key: string) => Number(conf.match(new RegExp(`^\\s*${key}\\s*[:=]\\s*(?:[\\d.]+:)?(\\d+)\\s*$`, 'm'))?.[1]);
    const listen = confPort('listen');
    const http = confPort('http');
    const clusterListen = Number(conf.match(/cluster\s*\{[^}]*?listen\s*[:=]\s*(?:[\d.]+:)?(\d+)/s)?.[1]);
    for (const [what, port] of [
      ['client listen', listen],
      ['http (monitoring)', http],
      ['cluster listen', clusterListen],
    ] as const) {
      if (!port || !((c.ports ?? []) as Obj[]).some((p) => p.containerPort === port)) out.push(`${where(sts)}: nats.conf ${what} port ${port || '(none)'} is not a containerPort`);
    }
    for (const kind of PROBES) {
      const g = (c[kind] as Obj | undefined)?.httpGet;
      if (g && resolvePort(g.port, c) !== http) out.push(`${where(sts)}: ${kind} probes port ${g.port}, not the monitoring port ${http}`);
    }
    if (!/store_dir\s*[:=]/.test(conf)) out.push(`${where(sts)}: nats.conf sets no jetstream store_dir`);
    const storeDir = conf.match(/store_dir\s*[:=]\s*"?([^\s"]+)/)?.[1];
    const templates = ((sts.obj.spec?.volumeClaimTemplates ?? []) as Obj[]).map((t) => t.metadata?.name);
    const storeMount = ((c.volumeMounts ?? []) as Obj[]).find((m) => storeDir && (storeDir === m.mountPath || storeDir.startsWith(`${m.mountPath}/`)));
    if (!storeMount || !templates.includes(storeMount.name)) out.push(`${where(sts)}: JetStream store_dir ${storeDir} is not on a volumeClaimTemplate`);
    // $VARS in nats.conf come from the container's environment.
    const envNames = new Set(((c.env ?? []) as Obj[]).map((e) => e.name as string));
    for (const m of conf.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) if (!envNames.has(m[1]!)) out.push(`${where(sts)}: nats.conf uses $${m[1]}, which the container does not set`);
    if (!/server_name/.test(conf)) out.push(`${where(sts)}: nats.conf sets no server_name (JetStream clustering needs a stable one per server)`);
    // Routes: one per replica, through the headless Service, on the cluster port.
    const routes = [...(conf.match(/routes\s*[:=]?\s*\[([^\]]*)\]/s)?.[1] ?? '').matchAll(/nats(?:-route)?:\/\/([^\s,\]]+)/g)].map((m) => m[1]!);
    if (replicas > 1) {
      const expected = Array.from({ length: replicas }, (_, i) => `${sts.name}-${i}.${sts.obj.spec?.serviceName}`);
      for (const host of expected) if (!routes.some((r) => r.split(':')[0]!.startsWith(host))) out.push(`${where(sts)}: nats.conf has no route to ${host}`);
      for (const r of routes) {
        const [host, port] = r.split(':');
        const idx = Number(host!.match(/^.+-(\d+)\./)?.[1]);
        if (!expected.some((e) => host!.startsWith(e)) || Number.isNaN(idx)) out.push(`${where(sts)}: route ${r} is not a pod of this StatefulSet`);
        if (Number(port) !== clusterListen) out.push(`${where(sts)}: route ${r} does not use the cluster port ${clusterListen}`);
      }
    }
    // Clients: NATS_URL lists every server; streams have no more replicas than servers.
    for (const cc of containers(objects)) {
      if (!isOurImage(String(cc.spec.image ?? ''))) continue;
      if (!serviceOfCommand(commandOf(cc.spec), input)?.env.has('NATS_URL')) continue; // web talks HTTP only
      const env = containerEnv(cc, objects).env;
      const natsUrl = env.get('NATS_URL')?.value;
      if (natsUrl) {
        const servers = natsUrl.split(',').map((s) => s.trim()).filter(Boolean);
        if (servers.length !== replicas) out.push(`${cname(cc)}: NATS_URL lists ${servers.length} servers, the cluster has ${replicas}`);
        for (const s of servers) {
          let port = NaN;
          try {
            port = Number(new URL(s).port || 4222);
          } catch {
            // reported by checkServices
          }
          if (port !== listen) out.push(`${cname(cc)}: NATS_URL server ${s} does not use the client port ${listen}`);
        }
      }
      const r = Number(env.get('STREAM_REPLICAS')?.value ?? 1);
      if (r > replicas) out.push(`${cname(cc)}: STREAM_REPLICAS=${r} but the cluster has ${replicas} servers`);
      const usesAuth = /authorization\s*\{/.test(conf);
      if (usesAuth && (!env.has('NATS_USER') || !env.has('NATS_PASSWORD'))) out.push(`${cname(cc)}: the NATS servers want a user and password; NATS_USER/NATS_PASSWORD are not set`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Secrets

const PLACEHOLDER = /^(?:|CHANGE_?ME.*|REPLACE_?ME.*|<[^>]*>|\$\{[^}]+\})$/i;
const SENSITIVE_KEY = /PASS|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_?KEY/i;

/** Why a value looks like a real secret, or null. */
export function realLookingSecret(key: string, value: string): string | null {
  if (SENSITIVE_KEY.test(key) && !PLACEHOLDER.test(value)) return `${key} has a value that is not a placeholder (use CHANGE_ME)`;
  // Credentials inside a URL (postgres://user:password@host/db).
  const m = value.match(/^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]*)@/i);
  if (m && !PLACEHOLDER.test(m[1]!)) return `${key} holds a URL with a real-looking password`;
  // Long random-looking tokens anywhere.
  if (/^[A-Za-z0-9+/_=-]{20,}$/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value) && !PLACEHOLDER.test(value)) {
    return `${key} looks like a generated secret`;
  }
  return null;
}

export function checkSecrets(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  for (const s of k8sObjects(input).filter((o) => o.kind === 'Secret')) {
    if (!/\.example\.ya?ml$/.test(s.file)) out.push(`${where(s)}: a Secret in deploy/ must be an example (*.example.yaml) with placeholders`);
    for (const [k, v] of Object.entries(mapData(s))) {
      const why = realLookingSecret(k, v);
      if (why) out.push(`${where(s)}: ${why}`);
    }
    for (const k of kustomizations(input)) {
      const dir = path.posix.dirname(k.file);
      if (((k.obj.resources ?? []) as string[]).some((r) => path.posix.join(dir, r) === s.file)) out.push(`${k.file}: lists the example Secret ${s.file}; kubectl apply -k would install placeholders`);
    }
    // The filled-in copy (secret.yaml next to secret.example.yaml) must be git-ignored.
    const copy = s.file.replace(/\.example(\.ya?ml)$/, '$1');
    const ignore = input.texts['deploy/.gitignore'] ?? '';
    const rel = `/${path.posix.relative('deploy', copy)}`;
    if (!ignore.split('\n').map((l) => l.trim()).some((l) => l === rel || l === rel.slice(1))) out.push(`deploy/.gitignore: does not ignore ${copy}, the filled-in copy of ${s.file}`);
  }
  for (const d of composeDocs(input)) {
    for (const [name, svc] of Object.entries(d.obj.services as Record<string, Obj>)) {
      for (const [k, v] of composeEnvRaw(svc)) {
        if (SENSITIVE_KEY.test(k) && !/^\$\{[^}]+\}$/.test(v)) out.push(`${d.file} service ${name}: ${k} is written in the file; take it from deploy/.env (\${${k}:?…})`);
      }
      for (const arg of ((Array.isArray(svc.command) ? svc.command : []) as string[])) {
        const m = String(arg).match(/^--?(?:pass|password)[= ](.*)$/);
        if (m && !/^\$\{[^}]+\}$/.test(m[1]!)) out.push(`${d.file} service ${name}: a password is written in its command`);
      }
    }
  }
  for (const [file, text] of Object.entries(input.texts)) {
    if (!path.posix.basename(file).startsWith('.env')) continue;
    if (!file.endsWith('.example')) out.push(`${file}: only .env.example belongs in the repository`);
    for (const line of text.split('\n')) {
      const m = line.match(/^\s*([A-Z][A-Z0-9_]*)=(.*)$/);
      if (!m) continue;
      const why = realLookingSecret(m[1]!, m[2]!.trim().replace(/^["']|["']$/g, ''));
      if (why) out.push(`${file}: ${why}`);
    }
  }
  return out;
}

function composeEnvRaw(s: Obj): [string, string][] {
  const raw = s.environment;
  if (Array.isArray(raw)) return (raw as string[]).map((i) => [i.split('=')[0]!, i.includes('=') ? i.slice(i.indexOf('=') + 1) : '']);
  if (raw && typeof raw === 'object') return Object.entries(raw as Obj).map(([k, v]) => [k, String(v ?? '')]);
  return [];
}

// ---------------------------------------------------------------------------------------
// Kustomize

export function checkKustomize(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  const files = new Set(input.files);
  for (const k of kustomizations(input)) {
    const dir = path.posix.dirname(k.file);
    const listed = ((k.obj.resources ?? []) as string[]).map((r) => path.posix.join(dir, r));
    for (const r of listed) {
      if (!files.has(r) && !files.has(`${r}/kustomization.yaml`)) out.push(`${k.file}: resource ${r} does not exist`);
    }
    // Every manifest next to the kustomization is listed, except examples.
    for (const f of input.files) {
      if (path.posix.dirname(f) !== dir || !/\.ya?ml$/.test(f) || f === k.file || /\.example\.ya?ml$/.test(f)) continue;
      if (!listed.includes(f)) out.push(`${k.file}: does not list ${f}`);
    }
    if (k.obj.namespace) {
      for (const o of objects.filter((x) => listed.includes(x.file) && x.kind !== 'Namespace')) {
        if (o.obj.metadata?.namespace && o.obj.metadata.namespace !== k.obj.namespace) out.push(`${where(o)}: namespace ${o.obj.metadata.namespace}, kustomization says ${k.obj.namespace}`);
      }
    }
  }
  for (const o of objects) {
    const cluster = ['Namespace', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume'].includes(o.kind);
    if (!cluster && !o.obj.metadata?.namespace) out.push(`${where(o)}: no metadata.namespace (kubectl apply -f would use "default")`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Compose

export function checkCompose(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  for (const d of composeDocs(input)) {
    const services = d.obj.services as Record<string, Obj>;
    const volumes = Object.keys((d.obj.volumes ?? {}) as Obj);
    const dataVolumes = new Set<string>();
    for (const [name, s] of Object.entries(services)) {
      for (const dep of Object.keys(Array.isArray(s.depends_on) ? Object.fromEntries((s.depends_on as string[]).map((x) => [x, {}])) : (s.depends_on ?? {}))) {
        if (!services[dep]) out.push(`${d.file} service ${name}: depends on ${dep}, which is not a service`);
      }
      for (const v of (s.volumes ?? []) as (string | Obj)[]) {
        const source = typeof v === 'string' ? v.split(':')[0]! : (v.source as string);
        if (source && !source.startsWith('.') && !source.startsWith('/') && !volumes.includes(source)) out.push(`${d.file} service ${name}: volume ${source} is not declared`);
      }
      const svc = serviceOfCommand(s.command, input);
      if (!svc) continue;
      const at = `${d.file} service ${name}`;
      const env = composeEnv(s);
      const pv = env.get(svc.port?.env ?? '');
      const port = svc.port ? effectivePort(svc, pv?.value, !pv || pv.value !== null) : null;
      if (port === null) {
        out.push(`${at}: cannot tell ${svc.name}'s port (${svc.port?.env ?? 'unknown variable'})`);
        continue;
      }
      // Healthcheck: one of the service's endpoints, on its port.
      const test = s.healthcheck?.test;
      const line = Array.isArray(test) ? test.join(' ') : String(test ?? '');
      const hm = line.match(/https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)(\/[\w/-]*)/);
      if (!hm) out.push(`${at}: no healthcheck on ${svc.name}'s HTTP port`);
      else {
        if (Number(hm[1]) !== port) out.push(`${at}: healthcheck uses port ${hm[1]} but ${svc.name} listens on ${port} (${svc.port!.env})`);
        if (!svc.endpoints.includes(hm[2]!) || hm[2] === '/metrics') out.push(`${at}: healthcheck path ${hm[2]} is not served by ${svc.name}`);
      }
      // Published ports must land on the port the service listens on.
      for (const p of (s.ports ?? []) as (string | Obj)[]) {
        const target = typeof p === 'string' ? Number(p.split(':').pop()!.split('/')[0]) : Number(p.target);
        if (target !== port) out.push(`${at}: publishes container port ${target} but ${svc.name} listens on ${port}`);
      }
      if (svc.name === 'web' && !((s.ports ?? []) as unknown[]).length) out.push(`${at}: web is the one origin and publishes no port`);
      // DATA_DIR on a named volume, the same for every service.
      if (svc.env.has('DATA_DIR')) {
        const dataDir = env.get('DATA_DIR')?.value;
        const mount = ((s.volumes ?? []) as (string | Obj)[])
          .map((v) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : (v as Obj)))
          .find((v) => v.target === dataDir);
        if (!dataDir || !mount) out.push(`${at}: no volume at DATA_DIR ${dataDir ?? '(unset)'}`);
        else dataVolumes.add(String(mount.source));
      }
      // URLs to other services: a compose service and the port it listens on.
      for (const [key, v] of env) {
        if (!v.value || !/:\/\//.test(v.value)) continue;
        for (const u of v.value.split(',').map((x) => x.trim()).filter(Boolean)) {
          let url: URL;
          try {
            url = new URL(u);
          } catch {
            out.push(`${at}: ${key} "${u}" is not a URL`);
            continue;
          }
          const target = services[url.hostname];
          if (!target) {
            out.push(`${at}: ${key} ${u}: ${url.hostname} is not a service of this file`);
            continue;
          }
          const tsvc = serviceOfCommand(target.command, input);
          if (tsvc?.port) {
            const tv = composeEnv(target).get(tsvc.port.env);
            const tport = effectivePort(tsvc, tv?.value, !tv || tv.value !== null);
            const uport = url.port ? Number(url.port) : defaultPorts[url.protocol];
            if (tport !== uport) out.push(`${at}: ${key} ${u} but ${tsvc.name} listens on ${tport}`);
          }
        }
      }
    }
    if (dataVolumes.size > 1) out.push(`${d.file}: services mount different volumes at DATA_DIR (${[...dataVolumes].join(', ')})`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Every service deployed both ways, with the same wiring

export function checkCoverage(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  const k8s = new Map<string, Container>();
  for (const c of containers(objects)) {
    const svc = isOurImage(String(c.spec.image ?? '')) ? serviceOfCommand(commandOf(c.spec), input) : null;
    if (svc) k8s.set(svc.name, c);
  }
  const compose = composeDocs(input)[0];
  const composeByService = new Map<string, Obj>();
  for (const s of Object.values((compose?.obj.services ?? {}) as Record<string, Obj>)) {
    const svc = serviceOfCommand(s.command, input);
    if (svc) composeByService.set(svc.name, s);
  }
  for (const svc of Object.values(input.services)) {
    const c = k8s.get(svc.name);
    const s = composeByService.get(svc.name);
    if (!c) out.push(`deploy/k8s: no workload runs ${svc.name} (${svc.main})`);
    if (!s) out.push(`deploy/compose.yaml: no service runs ${svc.name} (${svc.main})`);
    if (!c || !s) continue;
    const kenv = containerEnv(c, objects).env;
    const cenv = composeEnv(s);
    // The wiring a service reads: addresses, ports, credentials, folders.
    const wiring = [...svc.env].filter((n) => /(_URL|PORT|_USER|_PASSWORD)$/.test(n) || n === 'HOST' || n === 'DATA_DIR');
    for (const n of wiring) {
      if (kenv.has(n) !== cenv.has(n)) out.push(`${svc.name}: ${n} is set in ${kenv.has(n) ? 'k8s but not compose' : 'compose but not k8s'}`);
    }
    if (svc.port) {
      const kp = kenv.get(svc.port.env)?.value ?? String(svc.port.fallback);
      const cp = cenv.get(svc.port.env)?.value ?? String(svc.port.fallback);
      if (kp !== cp) out.push(`${svc.name}: listens on ${kp} in k8s but ${cp} in compose`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Dockerfile

/** `ENV` names of the last stage. */
export function dockerfileFinalEnv(text: string): string[] {
  const stages = joinContinuations(text).split(/^\s*FROM\s/im);
  const last = stages[stages.length - 1] ?? '';
  const names: string[] = [];
  for (const m of last.matchAll(/^\s*ENV\s+(.+)$/gim)) {
    for (const pair of m[1]!.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"[^"]*"|\S*)/g)) names.push(pair[1]!);
  }
  return names;
}

const joinContinuations = (text: string) => text.replace(/\\\r?\n/g, ' ');

export function checkDockerfile(input: DeployInput): Problem[] {
  const text = input.dockerfile;
  if (text === null) return ['deploy/Dockerfile does not exist'];
  const out: Problem[] = [];
  const lines = joinContinuations(text)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stageNames = new Set<string>();
  for (const l of lines.filter((x) => /^FROM\s/i.test(x))) {
    const [, image, , alias] = l.split(/\s+/);
    if (image && !stageNames.has(image)) out.push(...imageProblems(image, `deploy/Dockerfile ${l}`));
    if (alias) stageNames.add(alias);
  }
  const ci = lines.findIndex((l) => /^RUN\b.*\bnpm ci\b/.test(l));
  if (ci < 0) out.push('deploy/Dockerfile: no `npm ci`');
  // npm ci installs the workspaces: each one's package.json must be there first.
  for (const ws of input.workspaces) {
    const i = lines.findIndex((l) => new RegExp(`^COPY\\s+(?:--\\S+\\s+)*${ws.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/package\\.json\\s`).test(l));
    if (i < 0 || (ci >= 0 && i > ci)) out.push(`deploy/Dockerfile: workspace ${ws}'s package.json is not copied before npm ci`);
  }
  if (!lines.some((l) => /^RUN\b.*\bnpm run build\b/.test(l))) out.push('deploy/Dockerfile: no `npm run build`');
  if (!lines.some((l) => /^RUN\b.*\bnpm prune\b.*--omit=dev/.test(l) || /^RUN\b.*\bnpm ci\b.*--omit=dev/.test(l))) out.push('deploy/Dockerfile: dev dependencies are not pruned');
  const lastFrom = lines.map((l, i) => (/^FROM\s/i.test(l) ? i : -1)).filter((i) => i >= 0).pop() ?? 0;
  const final = lines.slice(lastFrom);
  const user = final.filter((l) => /^USER\s/i.test(l)).pop()?.split(/\s+/)[1];
  if (!user) out.push('deploy/Dockerfile: the final stage runs as root (no USER)');
  else if (!/^[1-9]\d*(?::\d+)?$/.test(user)) out.push(`deploy/Dockerfile: USER ${user} is not a non-zero number (Kubernetes cannot verify runAsNonRoot)`);
  const workdir = final.filter((l) => /^WORKDIR\s/i.test(l)).pop()?.split(/\s+/)[1];
  if (!workdir) out.push('deploy/Dockerfile: the final stage sets no WORKDIR, so packages/<service>/dist/main.js does not resolve');
  // The ignore file must keep local builds and node_modules out of the context.
  const ignore = input.texts['deploy/Dockerfile.dockerignore'];
  if (ignore === undefined) out.push('deploy/Dockerfile.dockerignore does not exist');
  else for (const p of ['node_modules', 'dist', 'tsbuildinfo']) if (!ignore.includes(p)) out.push(`deploy/Dockerfile.dockerignore: does not exclude ${p}`);
  return out;
}

/** Every check, by name. */
export const CHECKS = {
  images: checkImages,
  env: checkEnv,
  probes: checkProbes,
  services: checkServices,
  serviceLinks: checkServiceLinks,
  volumes: checkVolumes,
  resources: checkResources,
  nats: checkNats,
  secrets: checkSecrets,
  kustomize: checkKustomize,
  compose: checkCompose,
  coverage: checkCoverage,
  dockerfile: checkDockerfile,
} as const;

export function runAllChecks(input: DeployInput): Problem[] {
  const problems = Object.values(CHECKS).flatMap((check) => check(input));
  if (input.parseErrors.length) problems.unshift(...input.parseErrors);
  return problems;
}
