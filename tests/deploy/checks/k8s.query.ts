/** Deploy checks: kubernetes helpers. */
import path from 'node:path';
import type { DeployInput, Obj, ServiceSource, YamlDoc, Problem } from '../deploy.model.js';

export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
/** Where each probe of one of our services must point. */
export const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;

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

export const where = (d: { file: string; kind?: string; name?: string }) => (d.kind ? `${d.file} ${d.kind}/${d.name}` : d.file);

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

export const cname = (c: Container) => `${where(c.workload)} container ${c.spec.name}`;

/** The service (package folder) a command line runs: `node packages/<svc>/dist/main.js`. */
export function serviceOfCommand(command: unknown, input: DeployInput): ServiceSource | null {
  const line = Array.isArray(command) ? command.join(' ') : typeof command === 'string' ? command : '';
  for (const s of Object.values(input.services)) if (line.split(/\s+/).includes(s.main)) return s;
  return null;
}

export const commandOf = (c: Obj) => [...((c.command ?? []) as string[]), ...((c.args ?? []) as string[])];

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

export function mapData(o: K8sObject | undefined): Record<string, string> {
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
