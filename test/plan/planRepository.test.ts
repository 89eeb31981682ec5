import { DocumentPlanRepository, PLAN_COLLECTION, PLAN_DOCUMENT_ID, PlanConflictError } from '../../bot/people/planRepository';
import { PreconditionFailedError, StorageUnavailableError, type DocumentStore } from '../../core/ports/documentStore';
import { addMean, addPride, addReview, chooseAction, findAction, rateConfidence, setStepField, type Plan } from '../../core/plan/plan';
import { MemoryDocumentStore } from '../support/memoryStore';

const NOW = new Date('2025-03-03T15:00:00.000Z');
const KEY = 'teams/person-éè/1';

function setUp() {
  const store = new MemoryDocumentStore();
  const plans = new DocumentPlanRepository(store, { clock: () => NOW });
  return { store, plans };
}

const addWalk = (plan: Plan) => addMean(plan, { kind: 'catalogue', id: 'walk-outside', category: 'habits' }, 'now', NOW).plan;
const addOwn = (text: string) => (plan: Plan) => addMean(plan, { kind: 'own', text, category: 'potential' }, 'explore', NOW).plan;

describe('DocumentPlanRepository', () => {
  it('has no plan at first, creates one on the first change, and reads it back', async () => {
    const { store, plans } = setUp();
    expect(await plans.load(KEY)).toBeUndefined();
    const saved = await plans.update(KEY, addWalk);
    expect(saved?.plan.means.map((m) => m.id)).toEqual(['walk-outside']);
    expect(saved?.plan.programme.startedAt).toBe(NOW.toISOString());
    const loaded = await plans.load(KEY);
    expect(loaded).toEqual(saved);
    const raw = await store.get(PLAN_COLLECTION, KEY, PLAN_DOCUMENT_ID);
    expect(raw?.partitionKey).toBe(KEY);
    expect(raw?.id).toBe('plan');
  });

  it('dates a new plan with the caller’s clock, and its programme length with the configured one', async () => {
    const store = new MemoryDocumentStore();
    const plans = new DocumentPlanRepository(store, { clock: () => NOW, totalWeeks: 10 });
    const at = new Date('2025-04-01T10:00:00.000Z');
    const saved = await plans.update(KEY, addWalk, { now: at });
    expect(saved?.plan.programme).toMatchObject({ startedAt: at.toISOString(), totalWeeks: 10 });
  });

  it('writes nothing when the change changes nothing', async () => {
    const { store, plans } = setUp();
    expect(await plans.update(KEY, (plan) => plan)).toBeUndefined();
    expect(store.count('people')).toBe(0);
    const saved = await plans.update(KEY, addWalk);
    const writes = (store.calls.replace ?? 0) + (store.calls.create ?? 0);
    const same = await plans.update(KEY, addWalk);
    expect(same?.etag).toBe(saved?.etag);
    expect((store.calls.replace ?? 0) + (store.calls.create ?? 0)).toBe(writes);
  });

  it('keeps both of two concurrent changes (re-reads and re-applies on PreconditionFailed)', async () => {
    const { plans } = setUp();
    await plans.update(KEY, addWalk);
    await Promise.all([plans.update(KEY, addOwn('jouer aux cartes')), plans.update(KEY, (plan) => addPride(plan, 'Je suis sorti', NOW).plan)]);
    const plan = (await plans.load(KEY))!.plan;
    expect(plan.means.map((m) => m.id).sort()).toEqual(['own:jouer aux cartes', 'walk-outside']);
    expect(plan.prides.map((p) => p.text)).toEqual(['Je suis sorti']);
  });

  it('keeps both of two concurrent creations (ConflictError → re-read)', async () => {
    const { plans } = setUp();
    await Promise.all([plans.update(KEY, addWalk), plans.update(KEY, addOwn('lire'))]);
    expect((await plans.load(KEY))!.plan.means).toHaveLength(2);
  });

  it('keeps every one of many concurrent changes', async () => {
    const store = new MemoryDocumentStore();
    const plans = new DocumentPlanRepository(store, { clock: () => NOW, maxAttempts: 30 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => plans.update(KEY, addOwn(`moyen ${i}`))));
    expect((await plans.load(KEY))!.plan.means).toHaveLength(10);
  });

  it('gives each of two concurrently chosen actions its own id', async () => {
    const { plans } = setUp();
    await plans.update(KEY, (plan) => addOwn('lire')(addWalk(plan)));
    await Promise.all([
      plans.update(KEY, (plan) => chooseAction(plan, 'walk-outside', NOW).plan),
      plans.update(KEY, (plan) => chooseAction(plan, 'own:lire', NOW).plan),
    ]);
    const plan = (await plans.load(KEY))!.plan;
    expect(plan.actions.map((a) => a.id).sort()).toEqual(['a1', 'a2']);
  });

  it('gives up with PlanConflictError under constant contention, never silently', async () => {
    const inner = new MemoryDocumentStore();
    const store: DocumentStore = Object.assign(Object.create(inner) as DocumentStore, {
      replace: async () => {
        throw new PreconditionFailedError('always stale');
      },
    });
    const plans = new DocumentPlanRepository(store, { clock: () => NOW, maxAttempts: 3 });
    await plans.update(KEY, addWalk);
    await expect(plans.update(KEY, addOwn('lire'))).rejects.toBeInstanceOf(PlanConflictError);
  });

  it('lets other storage errors through for the dialog to handle', async () => {
    const { store, plans } = setUp();
    store.unavailable = true;
    await expect(plans.update(KEY, addWalk)).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(plans.load(KEY)).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('recreates the plan when it was erased in between', async () => {
    const { plans } = setUp();
    await plans.update(KEY, addWalk);
    await plans.delete(KEY);
    const saved = await plans.update(KEY, addOwn('lire'));
    expect(saved?.plan.means.map((m) => m.id)).toEqual(['own:lire']);
  });

  it('deletes the plan', async () => {
    const { plans } = setUp();
    expect(await plans.delete(KEY)).toBe(false);
    await plans.update(KEY, addWalk);
    expect(await plans.delete(KEY)).toBe(true);
    expect(await plans.load(KEY)).toBeUndefined();
  });

  it('reads a damaged document as a valid plan', async () => {
    const { store, plans } = setUp();
    await store.create(PLAN_COLLECTION, KEY, PLAN_DOCUMENT_ID, { means: [{ id: 'walk-outside', category: 'habits', status: 'now' }, 'junk'], actions: 7 });
    const loaded = await plans.load(KEY);
    expect(loaded?.plan.means.map((m) => m.id)).toEqual(['walk-outside']);
    expect(loaded?.plan.actions).toEqual([]);
    const saved = await plans.update(KEY, addOwn('lire'));
    expect(saved?.plan.means).toHaveLength(2);
  });

  it('keeps the document bounded however long the history', async () => {
    const { store, plans } = setUp();
    await plans.update(KEY, addWalk);
    await plans.update(KEY, (plan) => chooseAction(plan, 'walk-outside', NOW).plan);
    await plans.update(KEY, (plan) => setStepField(plan, 'a1', 'what', 'Marcher', NOW).plan);
    for (let i = 0; i < 60; i++) {
      await plans.update(KEY, (plan) => rateConfidence(addReview(plan, 'a1', { outcome: 'worked', why: 'x'.repeat(500) }, NOW).plan, 'a1', i % 11, NOW).plan);
      await plans.update(KEY, (plan) => addPride(plan, `fierté numéro ${i} ${'y'.repeat(300)}`, NOW).plan);
    }
    const raw = await store.get(PLAN_COLLECTION, KEY, PLAN_DOCUMENT_ID);
    expect(JSON.stringify(raw?.body).length).toBeLessThan(20_000);
    const plan = (await plans.load(KEY))!.plan;
    expect(findAction(plan, 'a1')!.earlierReviews.worked + findAction(plan, 'a1')!.reviews.length).toBe(60);
    // 60 prides + the good move "Marcher" (added again once it had been folded away).
    expect(plan.earlierPrides + plan.prides.length).toBe(62);
  });

  it('refuses an empty person key', async () => {
    const { plans } = setUp();
    await expect(plans.load('')).rejects.toThrow(TypeError);
    await expect(plans.update('', addWalk)).rejects.toThrow(TypeError);
  });
});
