import {
  MAX_ITEM_LENGTH,
  MAX_ITEMS_PER_STEP,
  SAFETY_PLAN_STEP_IDS,
  SafetyPlanSteps,
  addItem,
  emptySafetyPlan,
  formatSafetyPlan,
  hasWords,
  isEmpty,
  mergeSafetyPlans,
  normalizeSafetyPlan,
  removeItem,
  type SafetyPlan,
  type SafetyPlanStepId,
} from '../../core/safetyPlan/safetyPlan';
import { PreconditionFailedError, StorageUnavailableError } from '../../core/ports/documentStore';
import {
  DocumentSafetyPlanRepository,
  SAFETY_PLAN_DOCUMENT_ID,
  SafetyPlanConflictError,
} from '../../bot/people/safetyPlanRepository';
import { MemoryDocumentStore } from '../support/memoryStore';

const NOW = new Date('2025-05-01T12:00:00.000Z');
const LATER = new Date('2025-05-02T08:30:00.000Z');

/** A plan with the given items (added through addItem, so they are valid). */
function planWith(items: Partial<Record<SafetyPlanStepId, string[]>>, now = NOW): SafetyPlan {
  let plan = emptySafetyPlan(now);
  for (const [stepId, list] of Object.entries(items) as [SafetyPlanStepId, string[]][]) {
    for (const item of list) plan = addItem(plan, stepId, item, now).plan;
  }
  return plan;
}

