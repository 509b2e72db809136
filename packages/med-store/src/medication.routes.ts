import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import type { z } from 'zod';
import { API_ROUTES, confirmBodySchema, koaPath, MEDICATION_FIELDS, medicationAddSchema, medicationPatchSchema, type MedEvent } from '@rxscan/contracts';
import { httpError } from '@rxscan/service-kit';
import { MedSchema } from './table.schema.js';
import { publishAndWait, type MedStoreDeps } from './med-store.deps.js';
import { medicationOf, medView } from './api.views.js';
import { HouseholdRepository } from './household.repository.js';

/** The request body by `schema`, or 400 naming each field that is wrong; unknown fields are refused so a typo is not silently dropped. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, code = 'invalid_medication'): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw httpError(400, code, detail);
  }
  return parsed.data;
}

/** `/meds/medications`: the list, and the changes people make to it (each answered once the tables show it). */
export function medicationRoutes(deps: MedStoreDeps): Router {
  const { orm } = deps;
  const now = deps.now ?? (() => new Date());
  const household = new HouseholdRepository(orm);
  const write = (events: MedEvent[]) => publishAndWait(deps, events);
  const answer = async (id: string) => medView(await household.medication(id), await household.resolver());

  const router = new Router();
  router.get(koaPath(API_ROUTES.listMedications), async (ctx) => {
    const [meds, resolve] = await Promise.all([orm.em.fork().find(MedSchema, { deleted_at: null }, { orderBy: { created_at: 'desc' } }), household.resolver()]);
    ctx.body = meds.map((m) => medView(m, resolve));
  });

  router.post(koaPath(API_ROUTES.addMedication), async (ctx) => {
    const { person_id, new_person, ...fields } = parseBody(medicationAddSchema, ctx.request.body);
    if (!fields.name) throw httpError(400, 'invalid_medication', 'name: a medication needs a name');
    const at = now();
    const person = await household.choosePerson({ person_id, new_person }, at);
    const id = randomUUID();
    await write([
      ...person.events,
      {
        type: 'med.confirmed',
        data: { med_id: id, source_job_id: null, medication: { ...medicationOf({}), ...fields }, person_id: person.personId ?? null, confirmed_at: at.toISOString() },
      },
    ]);
    ctx.status = 201;
    ctx.body = await answer(id);
  });

  router.post(koaPath(API_ROUTES.confirmMedication), async (ctx) => {
    const med = await household.medication(ctx.params.id!);
    const body = parseBody(confirmBodySchema, ctx.request.body);
    const medication = { ...medicationOf(med), ...body.medication };
    if (!medication.name) throw httpError(400, 'invalid_medication', 'name: a medication needs a name before it is confirmed');
    const at = now();
    const person = await household.choosePerson(body, at);
    await write([
      ...person.events,
      {
        type: 'med.confirmed',
        data: {
          med_id: med.id,
          source_job_id: med.source_job_id,
          medication,
          person_id: person.personId !== undefined ? person.personId : med.person_id,
          ...(med.status === 'needs_review' && { corrected: MEDICATION_FIELDS.filter((f) => medication[f] !== medicationOf(med)[f]) }),
          confirmed_at: at.toISOString(),
        },
      },
    ]);
    ctx.body = await answer(med.id);
  });

  router.patch(koaPath(API_ROUTES.editMedication), async (ctx) => {
    const med = await household.medication(ctx.params.id!);
    const { person_id, ...changes } = parseBody(medicationPatchSchema, ctx.request.body);
    if (Object.keys(changes).length === 0 && person_id === undefined) throw httpError(400, 'invalid_medication', 'body: no field to change');
    const at = now().toISOString();
    const events: MedEvent[] = [];
    if (Object.keys(changes).length > 0) events.push({ type: 'med.updated', data: { med_id: med.id, changes, updated_at: at } });
    if (person_id !== undefined) {
      const personId = person_id === null ? null : (await household.person(person_id)).id;
      events.push({ type: 'med.assigned', data: { med_id: med.id, person_id: personId, assigned_at: at } });
    }
    await write(events);
    ctx.body = await answer(med.id);
  });

  router.delete(koaPath(API_ROUTES.deleteMedication), async (ctx) => {
    const med = await household.medication(ctx.params.id!);
    await write([{ type: 'med.deleted', data: { med_id: med.id, deleted_at: now().toISOString() } }]);
    ctx.status = 204;
  });
  return router;
}
