/** Deploy checks: image references. */
import path from 'node:path';
import type { DeployInput, Obj, Problem } from '../deploy.model.js';
import { cname, composeDocs, containers, k8sObjects, kustomizations } from './k8s.query.js';

export interface ImageRef {
  registry: string | null;
  repository: string;
  tag: string | null;
  digest: string | null;
}

export function parseImage(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const registry = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!) ? parts.shift()! : null;
  return { registry, repository: parts.join('/'), tag, digest };
}

/** The official NATS server image (nats:2.12-alpine). */
export const isNatsImage = (ref: unknown) => typeof ref === 'string' && parseImage(ref).repository === 'nats';

/** Our image is the one named rxscan (ghcr.io/owner/rxscan:0.1.0). */
export const isOurImage = (ref: string) => /(^|\/)rxscan$/.test(parseImage(ref).repository);

export function imageProblems(ref: unknown, at: string): Problem[] {
  if (typeof ref !== 'string' || !ref.trim()) return [`${at}: no image`];
  const img = parseImage(ref);
  const out: Problem[] = [];
  if (!img.tag && !img.digest) out.push(`${at}: image "${ref}" has no tag (it would pull :latest)`);
  if (img.tag === 'latest') out.push(`${at}: image "${ref}" uses the tag latest; name a version`);
  if (img.tag !== null && !/^[\w][\w.-]{0,127}$/.test(img.tag)) out.push(`${at}: image "${ref}" has an invalid tag`);
  // Repository paths must be lowercase: "ghcr.io/OWNER/rxscan" is an invalid reference.
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(img.repository)) {
    out.push(`${at}: image "${ref}" is not a valid reference (repository must be lowercase)`);
  }
  if (/\$\{/.test(ref)) out.push(`${at}: image "${ref}" is not resolved`);
  return out;
}

/** Compose-style interpolation: ${X:-default} and ${X-default} become the default; ${X} and ${X:?…} are unknown. */
export function interpolate(value: unknown): { value: string | null; unknown: boolean } {
  if (value === null || value === undefined) return { value: null, unknown: false };
  let unknown = false;
  const out = String(value).replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (_m, _name: string, op?: string, arg?: string) => {
    if (op === ':-' || op === '-') return arg ?? '';
    unknown = true;
    return '';
  });
  return { value: unknown ? null : out, unknown };
}

/** Applies the `images:` overrides of the kustomization that lists a file. */
function kustomizedImage(ref: string, file: string, input: DeployInput): string {
  for (const k of kustomizations(input)) {
    const dir = path.posix.dirname(k.file);
    const listed = ((k.obj.resources ?? []) as string[]).some((r) => path.posix.join(dir, r) === file);
    if (!listed) continue;
    const img = parseImage(ref);
    const name = img.registry ? `${img.registry}/${img.repository}` : img.repository;
    const o = ((k.obj.images ?? []) as Obj[]).find((i) => i.name === name);
    if (!o) continue;
    return `${o.newName ?? name}${o.digest ? `@${o.digest}` : `:${o.newTag ?? img.tag ?? ''}`}`.replace(/:$/, '');
  }
  return ref;
}

export function checkImages(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  const objects = k8sObjects(input);
  const ours = new Set<string>();
  for (const c of containers(objects)) {
    const ref = c.spec.image as string;
    out.push(...imageProblems(ref, cname(c)));
    if (typeof ref === 'string') {
      const effective = kustomizedImage(ref, c.workload.file, input);
      if (effective !== ref) out.push(...imageProblems(effective, `${cname(c)} (after kustomize images)`));
      if (isOurImage(ref)) ours.add(effective);
    }
  }
  if (ours.size > 1) out.push(`Kubernetes manifests use different RxScan images: ${[...ours].join(', ')}; one image serves every service`);
  for (const k of kustomizations(input)) {
    for (const i of (k.obj.images ?? []) as Obj[]) {
      if (i.newTag === undefined && i.digest === undefined) out.push(`${k.file}: images entry ${i.name} sets no newTag`);
      if (i.newTag === 'latest') out.push(`${k.file}: images entry ${i.name} sets newTag latest`);
    }
  }
  for (const d of composeDocs(input)) {
    const composeOurs = new Set<string>();
    for (const [name, svc] of Object.entries(d.obj.services as Record<string, Obj>)) {
      const r = interpolate(svc.image);
      if (svc.image === undefined) {
        out.push(`${d.file} service ${name}: no image (a build alone gets no versioned name)`);
        continue;
      }
      out.push(...imageProblems(r.value ?? String(svc.image), `${d.file} service ${name}`));
      if (r.value && isOurImage(r.value)) composeOurs.add(r.value);
    }
    if (composeOurs.size > 1) out.push(`${d.file}: different RxScan images: ${[...composeOurs].join(', ')}`);
  }
  return out;
}
