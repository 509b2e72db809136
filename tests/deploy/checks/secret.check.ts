/** Deploy checks: secrets. */
import path from 'node:path';
import type { DeployInput, Obj, Problem } from '../deploy.model.js';
import { composeDocs, k8sObjects, kustomizations, mapData, where } from './k8s.query.js';

const PLACEHOLDER = /^(?:|CHANGE_?ME.*|REPLACE_?ME.*|<[^>]*>|\$\{[^}]+\})$/i;
const SENSITIVE_KEY = /PASS|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_?KEY/i;

/** Why a value looks like a real secret, or null. */
export function realLookingSecret(key: string, value: string): string | null {
  if (SENSITIVE_KEY.test(key) && !PLACEHOLDER.test(value)) return `${key} has a value that is not a placeholder (use CHANGE_ME)`;
  // Credentials inside a URL (postgres://user:password@host/db).
  const m = value.match(/^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]*)@/i);
  if (m && !PLACEHOLDER.test(m[1]!)) return `${key} holds a URL with a real-looking password`;
  // Long random-looking tokens anywhere.
  if (/^[A-Za-z0-9+/_=-]{20,}$/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value) && !PLACEHOLDER.test(value)) {
    return `${key} looks like a generated secret`;
  }
  return null;
}

export function checkSecrets(input: DeployInput): Problem[] {
  const out: Problem[] = [];
  for (const s of k8sObjects(input).filter((o) => o.kind === 'Secret')) {
    if (!/\.example\.ya?ml$/.test(s.file)) out.push(`${where(s)}: a Secret in deploy/ must be an example (*.example.yaml) with placeholders`);
    for (const [k, v] of Object.entries(mapData(s))) {
      const why = realLookingSecret(k, v);
      if (why) out.push(`${where(s)}: ${why}`);
    }
    for (const k of kustomizations(input)) {
      const dir = path.posix.dirname(k.file);
      if (((k.obj.resources ?? []) as string[]).some((r) => path.posix.join(dir, r) === s.file)) out.push(`${k.file}: lists the example Secret ${s.file}; kubectl apply -k would install placeholders`);
    }
    // The filled-in copy (secret.yaml next to secret.example.yaml) must be git-ignored.
    const copy = s.file.replace(/\.example(\.ya?ml)$/, '$1');
    const ignore = input.texts['deploy/.gitignore'] ?? '';
    const rel = `/${path.posix.relative('deploy', copy)}`;
    if (!ignore.split('\n').map((l) => l.trim()).some((l) => l === rel || l === rel.slice(1))) out.push(`deploy/.gitignore: does not ignore ${copy}, the filled-in copy of ${s.file}`);
  }
  for (const d of composeDocs(input)) {
    for (const [name, svc] of Object.entries(d.obj.services as Record<string, Obj>)) {
      for (const [k, v] of composeEnvRaw(svc)) {
        if (SENSITIVE_KEY.test(k) && !/^\$\{[^}]+\}$/.test(v)) out.push(`${d.file} service ${name}: ${k} is written in the file; take it from deploy/.env (\${${k}:?…})`);
      }
      for (const arg of ((Array.isArray(svc.command) ? svc.command : []) as string[])) {
        const m = String(arg).match(/^--?(?:pass|password)[= ](.*)$/);
        if (m && !/^\$\{[^}]+\}$/.test(m[1]!)) out.push(`${d.file} service ${name}: a password is written in its command`);
      }
    }
  }
  for (const [file, text] of Object.entries(input.texts)) {
    if (!path.posix.basename(file).startsWith('.env')) continue;
    if (!file.endsWith('.example')) out.push(`${file}: only .env.example belongs in the repository`);
    for (const line of text.split('\n')) {
      const m = line.match(/^\s*([A-Z][A-Z0-9_]*)=(.*)$/);
      if (!m) continue;
      const why = realLookingSecret(m[1]!, m[2]!.trim().replace(/^["']|["']$/g, ''));
      if (why) out.push(`${file}: ${why}`);
    }
  }
  return out;
}

/** A compose service's environment as written (before interpolation). */
export function composeEnvRaw(s: Obj): [string, string][] {
  const raw = s.environment;
  if (Array.isArray(raw)) return (raw as string[]).map((i) => [i.split('=')[0]!, i.includes('=') ? i.slice(i.indexOf('=') + 1) : '']);
  if (raw && typeof raw === 'object') return Object.entries(raw as Obj).map(([k, v]) => [k, String(v ?? '')]);
  return [];
}
