/** Deploy checks: resources. */
import type { DeployInput, Obj, Problem } from '../deploy.model.js';
import { cname, containers, k8sObjects } from './k8s.query.js';

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
