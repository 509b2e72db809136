import Router from '@koa/router';
import { API_ROUTES, koaPath, personMergeBodySchema, personNameBodySchema } from '@rxscan/contracts';
import { httpError } from '@rxscan/service-kit';
import { publishAndWait, type MedStoreDeps } from './med-store.deps.js';
import { personView } from './api.views.js';
import { HouseholdRepository } from './household.repository.js';
import { parseBody } from './medication.routes.js';

/** `/meds/people`: the household's people; added, renamed and merged as events on MEDS. */
export function personRoutes(deps: MedStoreDeps): Router {
  const now = deps.now ?? (() => new Date());
  const household = new HouseholdRepository(deps.orm);

  const router = new Router();
  router.get(koaPath(API_ROUTES.listPeople), async (ctx) => {
    ctx.body = (await household.people()).filter((p) => !p.merged_into).map(personView);
  });

  router.post(koaPath(API_ROUTES.addPerson), async (ctx) => {
    const { name } = parseBody(personNameBodySchema, ctx.request.body, 'invalid_person');
    const { personId, events } = await household.choosePerson({ new_person: name }, now());
    await publishAndWait(deps, events);
    ctx.status = events.length > 0 ? 201 : 200;
    ctx.body = personView(await household.person(personId!));
  });

  router.patch(koaPath(API_ROUTES.renamePerson), async (ctx) => {
    const person = await household.person(ctx.params.id!);
    const { name } = parseBody(personNameBodySchema, ctx.request.body, 'invalid_person');
    if (name !== person.name) {
      await publishAndWait(deps, [{ type: 'med.person.renamed', data: { person_id: person.id, name, renamed_at: now().toISOString() } }]);
    }
    ctx.body = personView(await household.person(person.id));
  });

  /** Two entries for one person: this one goes, and their medications are the other's. */
  router.post(koaPath(API_ROUTES.mergePerson), async (ctx) => {
    const person = await household.person(ctx.params.id!);
    const { into } = parseBody(personMergeBodySchema, ctx.request.body, 'invalid_person');
    const target = await household.person(into);
    if (target.id === person.id) throw httpError(409, 'same_person', 'a person cannot be merged into themselves');
    await publishAndWait(deps, [{ type: 'med.person.merged', data: { person_id: person.id, into_person_id: target.id, merged_at: now().toISOString() } }]);
    ctx.body = personView(target);
  });
  return router;
}