describe('safety plan rules', () => {
  it('has six steps in the Stanley & Brown order', () => {
    expect(SAFETY_PLAN_STEP_IDS).toEqual(['warningSigns', 'copingStrategies', 'distractions', 'helpers', 'professionals', 'safeEnvironment']);
  });

  it('starts empty, versioned and dated', () => {
    const plan = emptySafetyPlan(NOW);
    expect(plan.version).toBe(1);
    expect(plan.updatedAt).toBe(NOW.toISOString());
    expect(isEmpty(plan)).toBe(true);
    expect(isEmpty(undefined)).toBe(true);
    for (const stepId of SAFETY_PLAN_STEP_IDS) expect(plan.steps[stepId]).toEqual([]);
  });

  it('adds a trimmed item with its whitespace collapsed, without touching the original plan', () => {
    const plan = emptySafetyPlan(NOW);
    const result = addItem(plan, SafetyPlanSteps.warningSigns, '  je   dors\n mal\t ', LATER);
    expect(result).toMatchObject({ outcome: 'added', item: 'je dors mal', truncated: false });
    expect(result.plan.steps.warningSigns).toEqual(['je dors mal']);
    expect(result.plan.updatedAt).toBe(LATER.toISOString());
    expect(isEmpty(result.plan)).toBe(false);
    expect(plan.steps.warningSigns).toEqual([]);
    expect(plan.updatedAt).toBe(NOW.toISOString());
  });

  it('refuses empty, blank, emoji-only and punctuation-only items', () => {
    const plan = emptySafetyPlan(NOW);
    for (const junk of ['', '   ', '\n\t', '🙂🙏', '!!! ...', '❤️ 🌱']) {
      const result = addItem(plan, SafetyPlanSteps.copingStrategies, junk, NOW);
      expect(result.outcome).toBe('empty');
      expect(result.plan).toBe(plan);
    }
    expect(hasWords('🙂 marcher')).toBe(true);
    expect(hasWords('911')).toBe(true);
  });

  it('cuts a very long item to the limit, on a word boundary, and says so', () => {
    const long = 'je marche au bord du fleuve '.repeat(200);
    const result = addItem(emptySafetyPlan(NOW), SafetyPlanSteps.copingStrategies, long, NOW);
    expect(result.outcome).toBe('added');
    if (result.outcome !== 'added') return;
    expect(result.truncated).toBe(true);
    expect(Array.from(result.item).length).toBeLessThanOrEqual(MAX_ITEM_LENGTH);
    expect(result.item.endsWith('…')).toBe(true);
    expect(result.item).toMatch(/^je marche au bord du fleuve/);
    expect(result.item).not.toMatch(/\s…$/);
  });

  it('never splits an emoji when cutting', () => {
    const result = addItem(emptySafetyPlan(NOW), SafetyPlanSteps.warningSigns, `a${'😀'.repeat(500)}`, NOW);
    expect(result.outcome).toBe('added');
    if (result.outcome !== 'added') return;
    expect(result.item).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(Array.from(result.item).length).toBeLessThanOrEqual(MAX_ITEM_LENGTH);
  });

  it('keeps an item of exactly the limit whole', () => {
    const exact = 'x'.repeat(MAX_ITEM_LENGTH);
    const result = addItem(emptySafetyPlan(NOW), SafetyPlanSteps.warningSigns, exact, NOW);
    expect(result).toMatchObject({ outcome: 'added', item: exact, truncated: false });
  });

  it('ignores duplicates, whatever the case, accents and punctuation', () => {
    const plan = planWith({ helpers: ['Julie, ma sœur : 514-555-0123'] });
    const result = addItem(plan, SafetyPlanSteps.helpers, 'julie ma sœur 514 555 0123', LATER);
    expect(result.outcome).toBe('duplicate');
    expect(result.plan).toBe(plan);
    const accents = addItem(planWith({ warningSigns: ['Je me sens à bout'] }), SafetyPlanSteps.warningSigns, 'je me sens a bout!', LATER);
    expect(accents.outcome).toBe('duplicate');
    // The same words in another step are not a duplicate.
    expect(addItem(plan, SafetyPlanSteps.professionals, 'Julie, ma sœur : 514-555-0123', LATER).outcome).toBe('added');
  });

  it('caps the number of items per step', () => {
    const plan = planWith({ copingStrategies: Array.from({ length: MAX_ITEMS_PER_STEP }, (_, i) => `chose ${i + 1}`) });
    expect(plan.steps.copingStrategies).toHaveLength(MAX_ITEMS_PER_STEP);
    const result = addItem(plan, SafetyPlanSteps.copingStrategies, 'encore une', LATER);
    expect(result.outcome).toBe('full');
    expect(result.plan).toBe(plan);
    // A duplicate in a full step is still reported as a duplicate.
    expect(addItem(plan, SafetyPlanSteps.copingStrategies, 'Chose 3', LATER).outcome).toBe('duplicate');
  });

  it('removes an item by position or by its words, and returns the same plan when nothing matches', () => {
    const plan = planWith({ distractions: ['le café du coin', 'la bibliothèque', 'jaser avec mon voisin'] });
    expect(removeItem(plan, SafetyPlanSteps.distractions, 1, LATER).steps.distractions).toEqual(['le café du coin', 'jaser avec mon voisin']);
    const byText = removeItem(plan, SafetyPlanSteps.distractions, 'LE CAFE DU COIN', LATER);
    expect(byText.steps.distractions).toEqual(['la bibliothèque', 'jaser avec mon voisin']);
    expect(byText.updatedAt).toBe(LATER.toISOString());
    expect(removeItem(plan, SafetyPlanSteps.distractions, 3, LATER)).toBe(plan);
    expect(removeItem(plan, SafetyPlanSteps.distractions, -1, LATER)).toBe(plan);
    expect(removeItem(plan, SafetyPlanSteps.distractions, 0.5, LATER)).toBe(plan);
    expect(removeItem(plan, SafetyPlanSteps.distractions, 'le cinéma', LATER)).toBe(plan);
    expect(removeItem(plan, SafetyPlanSteps.helpers, 0, LATER)).toBe(plan);
    expect(plan.steps.distractions).toHaveLength(3);
  });

  it('formats the plan as sections in the steps order, every step present', () => {
    const plan = planWith({ safeEnvironment: ['ranger certaines choses chez mon frère'], warningSigns: ['je m’isole', 'je dors mal'] });
    expect(formatSafetyPlan(plan)).toEqual([
      { stepId: 'warningSigns', items: ['je m’isole', 'je dors mal'] },
      { stepId: 'copingStrategies', items: [] },
      { stepId: 'distractions', items: [] },
      { stepId: 'helpers', items: [] },
      { stepId: 'professionals', items: [] },
      { stepId: 'safeEnvironment', items: ['ranger certaines choses chez mon frère'] },
    ]);
  });

  describe('merge after a concurrent write', () => {
    const base = planWith({ warningSigns: ['je dors mal', 'je m’isole'] });

    it('keeps both sides’ additions', () => {
      const ours = addItem(base, SafetyPlanSteps.warningSigns, 'je ne mange plus', LATER).plan;
      const theirs = addItem(base, SafetyPlanSteps.helpers, 'Julie : 514 555-0123', LATER).plan;
      const merged = mergeSafetyPlans(base, ours, theirs, LATER);
      expect(merged.steps.warningSigns).toEqual(['je dors mal', 'je m’isole', 'je ne mange plus']);
      expect(merged.steps.helpers).toEqual(['Julie : 514 555-0123']);
      expect(merged.updatedAt).toBe(LATER.toISOString());
    });

    it('applies a removal made by either side, and keeps the other side’s additions', () => {
      const ours = removeItem(base, SafetyPlanSteps.warningSigns, 'je dors mal', LATER);
      const theirs = addItem(base, SafetyPlanSteps.warningSigns, 'je pleure souvent', LATER).plan;
      expect(mergeSafetyPlans(base, ours, theirs, LATER).steps.warningSigns).toEqual(['je m’isole', 'je pleure souvent']);
      const theirsRemoved = removeItem(base, SafetyPlanSteps.warningSigns, 'je m’isole', LATER);
      const oursAdded = addItem(base, SafetyPlanSteps.warningSigns, 'je pleure souvent', LATER).plan;
      expect(mergeSafetyPlans(base, oursAdded, theirsRemoved, LATER).steps.warningSigns).toEqual(['je dors mal', 'je pleure souvent']);
    });

    it('is a union without a base (both created the plan), without duplicates', () => {
      const ours = planWith({ warningSigns: ['je dors mal', 'A'] });
      const theirs = planWith({ warningSigns: ['Je dors mal', 'B'] });
      expect(mergeSafetyPlans(undefined, ours, theirs, LATER).steps.warningSigns).toEqual(['Je dors mal', 'B', 'A']);
    });

    it('keeps only our additions when the plan was erased meanwhile', () => {
      const ours = addItem(base, SafetyPlanSteps.copingStrategies, 'marcher', LATER).plan;
      const merged = mergeSafetyPlans(base, ours, undefined, LATER);
      expect(merged.steps.warningSigns).toEqual([]);
      expect(merged.steps.copingStrategies).toEqual(['marcher']);
    });

    it('never drops items to respect the per-step cap', () => {
      const nine = planWith({ helpers: Array.from({ length: 9 }, (_, i) => `personne ${i}`) });
      const ours = addItem(nine, SafetyPlanSteps.helpers, 'nous', LATER).plan;
      const theirs = addItem(nine, SafetyPlanSteps.helpers, 'eux', LATER).plan;
      expect(mergeSafetyPlans(nine, ours, theirs, LATER).steps.helpers).toHaveLength(11);
    });
  });

  it('reads stored bodies defensively', () => {
    expect(normalizeSafetyPlan(null)).toEqual({ version: 1, steps: emptySafetyPlan(NOW).steps, updatedAt: new Date(0).toISOString() });
    const plan = normalizeSafetyPlan({
      version: 1,
      updatedAt: NOW.toISOString(),
      steps: { warningSigns: ['  a  b ', 42, null, 'A B', '🙂', 'x'.repeat(500)], unknownStep: ['z'], helpers: 'not a list' },
    });
    expect(plan.updatedAt).toBe(NOW.toISOString());
    expect(plan.steps.warningSigns).toHaveLength(2);
    expect(plan.steps.warningSigns[0]).toBe('a b');
    expect(Array.from(plan.steps.warningSigns[1]).length).toBeLessThanOrEqual(MAX_ITEM_LENGTH);
    expect(plan.steps.helpers).toEqual([]);
    expect(Object.keys(plan.steps).sort()).toEqual([...SAFETY_PLAN_STEP_IDS].sort());
  });
});

