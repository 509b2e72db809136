/** deploy/grafana: the dashboard uses only metrics the services export (as docs/operations.md lists them). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dashboard = JSON.parse(readFileSync(`${root}deploy/grafana/rxscan-dashboard.json`, 'utf8')) as {
  panels: { title: string; datasource: { uid: string }; targets: { expr: string }[] }[];
};
const documented = new Set([...readFileSync(`${root}docs/operations.md`, 'utf8').matchAll(/^\| `(rxscan_[a-z_]+)/gm)].map((m) => m[1]!));

describe('the Grafana dashboard', () => {
  it('queries only documented metrics', () => {
    const used = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\b(rxscan_[a-z_]+)/g)].map((m) => m[1]!.replace(/_(bucket|sum|count)$/, ''))));
    expect(used.length).toBeGreaterThan(10);
    expect([...new Set(used)].filter((m) => !documented.has(m))).toEqual([]);
  });

  it('has the panels an operator looks at first, on a data source chosen at import', () => {
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(' | ');
    for (const topic of ['uploads', 'queue', 'upload → result', 'fail', 'projection lag']) expect(titles).toContain(topic);
    for (const p of dashboard.panels) expect(p.datasource.uid).toBe('${DS_PROMETHEUS}');
  });
});
