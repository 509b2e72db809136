/** Deploy checks: every service deployed both ways, with the same wiring. */
import type { DeployInput, Obj, Problem } from '../deploy.model.js';
import { composeEnv } from './env.check.js';
import { isOurImage } from './image.check.js';
import { type Container, commandOf, composeDocs, containerEnv, containers, k8sObjects, serviceOfCommand } from './k8s.query.js';

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
