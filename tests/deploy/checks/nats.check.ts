/** Deploy checks: nATS cluster wiring. */
import type { DeployInput, Obj, Problem } from '../deploy.model.js';
import { isOurImage, parseImage } from './image.check.js';
import { PROBES, cname, commandOf, containerEnv, containers, k8sObjects, serviceOfCommand, where } from './k8s.query.js';
import { resolvePort } from './probe.check.js';

export function checkNats(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  for (const sts of objects.filter((o) => o.kind === 'StatefulSet')) {
    const pod = (sts.obj.spec?.template?.spec ?? {}) as Obj;
    const c = ((pod.containers ?? []) as Obj[]).find((x) => parseImage(String(x.image ?? '')).repository === 'nats');
    if (!c) continue;
    const replicas = Number(sts.obj.spec?.replicas ?? 1);
    const headless = objects.find((o) => o.kind === 'Service' && o.name === sts.obj.spec?.serviceName && o.namespace === sts.namespace);
    if (headless && headless.obj.spec?.clusterIP !== 'None') out.push(`${where(headless)}: must be headless (clusterIP: None) for per-pod DNS names`);
    if (headless && replicas > 1 && headless.obj.spec?.publishNotReadyAddresses !== true) {
      out.push(`${where(headless)}: needs publishNotReadyAddresses: true, or the servers cannot find each other before they are ready`);
    }
    if (replicas > 1 && sts.obj.spec?.podManagementPolicy !== 'Parallel') out.push(`${where(sts)}: a JetStream cluster needs podManagementPolicy: Parallel`);
    const confVolume = ((pod.volumes ?? []) as Obj[]).find((v) => v.configMap);
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.name === confVolume?.configMap?.name && o.namespace === sts.namespace);
    // The configuration without its comments (# or // to the end of the line).
    const conf = (cm ? Object.values((cm.obj.data ?? {}) as Record<string, string>).find((t) => /jetstream/.test(t)) : undefined)
      ?.split('\n')
      .map((l) => l.replace(/(^|\s)(#|\/\/).*$/, ''))
      .join('\n');
    if (!conf) {
      out.push(`${where(sts)}: no nats.conf with a jetstream block is mounted`);
      continue;
    }
    const confPort = (key: string) => Number(conf.match(new RegExp(`^\\s*${key}\\s*[:=]\\s*(?:[\\d.]+:)?(\\d+)\\s*$`, 'm'))?.[1]);
    const listen = confPort('listen');
    const http = confPort('http');
    const clusterListen = Number(conf.match(/cluster\s*\{[^}]*?listen\s*[:=]\s*(?:[\d.]+:)?(\d+)/s)?.[1]);
    for (const [what, port] of [
      ['client listen', listen],
      ['http (monitoring)', http],
      ['cluster listen', clusterListen],
    ] as const) {
      if (!port || !((c.ports ?? []) as Obj[]).some((p) => p.containerPort === port)) out.push(`${where(sts)}: nats.conf ${what} port ${port || '(none)'} is not a containerPort`);
    }
    for (const kind of PROBES) {
      const g = (c[kind] as Obj | undefined)?.httpGet;
      if (g && resolvePort(g.port, c) !== http) out.push(`${where(sts)}: ${kind} probes port ${g.port}, not the monitoring port ${http}`);
    }
    if (!/store_dir\s*[:=]/.test(conf)) out.push(`${where(sts)}: nats.conf sets no jetstream store_dir`);
    const storeDir = conf.match(/store_dir\s*[:=]\s*"?([^\s"]+)/)?.[1];
    const templates = ((sts.obj.spec?.volumeClaimTemplates ?? []) as Obj[]).map((t) => t.metadata?.name);
    const storeMount = ((c.volumeMounts ?? []) as Obj[]).find((m) => storeDir && (storeDir === m.mountPath || storeDir.startsWith(`${m.mountPath}/`)));
    if (!storeMount || !templates.includes(storeMount.name)) out.push(`${where(sts)}: JetStream store_dir ${storeDir} is not on a volumeClaimTemplate`);
    // $VARS in nats.conf come from the container's environment.
    const envNames = new Set(((c.env ?? []) as Obj[]).map((e) => e.name as string));
    // (Quoted strings are literals: "$JS.API.>" is a subject, not a variable.)
    for (const m of conf.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (!envNames.has(m[1]!)) out.push(`${where(sts)}: nats.conf uses $${m[1]}, which the container does not set`);
    }
    if (!/server_name/.test(conf)) out.push(`${where(sts)}: nats.conf sets no server_name (JetStream clustering needs a stable one per server)`);
    // Routes: one per replica, through the headless Service, on the cluster port.
    const routes = [...(conf.match(/routes\s*[:=]?\s*\[([^\]]*)\]/s)?.[1] ?? '').matchAll(/nats(?:-route)?:\/\/([^\s,\]]+)/g)].map((m) => m[1]!);
    if (replicas > 1) {
      const expected = Array.from({ length: replicas }, (_, i) => `${sts.name}-${i}.${sts.obj.spec?.serviceName}`);
      for (const host of expected) if (!routes.some((r) => r.split(':')[0]!.startsWith(host))) out.push(`${where(sts)}: nats.conf has no route to ${host}`);
      for (const r of routes) {
        const [host, port] = r.split(':');
        const idx = Number(host!.match(/^.+-(\d+)\./)?.[1]);
        if (!expected.some((e) => host!.startsWith(e)) || Number.isNaN(idx)) out.push(`${where(sts)}: route ${r} is not a pod of this StatefulSet`);
        if (Number(port) !== clusterListen) out.push(`${where(sts)}: route ${r} does not use the cluster port ${clusterListen}`);
      }
    }
    // Clients: NATS_URL lists every server; streams have no more replicas than servers.
    for (const cc of containers(objects)) {
      if (!isOurImage(String(cc.spec.image ?? ''))) continue;
      if (!serviceOfCommand(commandOf(cc.spec), input)?.env.has('NATS_URL')) continue; // web talks HTTP only
      const env = containerEnv(cc, objects).env;
      const natsUrl = env.get('NATS_URL')?.value;
      if (natsUrl) {
        const servers = natsUrl.split(',').map((s) => s.trim()).filter(Boolean);
        if (servers.length !== replicas) out.push(`${cname(cc)}: NATS_URL lists ${servers.length} servers, the cluster has ${replicas}`);
        for (const s of servers) {
          let port = NaN;
          try {
            port = Number(new URL(s).port || 4222);
          } catch {
            // reported by checkServices
          }
          if (port !== listen) out.push(`${cname(cc)}: NATS_URL server ${s} does not use the client port ${listen}`);
        }
      }
      const r = Number(env.get('STREAM_REPLICAS')?.value ?? 1);
      if (r > replicas) out.push(`${cname(cc)}: STREAM_REPLICAS=${r} but the cluster has ${replicas} servers`);
      const usesAuth = /authorization\s*\{/.test(conf);
      if (usesAuth && (!env.has('NATS_USER') || !env.has('NATS_PASSWORD'))) out.push(`${cname(cc)}: the NATS servers want a user and password; NATS_USER/NATS_PASSWORD are not set`);
    }
  }
  return out;
}
