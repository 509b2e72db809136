import Router from '@koa/router';
import { API_ROUTES, koaPath, refillBodySchema, UNDO_DELETE_DAYS, type Fill } from '@rxscan/contracts';
import { httpError } from '@rxscan/service-kit';
import { MedHistorySchema, MedSchema, type Med } from './table.schema.js';
import { publishAndWait, type MedStoreDeps } from './med-store.deps.js';
import { deletedView, historyView, medicationOf, medView, undoUntil } from './api.views.js';
import { HouseholdRepository } from './household.repository.js';
import { parseBody } from './medication.routes.js';

/** What a reading says about its fill. */
const fillOf = (m: ReturnType<typeof medicationOf>): Fill => ({
  date_filled: m.date_filled,
  discard_after: m.discard_after,
  quantity: m.quantity === null ? null : Number(m.quantity),
  quantity_unit: m.quantity_unit,
  refills: m.refills,
});

/**
 * What happens to a medication over time: a rescan recorded as a refill, "Stop taking" and
 * "Take again", a delete undone, and the history of it all. Each is an event on MEDS.
 */
export function medicationLifecycleRoutes(deps: MedStoreDeps): Router {
  const { orm } = deps;
  const now = deps.now ?? (() => new Date());
  const household = new HouseholdRepository(orm);
  const answer = async (id: string) => medView(await household.medication(id), await household.resolver());

  const router = new Router();

  /** Deleted lately and still in time to be undone, newest first. */
  router.get(koaPath(API_ROUTES.listDeletedMedications), async (ctx) => {
    const since = new Date(now().getTime() - UNDO_DELETE_DAYS * 24 * 3600_000).toISOString();
    const [rows, resolve] = await Promise.all([
      orm.em.fork().find(MedSchema, { deleted_at: { $gt: since }, replaced_by: null }, { orderBy: { deleted_at: 'desc' } }),
      household.resolver(),
    ]);
    ctx.body = rows.map((m) => deletedView(m as Med & { deleted_at: string }, resolve));
  });

  router.get(koaPath(API_ROUTES.medicationHistory), async (ctx) => {
    const med = await household.anyMedication(ctx.params.id!);
    if (!med || med.replaced_by) throw httpError(404, 'medication_not_found', `no medication with id ${ctx.params.id}`);
    const [lines, resolve] = await Promise.all([orm.em.fork().find(MedHistorySchema, { med_id: med.id }, { orderBy: { at: 'asc', seq: 'asc' } }), household.resolver()]);
    ctx.body = lines.map((h) => historyView(h, resolve));
  });

  router.post(koaPath(API_ROUTES.stopMedication), async (ctx) => {
    const med = await household.medication(ctx.params.id!);
    if (med.status !== 'confirmed') throw httpError(409, 'not_confirmed', 'confirm this reading before stopping it; or discard it');
    if (!med.stopped_at) await publishAndWait(deps, [{ type: 'med.stopped', data: { med_id: med.id, stopped_at: now().toISOString() } }]);
    ctx.body = await answer(med.id);
  });

  router.post(koaPath(API_ROUTES.resumeMedication), async (ctx) => {
    const med = await household.medication(ctx.params.id!);
    if (med.stopped_at) await publishAndWait(deps, [{ type: 'med.resumed', data: { med_id: med.id, resumed_at: now().toISOString() } }]);
    ctx.body = await answer(med.id);
  });

  router.post(koaPath(API_ROUTES.restoreMedication), async (ctx) => {
    const med = await household.anyMedication(ctx.params.id!);
    if (!med || med.replaced_by) throw httpError(404, 'medication_not_found', `no medication with id ${ctx.params.id}`);
    if (med.deleted_at) {
      if (undoUntil(med.deleted_at) <= now().toISOString()) {
        throw httpError(410, 'undo_expired', 'this delete was too long ago to undo; add the medication again');
      }
      await publishAndWait(deps, [{ type: 'med.restored', data: { med_id: med.id, restored_at: now().toISOString() } }]);
    }
    ctx.body = await answer(med.id);
  });

  /** A scan's draft recorded as a new fill of a medication on the list: the draft goes, the medication gets the new fill. */
  router.post(koaPath(API_ROUTES.refillMedication), async (ctx) => {
    const draft = await household.medication(ctx.params.id!);
    const body = parseBody(refillBodySchema, ctx.request.body);
    if (draft.status !== 'needs_review') throw httpError(409, 'not_a_reading', 'only a scan that is not confirmed yet can be recorded as a refill');
    const target = await household.medication(body.of);
    if (target.id === draft.id || target.status !== 'confirmed') {
      throw httpError(409, 'not_refillable', 'a refill goes onto a confirmed medication on the list');
    }
    const reading = { ...medicationOf(draft), ...body.medication };
    await publishAndWait(deps, [
      { type: 'med.refilled', data: { med_id: target.id, draft_id: draft.id, source_job_id: draft.source_job_id, fill: fillOf(reading), refilled_at: now().toISOString() } },
    ]);
    ctx.body = await answer(target.id);
  });

  return router;
}
