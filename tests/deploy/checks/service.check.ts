/** Deploy checks: services, Ingress, URLs between services. */
import type { DeployInput, Obj, Problem } from '../deploy.model.js';
import { isOurImage } from './image.check.js';
import { type K8sObject, WORKLOAD_KINDS, cname, containerEnv, containers, k8sObjects, where } from './k8s.query.js';

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

export const defaultPorts: Record<string, number> = { 'http:': 80, 'https:': 443, 'nats:': 4222, 'postgres:': 5432, 'postgresql:': 5432 };

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
