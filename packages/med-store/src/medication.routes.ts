import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import { API_ROUTES, koaPath, medicationEditSchema, type MedEvent } from '@rxscan/contracts';
import { httpError } from '@rxscan/service-kit';
import { MedSchema, type Med } from './table.schema.js';
import { publishOrUnavailable, type MedStoreDeps } from './med-store.deps.js';
import { medicationOf, medView } from './api.views.js';

/** `/meds/medications`: the list, and the changes people make to it (each answered once the tables show it). */
export function medicationRoutes(deps: MedStoreDeps): Router {
  const { orm, projector } = deps;
  const now = deps.now ?? (() => new Date());
  const em = () => orm.em.fork();

  async function findMed(id: string): Promise<Med> {
    const med = await em().findOne(MedSchema, { id, deleted_at: null });
    if (!med) throw httpError(404, 'medication_not_found', `no medication with id ${id}`);
    return med;
  }

  /** Publishes a change and answers only once the tables show it. */
  async function write(event: MedEvent): Promise<void> {
    const seq = await publishOrUnavailable(deps, () => deps.publishMed(event));
    if (!(await projector.waitFor('MEDS', seq, 10_000))) {
      throw httpError(503, 'projection_lagging', 'the change was saved but is not visible yet; refresh in a moment');
    }
  }

  /** Fields a person sent; unknown fields are refused so a typo is not silently dropped. */
  const parseMedication = (body: unknown) => {
    const parsed = medicationEditSchema.safeParse(body ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      throw httpError(400, 'invalid_medication', detail);
    }
    return parsed.data;
  };

  const router = new Router();
  router.get(koaPath(API_ROUTES.listMedications), async (ctx) => {
    const meds = await em().find(MedSchema, { deleted_at: null }, { orderBy: { created_at: 'desc' } });
    ctx.body = meds.map(medView);
  });

  router.post(koaPath(API_ROUTES.addMedication), async (ctx) => {
    const fields = parseMedication(ctx.request.body);
    if (!fields.name) throw httpError(400, 'invalid_medication', 'name: a medication needs a name');
    const id = randomUUID();
    await write({
      type: 'med.confirmed',
      data: { med_id: id, source_job_id: null, medication: { ...medicationOf({} as Med), ...fields }, confirmed_at: now().toISOString() },
    });
    ctx.status = 201;
    ctx.body = medView(await findMed(id));
  });

  router.post(koaPath(API_ROUTES.confirmMedication), async (ctx) => {
    const med = await findMed(ctx.params.id!);
    const body = (ctx.request.body ?? {}) as { medication?: unknown };
    const edits = parseMedication(body.medication);
    const medication = { ...medicationOf(med), ...edits };
    if (!medication.name) throw httpError(400, 'invalid_medication', 'name: a medication needs a name before it is confirmed');
    await write({
      type: 'med.confirmed',
      data: { med_id: med.id, source_job_id: med.source_job_id, medication, confirmed_at: now().toISOString() },
    });
    ctx.body = medView(await findMed(med.id));
  });

  router.patch(koaPath(API_ROUTES.editMedication), async (ctx) => {
    const med = await findMed(ctx.params.id!);
    const changes = parseMedication(ctx.request.body);
    if (Object.keys(changes).length === 0) throw httpError(400, 'invalid_medication', 'body: no field to change');
    await write({ type: 'med.updated', data: { med_id: med.id, changes, updated_at: now().toISOString() } });
    ctx.body = medView(await findMed(med.id));
  });

  router.delete(koaPath(API_ROUTES.deleteMedication), async (ctx) => {
    const med = await findMed(ctx.params.id!);
    await write({ type: 'med.deleted', data: { med_id: med.id, deleted_at: now().toISOString() } });
    ctx.status = 204;
  });
  return router;
}
