/** Deploy checks: environment names. */
import type { DeployInput, Obj, Problem } from '../deploy.model.js';
import { dockerfileFinalEnv } from './dockerfile.check.js';
import { interpolate, isOurImage } from './image.check.js';
import { cname, commandOf, composeDocs, containerEnv, containers, k8sObjects, serviceOfCommand } from './k8s.query.js';

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
