/** Deploy checks: runtimes still supported by their makers (Node.js LTS, a current nats-server 2.x). */
import type { DeployInput, Obj, Problem } from '../deploy.model.js';
import { cname, composeDocs, containers, k8sObjects } from './k8s.query.js';
import { isNatsImage, parseImage } from './image.check.js';

/** Node.js LTS lines and the day their support ends (nodejs.org release schedule). Node 20 ended 2026-04-30. */
export const NODE_LTS_END: Record<number, string> = { 22: '2027-04-30', 24: '2028-04-30', 26: '2029-04-30' };

/** The oldest nats-server line the manifests may run: 2.10 left support when 2.12 came out. */
export const NATS_OLDEST = { major: 2, minor: 11 };

export function checkRuntimes(input: DeployInput, today: Date = new Date()): Problem[] {
  const out: Problem[] = [];
  const froms = [...(input.dockerfile ?? '').matchAll(/^\s*FROM\s+(\S+)/gim)].map((m) => m[1]!).filter((ref) => parseImage(ref).repository.replace(/^library\//, '') === 'node');
  if (input.dockerfile !== null && froms.length === 0) out.push('deploy/Dockerfile: no stage FROM the official node image');
  for (const ref of froms) {
    const major = Number(/^(\d+)/.exec(parseImage(ref).tag ?? '')?.[1]);
    const end = NODE_LTS_END[major];
    if (!end) out.push(`deploy/Dockerfile: ${ref} is not a Node.js LTS line (${Object.keys(NODE_LTS_END).join(', ')})`);
    else if (Date.parse(end) < today.getTime()) out.push(`deploy/Dockerfile: ${ref}: Node.js ${major} left support on ${end}`);
  }
  const natsProblem = (ref: string, at: string) => {
    const m = /^(\d+)\.(\d+)/.exec(parseImage(ref).tag ?? '');
    if (!m) return out.push(`${at}: ${ref} names no nats-server version line (e.g. nats:2.12-alpine)`);
    const [major, minor] = [Number(m[1]), Number(m[2])];
    if (major !== NATS_OLDEST.major || minor < NATS_OLDEST.minor) out.push(`${at}: ${ref} is older than a current nats-server ${NATS_OLDEST.major}.x (at least ${NATS_OLDEST.major}.${NATS_OLDEST.minor})`);
    return out.length;
  };
  for (const c of containers(k8sObjects(input)).filter((x) => isNatsImage(x.spec.image))) natsProblem(String(c.spec.image), cname(c));
  for (const d of composeDocs(input)) {
    for (const [name, s] of Object.entries(d.obj.services as Record<string, Obj>)) if (isNatsImage(s.image)) natsProblem(String(s.image), `${d.file} service ${name}`);
  }
  return out;
}
