/** Deploy checks: compose. */
import type { DeployInput, Obj, Problem } from '../deploy.model.js';
import { composeEnv } from './env.check.js';
import { composeDocs, serviceOfCommand } from './k8s.query.js';
import { effectivePort } from './probe.check.js';
import { defaultPorts } from './service.check.js';

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
