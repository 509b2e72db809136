/** Deploy checks: ports and probes. */
import type { DeployInput, Obj, ServiceSource, Problem } from '../deploy.model.js';
import { isOurImage, parseImage } from './image.check.js';
import { PROBES, cname, commandOf, containerEnv, containers, k8sObjects, serviceOfCommand, where } from './k8s.query.js';

/** The port a service listens on, from its environment or its config's default. */
export function effectivePort(svc: ServiceSource, value: string | undefined | null, known: boolean): number | null {
  if (!svc.port) return null;
  if (!known) return null;
  if (value === undefined || value === null || value.trim() === '') return svc.port.fallback;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
}

export function resolvePort(port: unknown, container: Obj): number | null {
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
      // /metrics on the service's port, or on a port of its own (web's WEB_METRICS_PORT).
      const metrics = svc.metricsPort;
      const mv = metrics ? env.get(metrics.env)?.value : undefined;
      const scrapePort = metrics ? (mv ? Number(mv) : metrics.fallback) : port;
      const what = metrics ? `${svc.name}'s metrics port ${scrapePort} (${metrics.env})` : `${svc.name}'s port ${port}`;
      if (Number(ann['prometheus.io/port']) !== scrapePort) out.push(`${where(c.workload)}: prometheus.io/port ${ann['prometheus.io/port']} is not ${what}`);
      if (metrics && !ports.includes(scrapePort)) out.push(`${cname(c)}: ${what} is not a port the container declares`);
      if (!(metrics?.endpoints ?? svc.endpoints).includes(ann['prometheus.io/path'] ?? '/metrics')) out.push(`${where(c.workload)}: ${svc.name} serves no ${ann['prometheus.io/path'] ?? '/metrics'}`);
    }
  }
  return out;
}
