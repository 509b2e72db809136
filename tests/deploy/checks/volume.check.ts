/** Deploy checks: volumes. */
import type { DeployInput, Obj, Problem } from '../deploy.model.js';
import { isOurImage } from './image.check.js';
import { WORKLOAD_KINDS, cname, commandOf, containerEnv, containers, k8sObjects, serviceOfCommand, where } from './k8s.query.js';

export function checkVolumes(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  const pvcs = objects.filter((o) => o.kind === 'PersistentVolumeClaim');
  const dataClaims = new Set<string>();
  for (const w of objects.filter((o) => WORKLOAD_KINDS.has(o.kind))) {
    const pod = (w.obj.spec?.template?.spec ?? {}) as Obj;
    const volumes = (pod.volumes ?? []) as Obj[];
    const templates = ((w.obj.spec?.volumeClaimTemplates ?? []) as Obj[]).map((t) => t.metadata?.name as string);
    for (const v of volumes) {
      if (v.persistentVolumeClaim) {
        const claim = pvcs.find((p) => p.name === v.persistentVolumeClaim.claimName && p.namespace === w.namespace);
        if (!claim) out.push(`${where(w)}: volume ${v.name} uses PersistentVolumeClaim ${v.persistentVolumeClaim.claimName}, which is not defined`);
        else if (!((claim.obj.spec?.accessModes ?? []) as string[]).includes('ReadWriteMany') && w.kind === 'Deployment') {
          // A ReadWriteOnce claim cannot attach on two nodes: no second replica, no surge.
          if (Number(w.obj.spec?.replicas ?? 1) > 1) out.push(`${where(w)}: ${w.obj.spec?.replicas} replicas share ReadWriteOnce claim ${claim.name}`);
          if (w.obj.spec?.strategy?.type !== 'Recreate') out.push(`${where(w)}: uses ReadWriteOnce claim ${claim.name} with a rolling update; use strategy Recreate`);
        }
      }
      if (v.configMap && !objects.some((o) => o.kind === 'ConfigMap' && o.name === v.configMap.name && o.namespace === w.namespace)) {
        out.push(`${where(w)}: volume ${v.name} uses ConfigMap ${v.configMap.name}, which is not defined`);
      }
      if (v.secret && !objects.some((o) => o.kind === 'Secret' && o.name === v.secret.secretName && o.namespace === w.namespace)) {
        out.push(`${where(w)}: volume ${v.name} uses Secret ${v.secret.secretName}, which is not defined`);
      }
    }
    for (const c of [...((pod.initContainers ?? []) as Obj[]), ...((pod.containers ?? []) as Obj[])]) {
      for (const m of (c.volumeMounts ?? []) as Obj[]) {
        if (!volumes.some((v) => v.name === m.name) && !templates.includes(m.name)) out.push(`${where(w)} container ${c.name}: mounts ${m.name}, which is not a volume of the pod`);
      }
    }
  }
  // DATA_DIR of every service that reads it: one ReadWriteMany claim mounted there.
  for (const c of containers(objects)) {
    if (!isOurImage(String(c.spec.image ?? ''))) continue;
    const svc = serviceOfCommand(commandOf(c.spec), input);
    if (!svc?.env.has('DATA_DIR')) continue;
    const dataDir = containerEnv(c, objects).env.get('DATA_DIR')?.value;
    if (!dataDir) {
      out.push(`${cname(c)}: DATA_DIR is not set, so ${svc.name} would use ./data inside the container`);
      continue;
    }
    const mount = ((c.spec.volumeMounts ?? []) as Obj[]).find((m) => m.mountPath === dataDir);
    const volume = ((c.pod.volumes ?? []) as Obj[]).find((v) => v.name === mount?.name);
    const claim = pvcs.find((p) => p.name === volume?.persistentVolumeClaim?.claimName && p.namespace === c.workload.namespace);
    if (!mount || !claim) {
      out.push(`${cname(c)}: nothing persistent is mounted at DATA_DIR ${dataDir}`);
      continue;
    }
    if (mount.readOnly) out.push(`${cname(c)}: DATA_DIR ${dataDir} is mounted read-only`);
    if (!((claim.obj.spec?.accessModes ?? []) as string[]).includes('ReadWriteMany')) out.push(`${cname(c)}: DATA_DIR claim ${claim.name} is not ReadWriteMany, but ${svc.name} shares it with other pods`);
    dataClaims.add(claim.name);
  }
  if (dataClaims.size > 1) out.push(`services read DATA_DIR from different claims (${[...dataClaims].join(', ')}); the image store must be one volume`);
  return out;
}
