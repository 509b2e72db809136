/** Deploy checks: one NATS user per role, allowed exactly what BUS_PERMISSIONS allows, and each service logged in as its own. */
import path from 'node:path';
import type { DeployInput, Obj, Problem } from '../deploy.model.js';
import { composeEnvRaw } from './secret.check.js';
import { cname, commandOf, composeDocs, containers, k8sObjects, serviceOfCommand, where } from './k8s.query.js';
import { isNatsImage, isOurImage } from './image.check.js';

export interface NatsUser {
  user: string;
  password: string;
  permissions?: { publish?: { allow?: string[] }; subscribe?: { allow?: string[] } };
}

/** The `authorization { … }` block of a nats.conf written as JSON (what `ops nats-users` prints), or null. */
export function parseAuthorization(conf: string): { users?: NatsUser[]; user?: string } | null {
  const at = conf.search(/^\s*authorization\s*[:=]?\s*\{/m);
  if (at < 0) return null;
  const start = conf.indexOf('{', at);
  let depth = 0;
  let end = -1;
  let quoted = false;
  for (let i = start; i < conf.length && end < 0; i++) {
    const ch = conf[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) end = i;
  }
  // Variables ($NATS_PASSWORD_INGEST) are bare in nats.conf; quote them to read the block as JSON.
  const body = conf.slice(start, end + 1).replace(/(:\s*)\$([A-Za-z_]\w*)/g, '$1"$$$2"');
  try {
    return JSON.parse(body) as { users?: NatsUser[] };
  } catch {
    return null;
  }
}

const variableOf = (password: string) => /^\$([A-Za-z_]\w*)$/.exec(password)?.[1] ?? null;
/** `${NAME:?message}` or `${NAME}` → NAME. */
const interpolated = (value: string) => /^\$\{([A-Za-z_]\w*)(?::?[-?][^}]*)?\}$/.exec(value)?.[1] ?? null;

/** Problems of one configuration's users against BUS_PERMISSIONS. */
function usersProblems(at: string, conf: string, permissions: DeployInput['busPermissions']): Problem[] {
  const auth = parseAuthorization(conf);
  if (!auth?.users) return [`${at}: no authorization block with a users list (one user per role: npm run -s ops -- nats-users)`];
  const out: Problem[] = [];
  for (const [role, allowed] of Object.entries(permissions)) {
    const u = auth.users.find((x) => x.user === role);
    if (!u) {
      out.push(`${at}: no NATS user ${role}`);
      continue;
    }
    for (const kind of ['publish', 'subscribe'] as const) {
      const has = new Set(u.permissions?.[kind]?.allow ?? []);
      const wants = new Set(allowed[kind]);
      for (const s of has) if (!wants.has(s)) out.push(`${at}: user ${role} may ${kind} ${s}, which BUS_PERMISSIONS does not allow`);
      for (const s of wants) if (!has.has(s)) out.push(`${at}: user ${role} may not ${kind} ${s}, which BUS_PERMISSIONS allows`);
    }
    if (!variableOf(u.password)) out.push(`${at}: user ${role}'s password is written in the file; take it from the environment ($NATS_PASSWORD_…)`);
  }
  for (const u of auth.users) if (!(u.user in permissions)) out.push(`${at}: user ${u.user} is not a role of BUS_PERMISSIONS`);
  return out;
}

export function checkNatsUsers(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  const passwordVar = new Map<string, string | null>();

  // Kubernetes: the nats.conf the StatefulSet mounts, and the Secret keys behind its variables.
  for (const c of containers(objects).filter((x) => isNatsImage(x.spec.image))) {
    const volume = ((c.pod.volumes ?? []) as Obj[]).find((v) => v.configMap);
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.name === volume?.configMap?.name && o.namespace === c.workload.namespace);
    const conf = Object.values((cm?.obj.data ?? {}) as Record<string, string>).find((t) => /jetstream/.test(t));
    if (!cm || !conf) continue;
    out.push(...usersProblems(`${where(cm)} nats.conf`, conf, input.busPermissions));
    const natsEnv = new Map(((c.spec.env ?? []) as Obj[]).map((e) => [e.name as string, e.valueFrom?.secretKeyRef as Obj | undefined]));
    for (const u of parseAuthorization(conf)?.users ?? []) {
      const v = variableOf(u.password);
      const ref = v ? natsEnv.get(v) : undefined;
      passwordVar.set(`k8s:${u.user}`, ref ? `${ref.name}/${ref.key}` : null);
    }
  }
  for (const c of containers(objects).filter((x) => isOurImage(String(x.spec.image ?? '')) && !x.init)) {
    const svc = serviceOfCommand(commandOf(c.spec), input);
    if (!svc?.env.has('NATS_URL')) continue;
    const env = new Map(((c.spec.env ?? []) as Obj[]).map((e) => [e.name as string, e]));
    const user = env.get('NATS_USER')?.value;
    if (user !== svc.name) out.push(`${cname(c)}: connects to NATS as ${user ?? '(a user not written in the manifest)'}, not as its own user ${svc.name}`);
    const ref = env.get('NATS_PASSWORD')?.valueFrom?.secretKeyRef as Obj | undefined;
    const expected = passwordVar.get(`k8s:${svc.name}`);
    if (expected !== undefined && (!ref || `${ref.name}/${ref.key}` !== expected)) {
      out.push(`${cname(c)}: NATS_PASSWORD is ${ref ? `Secret ${ref.name} key ${ref.key}` : 'not from a Secret'}, but the NATS servers give user ${svc.name} ${expected ? `Secret ${expected.replace('/', ' key ')}` : 'no password from a Secret'}`);
    }
  }

  // Compose: the nats.conf the nats service mounts, and the .env variables behind it.
  for (const d of composeDocs(input)) {
    const services = d.obj.services as Record<string, Obj>;
    const nats = Object.entries(services).find(([, s]) => isNatsImage(s.image));
    if (!nats) continue;
    const [natsName, natsSvc] = nats;
    const mount = ((natsSvc.volumes ?? []) as (string | Obj)[]).map((v) => (typeof v === 'string' ? v.split(':')[0]! : String(v.source))).find((src) => src.endsWith('.conf'));
    const file = mount ? path.posix.join(path.posix.dirname(d.file), mount) : null;
    const conf = file ? input.texts[file] : undefined;
    if (!conf) {
      out.push(`${d.file} service ${natsName}: mounts no nats.conf from deploy/ (one user per role needs one)`);
      continue;
    }
    out.push(...usersProblems(file!, conf, input.busPermissions));
    const natsEnv = new Map(composeEnvRaw(natsSvc));
    const users = new Map((parseAuthorization(conf)?.users ?? []).map((u) => [u.user, variableOf(u.password)]));
    for (const [name, s] of Object.entries(services)) {
      const svc = serviceOfCommand(s.command, input);
      if (!svc?.env.has('NATS_URL')) continue;
      const env = new Map(composeEnvRaw(s));
      if (env.get('NATS_USER') !== svc.name) out.push(`${d.file} service ${name}: connects to NATS as ${env.get('NATS_USER') ?? '(no user)'}, not as its own user ${svc.name}`);
      const theirs = interpolated(env.get('NATS_PASSWORD') ?? '');
      const confVar = users.get(svc.name);
      const servers = confVar ? interpolated(natsEnv.get(confVar) ?? '') : null;
      if (!theirs || theirs !== servers) {
        out.push(`${d.file} service ${name}: NATS_PASSWORD is \${${theirs ?? '?'}} but ${natsName} gives user ${svc.name} \${${servers ?? '?'}}`);
      }
    }
  }
  return out;
}
