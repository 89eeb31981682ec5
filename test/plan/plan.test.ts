import { PLAN_CATEGORY_IDS, PlanCategories, isPlanCategoryId } from '../../core/plan/categories';
import {
  MAX_ACTIVE_ACTIONS,
  MAX_CONFIDENCE_HISTORY,
  MAX_MEANS,
  MAX_PAST_ACTIONS,
  MAX_PRIDES,
  MAX_REVIEWS_PER_ACTION,
  activeActions,
  addMean,
  addPride,
  addReview,
  chooseAction,
  chooseOrientation,
  compactPlan,
  currentConfidence,
  decideReview,
  discardEmptyAction,
  emptyPlan,
  endAction,
  explainReview,
  findAction,
  isPlanEmpty,
  isStepComplete,
  journeySummary,
  meansByCategory,
  nextMissingField,
  ownMeanId,
  rateConfidence,
  recordSatisfaction,
  removeMean,
  setStepField,
  setTotalWeeks,
  type Plan,
} from '../../core/plan/plan';
import { normalizePlan } from '../../core/plan/normalize';
import { MAX_TEXT_LENGTH, cleanText } from '../../core/plan/text';

const NOW = new Date('2025-03-03T15:00:00.000Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

function withMeans(...ids: string[]): Plan {
  let plan = emptyPlan(NOW);
  for (const id of ids) plan = addMean(plan, { kind: 'catalogue', id, category: 'habits' }, 'explore', NOW).plan;
  return plan;
}

/** A plan with an active action on `walk-outside`, its tiny step complete and rated. */
function withAction(confidence = 8): { plan: Plan; actionId: string } {
  let plan = withMeans('walk-outside', 'breathing');
  const chosen = chooseAction(plan, 'walk-outside', NOW);
  if (chosen.outcome !== 'chosen') throw new Error('not chosen');
  plan = chosen.plan;
  for (const [field, text] of [['what', 'Marcher 10 minutes'], ['when', 'Le matin'], ['where', 'Au parc'], ['howOften', '2 fois']] as const) {
    plan = setStepField(plan, chosen.action.id, field, text, NOW).plan;
  }
  plan = rateConfidence(plan, chosen.action.id, confidence, NOW).plan;
  return { plan, actionId: chosen.action.id };
}

describe('categories', () => {
  it('has the five recovery categories in order', () => {
    expect(PLAN_CATEGORY_IDS).toEqual(['resources', 'habits', 'relationships', 'dailyLife', 'potential']);
    expect(PlanCategories.dailyLife).toBe('dailyLife');
  });

  it.each([
    ['habits', true],
    ['potential', true],
    ['sleep', false],
    ['', false],
    [3, false],
    [null, false],
  ])('isPlanCategoryId(%p) = %p', (value, expected) => {
    expect(isPlanCategoryId(value)).toBe(expected);
  });
});

describe('cleanText', () => {
  it.each([
    ['  marcher   au  parc ', 'marcher au parc', false],
    ['ligne 1\nligne 2', 'ligne 1 ligne 2', false],
    ['🙂 lire', '🙂 lire', false],
  ])('%p → %p', (raw, text, truncated) => {
    expect(cleanText(raw)).toEqual({ text, truncated });
  });

  it.each([[''], ['   '], ['🙂🙂'], ['?!'], [42], [null]])('%p has no usable words', (raw) => {
    expect(cleanText(raw)).toBeUndefined();
  });

  it('cuts long texts with an ellipsis', () => {
    const cut = cleanText('mot '.repeat(200));
    expect(cut?.truncated).toBe(true);
    expect(Array.from(cut?.text ?? '').length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(cut?.text.endsWith('…')).toBe(true);
  });
});

describe('means', () => {
  it('starts empty', () => {
    const plan = emptyPlan(NOW);
    expect(isPlanEmpty(plan)).toBe(true);
    expect(isPlanEmpty(undefined)).toBe(true);
    expect(plan.programme).toEqual({ startedAt: NOW.toISOString(), totalWeeks: 8, satisfaction: [] });
    expect(emptyPlan(NOW, 10).programme.totalWeeks).toBe(10);
  });

  it.each([
    ['now' as const],
    ['used_to' as const],
    ['explore' as const],
  ])('adds a catalogue mean with status %p', (status) => {
    const result = addMean(emptyPlan(NOW), { kind: 'catalogue', id: 'walk-outside', category: 'habits' }, status, NOW);
    expect(result.outcome).toBe('added');
    expect(result.plan.means).toEqual([{ id: 'walk-outside', category: 'habits', status, addedAt: NOW.toISOString(), updatedAt: NOW.toISOString() }]);
    expect(isPlanEmpty(result.plan)).toBe(false);
  });

  it('adds an own mean in the person’s words, keyed by its words', () => {
    const result = addMean(emptyPlan(NOW), { kind: 'own', text: '  Jouer aux cartes avec mon fils ! ', category: 'relationships' }, 'now', NOW);
    expect(result.outcome).toBe('added');
    if (result.outcome !== 'added') return;
    expect(result.mean).toMatchObject({ id: ownMeanId('Jouer aux cartes avec mon fils !'), text: 'Jouer aux cartes avec mon fils !', category: 'relationships' });
    const again = addMean(result.plan, { kind: 'own', text: 'jouer aux CARTES avec mon fils', category: 'relationships' }, 'now', NOW);
    expect(again.outcome).toBe('unchanged');
    expect(again.plan).toBe(result.plan);
  });

  it('updates the status of a mean already there, and leaves it alone when the same', () => {
    const plan = withMeans('walk-outside');
    const same = addMean(plan, { kind: 'catalogue', id: 'walk-outside', category: 'habits' }, 'explore', NOW);
    expect(same.outcome).toBe('unchanged');
    expect(same.plan).toBe(plan);
    const updated = addMean(plan, { kind: 'catalogue', id: 'walk-outside', category: 'habits' }, 'now', later(1));
    expect(updated).toMatchObject({ outcome: 'updated', previous: 'explore', mean: { status: 'now' } });
    expect(updated.plan.means).toHaveLength(1);
  });

  it.each([
    [{ kind: 'own' as const, text: '🙂🙂', category: 'habits' as const }],
    [{ kind: 'own' as const, text: '   ', category: 'habits' as const }],
    [{ kind: 'catalogue' as const, id: 'Not An Id', category: 'habits' as const }],
    [{ kind: 'catalogue' as const, id: 'walk-outside', category: 'sleep' as never }],
  ])('refuses %p', (input) => {
    const plan = emptyPlan(NOW);
    const result = addMean(plan, input, 'now', NOW);
    expect(result.outcome).toBe('empty');
    expect(result.plan).toBe(plan);
  });

  it('stops adding at MAX_MEANS', () => {
    let plan = emptyPlan(NOW);
    for (let i = 0; i < MAX_MEANS; i++) plan = addMean(plan, { kind: 'own', text: `moyen ${i}`, category: 'potential' }, 'explore', NOW).plan;
    expect(plan.means).toHaveLength(MAX_MEANS);
    expect(addMean(plan, { kind: 'own', text: 'encore un', category: 'potential' }, 'explore', NOW).outcome).toBe('full');
  });

  it('groups means by category in the categories’ order', () => {
    let plan = emptyPlan(NOW);
    plan = addMean(plan, { kind: 'catalogue', id: 'hobby', category: 'potential' }, 'now', NOW).plan;
    plan = addMean(plan, { kind: 'catalogue', id: 'talk-to-clinician', category: 'resources' }, 'now', NOW).plan;
    plan = addMean(plan, { kind: 'catalogue', id: 'music', category: 'potential' }, 'now', NOW).plan;
    expect(meansByCategory(plan).map((g) => [g.category, g.means.map((m) => m.id)])).toEqual([
      ['resources', ['talk-to-clinician']],
      ['potential', ['hobby', 'music']],
    ]);
  });

  it('removes a mean and stops its active tiny step', () => {
    const { plan, actionId } = withAction();
    const result = removeMean(plan, 'walk-outside', later(5));
    expect(result.removed?.id).toBe('walk-outside');
    expect(result.stopped.map((a) => a.id)).toEqual([actionId]);
    expect(result.plan.means.map((m) => m.id)).toEqual(['breathing']);
    expect(findAction(result.plan, actionId)?.status).toBe('stopped');
    expect(activeActions(result.plan)).toHaveLength(0);
    const none = removeMean(result.plan, 'nope', NOW);
    expect(none.plan).toBe(result.plan);
    expect(none.removed).toBeUndefined();
  });
});

describe('prides and good moves', () => {
  it('adds a pride, ignores duplicates and empty ones', () => {
    const first = addPride(emptyPlan(NOW), "J'ai appelé ma sœur", NOW);
    expect(first.outcome).toBe('added');
    expect(first.plan.prides).toEqual([{ text: "J'ai appelé ma sœur", kind: 'pride', at: NOW.toISOString() }]);
    const again = addPride(first.plan, "j'ai appelé ma soeur !", NOW);
    expect(again.outcome).toBe('duplicate');
    expect(again.plan).toBe(first.plan);
    expect(addPride(first.plan, '👍', NOW).outcome).toBe('empty');
  });
});

describe('actions and tiny steps', () => {
  it('chooses an action on any mean, whatever its status', () => {
    for (const status of ['now', 'used_to', 'explore'] as const) {
      const plan = addMean(emptyPlan(NOW), { kind: 'catalogue', id: 'walk-outside', category: 'habits' }, status, NOW).plan;
      const result = chooseAction(plan, 'walk-outside', NOW);
      expect(result.outcome).toBe('chosen');
    }
  });

  it('allows at most two active actions, and gives back the active one for the same mean', () => {
    let plan = withMeans('walk-outside', 'breathing', 'drink-water');
    const first = chooseAction(plan, 'walk-outside', NOW);
    expect(first.outcome).toBe('chosen');
    plan = first.plan;
    expect(chooseAction(plan, 'walk-outside', NOW)).toMatchObject({ outcome: 'alreadyActive', action: { meanId: 'walk-outside' } });
    plan = chooseAction(plan, 'breathing', NOW).plan;
    expect(activeActions(plan)).toHaveLength(MAX_ACTIVE_ACTIONS);
    const third = chooseAction(plan, 'drink-water', NOW);
    expect(third.outcome).toBe('full');
    expect(third.plan).toBe(plan);
    expect(chooseAction(plan, 'unknown-mean', NOW).outcome).toBe('unknownMean');
  });

  it('gives each action its own id, even after one ends', () => {
    let plan = withMeans('walk-outside', 'breathing');
    const a = chooseAction(plan, 'walk-outside', NOW);
    plan = endAction(a.plan, (a as { action: { id: string } }).action.id, NOW).plan;
    const b = chooseAction(plan, 'walk-outside', NOW);
    expect(b.outcome).toBe('chosen');
    if (a.outcome === 'chosen' && b.outcome === 'chosen') expect(b.action.id).not.toBe(a.action.id);
  });

  it('fills the tiny step one part at a time', () => {
    let plan = withMeans('walk-outside');
    const chosen = chooseAction(plan, 'walk-outside', NOW);
    if (chosen.outcome !== 'chosen') throw new Error();
    plan = chosen.plan;
    expect(nextMissingField(chosen.action.step)).toBe('what');
    const steps: Array<[Parameters<typeof setStepField>[2], string, string | undefined]> = [
      ['what', 'Marcher', 'when'],
      ['when', 'Le matin', 'where'],
      ['where', 'Dehors', 'howOften'],
      ['howOften', 'Chaque jour', undefined],
    ];
    for (const [field, text, next] of steps) {
      const result = setStepField(plan, chosen.action.id, field, text, NOW);
      expect(result.outcome).toBe('changed');
      plan = result.plan;
      expect(nextMissingField(findAction(plan, chosen.action.id)!.step)).toBe(next);
    }
    expect(isStepComplete(findAction(plan, chosen.action.id)!.step)).toBe(true);
    expect(setStepField(plan, chosen.action.id, 'when', 'Le matin', NOW).outcome).toBe('unchanged');
    expect(setStepField(plan, chosen.action.id, 'when', '🙂', NOW).outcome).toBe('invalid');
    expect(setStepField(plan, 'a99', 'when', 'Le soir', NOW).outcome).toBe('unknownAction');
  });

  it('keeps every confidence rating, the last being the current one', () => {
    const { plan, actionId } = withAction(5);
    const again = rateConfidence(plan, actionId, 8, later(2));
    const action = findAction(again.plan, actionId)!;
    expect(action.confidence.map((c) => c.value)).toEqual([5, 8]);
    expect(currentConfidence(action)).toBe(8);
    expect(rateConfidence(plan, actionId, 11, NOW).outcome).toBe('invalid');
    expect(rateConfidence(plan, actionId, 6.5, NOW).outcome).toBe('invalid');
  });

  it('discards an action chosen a moment ago when nothing was written for it', () => {
    const plan = withMeans('walk-outside');
    const chosen = chooseAction(plan, 'walk-outside', NOW);
    if (chosen.outcome !== 'chosen') throw new Error();
    const discarded = discardEmptyAction(chosen.plan, chosen.action.id, NOW);
    expect(activeActions(discarded)).toHaveLength(0);
    const filled = setStepField(chosen.plan, chosen.action.id, 'what', 'Marcher', NOW).plan;
    expect(discardEmptyAction(filled, chosen.action.id, NOW)).toBe(filled);
  });
});

describe('reviews', () => {
  it.each([
    ['worked' as const, 1],
    ['partly' as const, 0],
    ['didnt' as const, 0],
  ])('records %p (good moves added: %i)', (outcome, goodMoves) => {
    const { plan, actionId } = withAction();
    const result = addReview(plan, actionId, { outcome }, later(60));
    expect(result.outcome).toBe('changed');
    expect(findAction(result.plan, actionId)!.reviews).toEqual([{ at: later(60).toISOString(), outcome }]);
    expect(result.plan.prides.filter((p) => p.kind === 'goodMove')).toHaveLength(goodMoves);
  });

  it('adds the why afterwards', () => {
    const { plan, actionId } = withAction();
    const reviewed = addReview(plan, actionId, { outcome: 'didnt' }, NOW).plan;
    const explained = explainReview(reviewed, actionId, "Pas eu l'énergie", NOW).plan;
    expect(findAction(explained, actionId)!.reviews[0]).toMatchObject({ outcome: 'didnt', why: "Pas eu l'énergie" });
  });

  it.each([
    ['keep' as const, 'active'],
    ['adjust' as const, 'active'],
    ['swap' as const, 'swapped'],
  ])('decision %p leaves the action %p', (decision, status) => {
    const { plan, actionId } = withAction();
    const reviewed = addReview(plan, actionId, { outcome: 'partly' }, NOW).plan;
    const decided = decideReview(reviewed, actionId, decision, later(1));
    const action = findAction(decided.plan, actionId)!;
    expect(action.status).toBe(status);
    expect(action.reviews[0].decision).toBe(decision);
    if (decision === 'swap') {
      expect(action.endedAt).toBe(later(1).toISOString());
      expect(chooseAction(decided.plan, 'breathing', NOW).outcome).toBe('chosen');
    }
  });

  it('refuses reviews on ended or unknown actions', () => {
    const { plan, actionId } = withAction();
    const ended = endAction(plan, actionId, NOW).plan;
    expect(addReview(ended, actionId, { outcome: 'worked' }, NOW).outcome).toBe('unknownAction');
    expect(decideReview(ended, actionId, 'keep', NOW).outcome).toBe('unknownAction');
    expect(addReview(plan, 'a42', { outcome: 'worked' }, NOW).outcome).toBe('unknownAction');
  });
});

describe('programme in the plan', () => {
  it('records satisfaction and the orientation of the final review', () => {
    let plan = recordSatisfaction(emptyPlan(NOW), 'some', NOW);
    expect(plan.programme.satisfaction).toEqual([{ value: 'some', at: NOW.toISOString() }]);
    plan = chooseOrientation(plan, 'clinician', later(1));
    expect(plan.programme).toMatchObject({ orientation: 'clinician', finalReviewAt: later(1).toISOString() });
    expect(setTotalWeeks(plan, 10, NOW).programme.totalWeeks).toBe(10);
    expect(setTotalWeeks(plan, 8, NOW)).toBe(plan);
  });

  it('summarises the journey', () => {
    let { plan, actionId } = withAction();
    plan = addMean(plan, { kind: 'catalogue', id: 'hobby', category: 'potential' }, 'now', NOW).plan;
    plan = addReview(plan, actionId, { outcome: 'worked' }, NOW).plan;
    plan = addReview(plan, actionId, { outcome: 'didnt' }, NOW).plan;
    plan = addPride(plan, 'Je suis sorti', NOW).plan;
    expect(journeySummary(plan)).toEqual({
      means: { now: 1, used_to: 0, explore: 2 },
      prides: 1,
      goodMoves: 1,
      stepsTried: 1,
      reviews: { worked: 1, partly: 0, didnt: 1 },
    });
  });
});

describe('bounded size', () => {
  it('caps prides, ratings, reviews and past actions, folding the oldest into counts', () => {
    let { plan, actionId } = withAction();
    for (let i = 0; i < MAX_PRIDES + 5; i++) plan = addPride(plan, `fierté ${i}`, NOW).plan;
    for (let i = 0; i < MAX_CONFIDENCE_HISTORY + 3; i++) plan = rateConfidence(plan, actionId, i % 11, NOW).plan;
    for (let i = 0; i < MAX_REVIEWS_PER_ACTION + 4; i++) plan = addReview(plan, actionId, { outcome: 'partly' }, NOW).plan;
    expect(plan.prides).toHaveLength(MAX_PRIDES);
    expect(plan.earlierPrides).toBe(5);
    expect(plan.prides[0].text).toBe('fierté 5');
    const action = findAction(plan, actionId)!;
    expect(action.confidence).toHaveLength(MAX_CONFIDENCE_HISTORY);
    expect(action.earlierRatings).toBe(4);
    expect(action.reviews).toHaveLength(MAX_REVIEWS_PER_ACTION);
    expect(action.earlierReviews.partly).toBe(4);
    expect(journeySummary(plan).reviews.partly).toBe(MAX_REVIEWS_PER_ACTION + 4);

    for (let i = 0; i < MAX_PAST_ACTIONS + 3; i++) {
      const chosen = chooseAction(plan, 'breathing', NOW);
      if (chosen.outcome !== 'chosen') throw new Error(chosen.outcome);
      plan = addReview(chosen.plan, chosen.action.id, { outcome: 'worked' }, NOW).plan;
      plan = decideReview(plan, chosen.action.id, 'swap', NOW).plan;
    }
    expect(plan.actions.filter((a) => a.status !== 'active')).toHaveLength(MAX_PAST_ACTIONS);
    expect(plan.pastSummary.actions).toBe(3);
    expect(plan.pastSummary.reviews.worked).toBe(3);
    expect(journeySummary(plan).stepsTried).toBe(1 + MAX_PAST_ACTIONS + 3);
    expect(JSON.stringify(plan).length).toBeLessThan(60_000);
    expect(compactPlan(plan)).toBe(plan);
  });
});

describe('normalizePlan', () => {
  it('reads back what it wrote', () => {
    const { plan } = withAction();
    expect(normalizePlan(JSON.parse(JSON.stringify(plan)), NOW)).toEqual(plan);
  });

  it.each([[null], [undefined], ['texte'], [42], [[]], [{}], [{ means: 'x', actions: {}, prides: null, programme: [] }]])('turns %p into an empty plan', (raw) => {
    const plan = normalizePlan(raw, NOW);
    expect(isPlanEmpty(plan)).toBe(true);
    expect(plan.programme.totalWeeks).toBe(8);
  });

  it('drops only the entries it cannot read, and never keeps more than two active actions', () => {
    const raw = {
      createdAt: '2025-01-01T00:00:00.000Z',
      means: [
        { id: 'walk-outside', category: 'habits', status: 'now' },
        { id: 'walk-outside', category: 'habits', status: 'explore' },
        { id: 'bad id!', category: 'habits', status: 'now' },
        { id: 'hobby', category: 'nowhere', status: 'now' },
        { id: 'own:cartes', category: 'relationships', status: 'explore', text: 'Cartes' },
        { id: 'own:rien', category: 'relationships', status: 'explore', text: '🙂' },
      ],
      prides: [{ text: 'Bravo', kind: 'pride', at: 'nope' }, { text: '' }, 'string'],
      actions: [
        { id: 'a1', meanId: 'walk-outside', status: 'active', step: { what: 'Marcher', when: 3 }, confidence: [{ value: 8, at: '2025-01-02T00:00:00Z' }, { value: 99, at: 'x' }] },
        { id: 'a2', meanId: 'own:cartes', status: 'active', step: {} },
        { id: 'a3', meanId: 'hobby', status: 'active', step: {} },
        { id: 'a7', meanId: 'hobby', status: 'weird', step: {}, reviews: [{ outcome: 'worked', at: '2025-01-03T00:00:00Z', decision: 'nope' }] },
        { meanId: 'x' },
      ],
      programme: { startedAt: '2025-01-01T00:00:00.000Z', totalWeeks: 42, orientation: 'moon' },
    };
    const plan = normalizePlan(raw, NOW);
    expect(plan.means.map((m) => m.id)).toEqual(['walk-outside', 'own:cartes']);
    expect(plan.prides).toEqual([{ text: 'Bravo', kind: 'pride', at: '2025-01-01T00:00:00.000Z' }]);
    expect(plan.actions.map((a) => [a.id, a.status])).toEqual([
      ['a1', 'active'],
      ['a2', 'active'],
      ['a3', 'stopped'],
      ['a7', 'stopped'],
    ]);
    expect(plan.actions[0].step).toEqual({ what: 'Marcher' });
    expect(plan.actions[0].confidence).toEqual([{ value: 8, at: '2025-01-02T00:00:00Z' }]);
    expect(plan.actions[3].reviews).toEqual([{ outcome: 'worked', at: '2025-01-03T00:00:00Z' }]);
    expect(plan.nextActionNumber).toBe(8);
    expect(plan.programme).toEqual({ startedAt: '2025-01-01T00:00:00.000Z', totalWeeks: 10, satisfaction: [] });
  });
});
