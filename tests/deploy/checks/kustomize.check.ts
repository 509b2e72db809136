/** Deploy checks: kustomize. */
import path from 'node:path';
import type { DeployInput, Problem } from '../deploy.model.js';
import { k8sObjects, kustomizations, where } from './k8s.query.js';

export function checkKustomize(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  const files = new Set(input.files);
  for (const k of kustomizations(input)) {
    const dir = path.posix.dirname(k.file);
    const listed = ((k.obj.resources ?? []) as string[]).map((r) => path.posix.join(dir, r));
    for (const r of listed) {
      if (!files.has(r) && !files.has(`${r}/kustomization.yaml`)) out.push(`${k.file}: resource ${r} does not exist`);
    }
    // Every manifest next to the kustomization is listed, except examples.
    for (const f of input.files) {
      if (path.posix.dirname(f) !== dir || !/\.ya?ml$/.test(f) || f === k.file || /\.example\.ya?ml$/.test(f)) continue;
      if (!listed.includes(f)) out.push(`${k.file}: does not list ${f}`);
    }
    if (k.obj.namespace) {
      for (const o of objects.filter((x) => listed.includes(x.file) && x.kind !== 'Namespace')) {
        if (o.obj.metadata?.namespace && o.obj.metadata.namespace !== k.obj.namespace) out.push(`${where(o)}: namespace ${o.obj.metadata.namespace}, kustomization says ${k.obj.namespace}`);
      }
    }
  }
  for (const o of objects) {
    const cluster = ['Namespace', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume'].includes(o.kind);
    if (!cluster && !o.obj.metadata?.namespace) out.push(`${where(o)}: no metadata.namespace (kubectl apply -f would use "default")`);
  }
  return out;
}
