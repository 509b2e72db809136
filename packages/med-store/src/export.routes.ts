import Router from '@koa/router';
import { httpError } from '@rxscan/service-kit';
import { API_ROUTES, koaPath, type MedicationView } from '@rxscan/contracts';
import { MedSchema } from './table.schema.js';
import type { MedStoreDeps } from './med-store.deps.js';
import { medView, personView } from './api.views.js';
import { HouseholdRepository } from './household.repository.js';
import { fhirBundleOf } from './fhir-export.views.js';
import { csvOf } from './csv-export.views.js';

const byPersonThenName = (names: Map<string, string>) => (a: MedicationView, b: MedicationView) =>
  (names.get(a.person_id ?? '') ?? '\uffff').localeCompare(names.get(b.person_id ?? '') ?? '\uffff') || (a.name ?? '').localeCompare(b.name ?? '');

/** `/meds/export/*`: the list leaves the tablet, for a doctor or a pharmacist; `?person=` for one person's. */
export function exportRoutes(deps: MedStoreDeps): Router {
  const household = new HouseholdRepository(deps.orm);
  const now = deps.now ?? (() => new Date());

  async function listed(personParam: unknown) {
    const [rows, everyone] = await Promise.all([deps.orm.em.fork().find(MedSchema, { deleted_at: null }), household.people()]);
    const people = everyone.filter((p) => !p.merged_into).map(personView);
    const resolve = (await household.resolver());
    let meds = rows.map((m) => medView(m, resolve));
    if (personParam !== undefined) {
      if (typeof personParam !== 'string') throw httpError(400, 'invalid_person', 'person: give one person id');
      const person = await household.person(personParam);
      meds = meds.filter((m) => m.person_id === person.id);
    }
    const names = new Map(people.map((p) => [p.id, p.name]));
    return { meds: meds.sort(byPersonThenName(names)), people };
  }

  const router = new Router();
  router.get(koaPath(API_ROUTES.exportFhir), async (ctx) => {
    const { meds, people } = await listed(ctx.query.person);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/fhir+json';
    ctx.body = fhirBundleOf(meds, people, now());
  });

  router.get(koaPath(API_ROUTES.exportCsv), async (ctx) => {
    const { meds, people } = await listed(ctx.query.person);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="medications-${now().toISOString().slice(0, 10)}.csv"`);
    ctx.type = 'text/csv; charset=utf-8; header=present';
    ctx.body = csvOf(meds, people);
  });
  return router;
}
