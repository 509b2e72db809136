/** Deploy checks: docker-link variables (SERVICE_PORT=tcp://…) against names our services read. */
import type { DeployInput, Problem } from '../deploy.model.js';
import { isOurImage } from './image.check.js';
import { cname, commandOf, containerEnv, containers, k8sObjects, serviceOfCommand } from './k8s.query.js';

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