describe('DocumentSafetyPlanRepository', () => {
  const person = 'person/é?#1';

  function setup(options: { maxAttempts?: number } = {}) {
    const store = new MemoryDocumentStore();
    const repository = new DocumentSafetyPlanRepository(store, { clock: () => LATER, ...options });
    return { store, repository };
  }

  it('has nothing for a new person, then saves and loads the plan in people/<personKey>/safetyPlan', async () => {
    const { store, repository } = setup();
    expect(await repository.load(person)).toBeUndefined();
    const plan = planWith({ warningSigns: ['je dors mal'] });
    const saved = await repository.save(person, plan);
    expect(saved.plan).toEqual(plan);
    const raw = await store.get<SafetyPlan>('people', person, SAFETY_PLAN_DOCUMENT_ID);
    expect(raw?.body).toEqual(plan);
    expect(raw?.etag).toBe(saved.etag);
    const loaded = await repository.load(person);
    expect(loaded).toEqual({ plan, etag: saved.etag });
    expect(await repository.load('someone-else')).toBeUndefined();
  });

  it('replaces with the ETag it was given', async () => {
    const { store, repository } = setup();
    const first = await repository.save(person, planWith({ warningSigns: ['a'] }));
    const next = addItem(first.plan, SafetyPlanSteps.warningSigns, 'b', LATER).plan;
    const second = await repository.save(person, next, first);
    expect(second.etag).not.toBe(first.etag);
    expect((await repository.load(person))?.plan.steps.warningSigns).toEqual(['a', 'b']);
    expect(store.calls.replace).toBe(1);
  });

  it('merges on PreconditionFailed: an item written by another device in between is not lost', async () => {
    const { store, repository } = setup();
    const start = await repository.save(person, planWith({ warningSigns: ['je dors mal'] }));
    const phone = await repository.load(person);
    const laptop = await repository.load(person);
    if (!phone || !laptop) throw new Error('plan missing');
    await repository.save(person, addItem(phone.plan, SafetyPlanSteps.helpers, 'Julie : 514 555-0123', LATER).plan, phone);
    const merged = await repository.save(person, addItem(laptop.plan, SafetyPlanSteps.warningSigns, 'je m’isole', LATER).plan, laptop);
    expect(merged.plan.steps.warningSigns).toEqual(['je dors mal', 'je m’isole']);
    expect(merged.plan.steps.helpers).toEqual(['Julie : 514 555-0123']);
    expect((await repository.load(person))?.plan).toEqual(merged.plan);
    expect(merged.etag).not.toBe(start.etag);
    expect(store.calls.replace).toBe(3);
  });

  it('applies a removal on conflict without bringing the item back', async () => {
    const { repository } = setup();
    await repository.save(person, planWith({ warningSigns: ['a', 'b'] }));
    const one = await repository.load(person);
    const two = await repository.load(person);
    if (!one || !two) throw new Error('plan missing');
    await repository.save(person, addItem(one.plan, SafetyPlanSteps.warningSigns, 'c', LATER).plan, one);
    const result = await repository.save(person, removeItem(two.plan, SafetyPlanSteps.warningSigns, 'a', LATER), two);
    expect(result.plan.steps.warningSigns).toEqual(['b', 'c']);
  });

  it('merges two first saves that both believed there was no plan', async () => {
    const { repository } = setup();
    await Promise.all([
      repository.save(person, planWith({ warningSigns: ['a'] })),
      repository.save(person, planWith({ copingStrategies: ['marcher'] })),
    ]);
    const stored = await repository.load(person);
    expect(stored?.plan.steps.warningSigns).toEqual(['a']);
    expect(stored?.plan.steps.copingStrategies).toEqual(['marcher']);
  });

  it('loses no item when many writers add at the same time', async () => {
    const { repository } = setup({ maxAttempts: 50 });
    await repository.save(person, emptySafetyPlan(NOW));
    const items = Array.from({ length: 8 }, (_, i) => `chose ${i}`);
    await Promise.all(
      items.map(async (item) => {
        const stored = await repository.load(person);
        const next = addItem(stored?.plan ?? emptySafetyPlan(NOW), SafetyPlanSteps.copingStrategies, item, LATER).plan;
        await repository.save(person, next, stored);
      }),
    );
    expect([...((await repository.load(person))?.plan.steps.copingStrategies ?? [])].sort()).toEqual(items);
  });

  it('keeps only the new items when the plan was erased in between', async () => {
    const { repository } = setup();
    await repository.save(person, planWith({ warningSigns: ['a'] }));
    const read = await repository.load(person);
    if (!read) throw new Error('plan missing');
    expect(await repository.delete(person)).toBe(true);
    const result = await repository.save(person, addItem(read.plan, SafetyPlanSteps.helpers, 'Julie', LATER).plan, read);
    expect(result.plan.steps.warningSigns).toEqual([]);
    expect(result.plan.steps.helpers).toEqual(['Julie']);
  });

  it('deletes the plan, and says when there was none', async () => {
    const { store, repository } = setup();
    await repository.save(person, planWith({ warningSigns: ['a'] }));
    expect(await repository.delete(person)).toBe(true);
    expect(await repository.load(person)).toBeUndefined();
    expect(await repository.delete(person)).toBe(false);
    expect(store.count('people')).toBe(0);
  });

  it('gives up with a clear error under endless contention', async () => {
    const store = new MemoryDocumentStore();
    store.replace = async () => {
      throw new PreconditionFailedError('changed');
    };
    const repository = new DocumentSafetyPlanRepository(store, { maxAttempts: 3 });
    const first = await repository.save(person, planWith({ warningSigns: ['a'] }));
    await expect(repository.save(person, planWith({ warningSigns: ['a', 'b'] }), first)).rejects.toBeInstanceOf(SafetyPlanConflictError);
  });

  it('lets a store outage through to the caller (the dialog keeps the text and says so)', async () => {
    const { store, repository } = setup();
    store.unavailable = true;
    await expect(repository.load(person)).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(repository.save(person, emptySafetyPlan(NOW))).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('refuses an empty person key', async () => {
    const { repository } = setup();
    await expect(repository.load('')).rejects.toBeInstanceOf(TypeError);
  });
});
