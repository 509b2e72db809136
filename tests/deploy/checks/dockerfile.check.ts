/** Deploy checks: dockerfile. */
import type { DeployInput, Problem } from '../deploy.model.js';
import { imageProblems } from './image.check.js';

/** `ENV` names of the last stage. */
export function dockerfileFinalEnv(text: string): string[] {
  const stages = joinContinuations(text).split(/^\s*FROM\s/im);
  const last = stages[stages.length - 1] ?? '';
  const names: string[] = [];
  for (const m of last.matchAll(/^\s*ENV\s+(.+)$/gim)) {
    for (const pair of m[1]!.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"[^"]*"|\S*)/g)) names.push(pair[1]!);
  }
  return names;
}

const joinContinuations = (text: string) => text.replace(/\\\r?\n/g, ' ');

export function checkDockerfile(input: DeployInput): Problem[] {
  const text = input.dockerfile;
  if (text === null) return ['deploy/Dockerfile does not exist'];
  const out: Problem[] = [];
  const lines = joinContinuations(text)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stageNames = new Set<string>();
  for (const l of lines.filter((x) => /^FROM\s/i.test(x))) {
    const [, image, , alias] = l.split(/\s+/);
    if (image && !stageNames.has(image)) out.push(...imageProblems(image, `deploy/Dockerfile ${l}`));
    if (alias) stageNames.add(alias);
  }
  const ci = lines.findIndex((l) => /^RUN\b.*\bnpm ci\b/.test(l));
  if (ci < 0) out.push('deploy/Dockerfile: no `npm ci`');
  // npm ci installs the workspaces: each one's package.json must be there first.
  for (const ws of input.workspaces) {
    const i = lines.findIndex((l) => new RegExp(`^COPY\\s+(?:--\\S+\\s+)*${ws.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/package\\.json\\s`).test(l));
    if (i < 0 || (ci >= 0 && i > ci)) out.push(`deploy/Dockerfile: workspace ${ws}'s package.json is not copied before npm ci`);
  }
  if (!lines.some((l) => /^RUN\b.*\bnpm run build\b/.test(l))) out.push('deploy/Dockerfile: no `npm run build`');
  if (!lines.some((l) => /^RUN\b.*\bnpm prune\b.*--omit=dev/.test(l) || /^RUN\b.*\bnpm ci\b.*--omit=dev/.test(l))) out.push('deploy/Dockerfile: dev dependencies are not pruned');
  const lastFrom = lines.map((l, i) => (/^FROM\s/i.test(l) ? i : -1)).filter((i) => i >= 0).pop() ?? 0;
  const final = lines.slice(lastFrom);
  const user = final.filter((l) => /^USER\s/i.test(l)).pop()?.split(/\s+/)[1];
  if (!user) out.push('deploy/Dockerfile: the final stage runs as root (no USER)');
  else if (!/^[1-9]\d*(?::\d+)?$/.test(user)) out.push(`deploy/Dockerfile: USER ${user} is not a non-zero number (Kubernetes cannot verify runAsNonRoot)`);
  const workdir = final.filter((l) => /^WORKDIR\s/i.test(l)).pop()?.split(/\s+/)[1];
  if (!workdir) out.push('deploy/Dockerfile: the final stage sets no WORKDIR, so packages/<service>/dist/main.js does not resolve');
  // The ignore file must keep local builds and node_modules out of the context.
  const ignore = input.texts['deploy/Dockerfile.dockerignore'];
  if (ignore === undefined) out.push('deploy/Dockerfile.dockerignore does not exist');
  else for (const p of ['node_modules', 'dist', 'tsbuildinfo']) if (!ignore.includes(p)) out.push(`deploy/Dockerfile.dockerignore: does not exclude ${p}`);
  return out;
}
