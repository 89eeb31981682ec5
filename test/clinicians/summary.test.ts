/**
 * The summary's rules (core/clinicians/summary) and its card in both locales.
 */
import { buildClinicianSummary, summarizeMeasures, trendOf, type ClinicianSummary, type SummaryInput } from '../../core/clinicians/summary';
import { addMean, addReview, chooseAction, emptyPlan, rateConfidence, recordSatisfaction, setStepField, type Plan } from '../../core/plan/plan';
import { buildSummaryCard, MAX_CARD_BYTES, summaryActivity } from '../../bot/clinicians/summaryCard';
import { elementsOf, realContent } from './helpers';

const NOW = new Date('2025-03-03T15:00:00.000Z');
const day = (n: number) => new Date(NOW.getTime() - n * 24 * 3_600_000);

function plan(): Plan {
  let p = emptyPlan(day(30));
  p = addMean(p, { kind: 'catalogue', id: 'sleep-routine', category: 'habits' }, 'now', day(30)).plan;
  p = addMean(p, { kind: 'own', text: 'Jouer de la guitare', category: 'potential' }, 'used_to', day(29)).plan;
  const first = chooseAction(p, 'sleep-routine', day(28));
  if (first.outcome !== 'chosen') throw new Error('choose');
  p = first.plan;
  p = setStepField(p, first.action.id, 'what', 'Me coucher à 23 h', day(28)).plan;
  p = rateConfidence(p, first.action.id, 4, day(28)).plan;
  p = addReview(p, first.action.id, { outcome: 'didnt' }, day(21)).plan; // before the period
  p = rateConfidence(p, first.action.id, 6, day(10)).plan;
  p = addReview(p, first.action.id, { outcome: 'worked' }, day(5)).plan;
  p = addReview(p, first.action.id, { outcome: 'partly' }, day(2)).plan;
  p = rateConfidence(p, first.action.id, 7, day(2)).plan;
  p = recordSatisfaction(p, 'some', day(3));
  return p;
}

function input(overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    personId: 'P-0123456789AB',
    now: NOW,
    since: day(14).toISOString(),
    reason: 'scheduled',
    meetingAt: '2025-03-04T16:00:00.000Z',
    plan: plan(),
    scores: [
      { instrument: 'GAD-7', score: 9, band: 'mild', at: '2025-03-01T15:00:00.000Z', caseness: true, reliableChange: 'none' },
      { instrument: 'PHQ-9', score: 19, band: 'moderately_severe', at: '2025-01-10T15:00:00.000Z', caseness: true },
      { instrument: 'PHQ-9', score: 12, band: 'moderate', at: '2025-03-01T15:00:00.000Z', caseness: true, reliableChange: 'improved' },
      { instrument: 'PHQ-9', score: Number.NaN, band: 'x', at: '2025-03-02T15:00:00.000Z' },
    ],
    escalations: [
      { id: 'E-000000000000000000000001', level: 'concern', categories: ['self_harm'], createdAt: day(20).toISOString(), status: 'acknowledged' },
      { id: 'E-000000000000000000000002', level: 'crisis', categories: ['suicidal_ideation'], createdAt: day(4).toISOString(), status: 'delivered' },
      { id: 'E-000000000000000000000003', level: 'concern', categories: ['overdose'], createdAt: day(1).toISOString(), status: 'acknowledged', acknowledgedAt: day(1).toISOString() },
    ],
    meanLabel: (mean) => (mean.id.startsWith('own:') ? (mean.text ?? '') : `label:${mean.id}`),
    ...overrides,
  };
}

describe('the summary', () => {
  it('counts the period since the last summary, and keeps the whole journey', () => {
    const s = buildClinicianSummary(input());
    expect(s.period).toEqual({ from: day(14).toISOString(), to: NOW.toISOString() });
    expect(s.programme).toMatchObject({ week: 5, totalWeeks: 8 });
    expect(s.tinySteps).toEqual({ inPeriod: { worked: 1, partly: 1, didnt: 0 }, goodMovesInPeriod: 1, allTime: { stepsTried: 1, worked: 1, partly: 1, didnt: 1 } });
    expect(s.plan.means).toEqual([
      { category: 'habits', means: [{ id: 'sleep-routine', label: 'label:sleep-routine', status: 'now', own: false }] },
      { category: 'potential', means: [expect.objectContaining({ label: 'Jouer de la guitare', status: 'used_to', own: true })] },
    ]);
    expect(s.plan.activeSteps).toEqual([expect.objectContaining({ mean: 'label:sleep-routine', what: 'Me coucher à 23 h', confidence: 7 })]);
    expect(s.escalations).toMatchObject({ total: 2, crisis: 1, concern: 1, unacknowledged: 1 });
    expect(s.escalations.items.map((e) => e.id)).toEqual(['E-000000000000000000000003', 'E-000000000000000000000002']);
    expect(s.satisfaction).toEqual({ programme: { value: 'some', at: day(3).toISOString() } });
  });

  it('uses the motivation ruler when there is one, else the confidence of tiny steps', () => {
    expect(buildClinicianSummary(input()).motivation).toEqual({
      source: 'confidence',
      trend: 'rising',
      latest: 7,
      ratings: [
        { at: day(28).toISOString(), value: 4 },
        { at: day(10).toISOString(), value: 6 },
        { at: day(2).toISOString(), value: 7 },
      ],
    });
    const ruler = buildClinicianSummary(input({ motivation: [{ at: day(9).toISOString(), value: 8 }, { at: day(2).toISOString(), value: 5 }, { at: 'bad', value: 3 }, { at: day(1).toISOString(), value: 11 }] })).motivation;
    expect(ruler).toMatchObject({ source: 'checkin', trend: 'falling', latest: 5 });
    expect(ruler.ratings).toHaveLength(2);
  });

  it('reads trends', () => {
    expect(trendOf([])).toBe('insufficient');
    expect(trendOf([5])).toBe('insufficient');
    expect(trendOf([5, 6])).toBe('rising');
    expect(trendOf([5, 5.5])).toBe('steady');
    expect(trendOf([8, 8, 8, 6, 6, 7])).toBe('falling');
    expect(trendOf([2, 2, 2, 2, 2, 2, 6, 6, 6])).toBe('rising');
  });

  it('orders questionnaires, keeps bands, caseness and reliable change, and the change since the previous', () => {
    const measures = summarizeMeasures(input().scores);
    expect(measures.map((m) => m.instrument)).toEqual(['PHQ-9', 'GAD-7']);
    expect(measures[0]).toEqual({
      instrument: 'PHQ-9',
      maxScore: 27,
      latest: { score: 12, band: 'moderate', at: '2025-03-01T15:00:00.000Z', caseness: true, reliableChange: 'improved' },
      previous: { score: 19, band: 'moderately_severe', at: '2025-01-10T15:00:00.000Z' },
      change: -7,
      series: [{ at: '2025-01-10T15:00:00.000Z', score: 19 }, { at: '2025-03-01T15:00:00.000Z', score: 12 }],
    });
    expect(measures[1]).not.toHaveProperty('previous');
  });

  it('is whole with nothing to tell (first summary, no plan, nothing measured)', () => {
    const s = buildClinicianSummary(input({ plan: undefined, scores: [], escalations: [], since: undefined, reason: 'on_demand', meetingAt: undefined }));
    expect(s).toEqual({
      personId: 'P-0123456789AB',
      generatedAt: NOW.toISOString(),
      reason: 'on_demand',
      period: { to: NOW.toISOString() },
      plan: { means: [], activeSteps: [] },
      tinySteps: { inPeriod: { worked: 0, partly: 0, didnt: 0 }, goodMovesInPeriod: 0, allTime: { stepsTried: 0, worked: 0, partly: 0, didnt: 0 } },
      motivation: { source: 'confidence', trend: 'insufficient', ratings: [] },
      measures: [],
      satisfaction: {},
      escalations: { total: 0, crisis: 0, concern: 0, unacknowledged: 0, items: [] },
    });
  });
});

describe('the summary card', () => {
  const { texts } = realContent();
  const summary = buildClinicianSummary(input({ helpfulness: [{ at: day(3).toISOString(), value: 6 }] }));

  function texts_(card: unknown): string[] {
    return elementsOf(card).flatMap((e) => [e.text, e.title, e.value].filter((v): v is string => typeof v === 'string'));
  }

  it('speaks French to a French-speaking clinician', () => {
    const activity = summaryActivity(summary, { texts, locale: 'fr-CA' });
    expect(activity.summary).toBe('Résumé avant la rencontre du 4 mars 2025');
    const all = texts_(activity.attachments![0].content);
    expect(all).toEqual(
      expect.arrayContaining([
        'Période : depuis le 17 févr. 2025',
        'semaine 5 sur 8',
        'en partie satisfaite (28 févr. 2025)',
        '6/10 (28 févr. 2025)',
        '12/27, modéré (1 mars 2025) · au-dessus du seuil clinique · amélioration fiable · −7 depuis le 10 janv. 2025',
        '9/21, léger (1 mars 2025) · au-dessus du seuil clinique · pas de changement fiable',
        'Confiance dans les petits pas (0 à 10)',
        '7/10, en hausse',
        'réussis : 1 ; en partie : 1 ; pas réussis : 0',
        'Habitudes de vie',
        'Potentiel',
      ]),
    );
    expect(all.some((t) => /^\d+ févr\. 2025, \d+ h \d\d : crise \(idées suicidaires\), envoyée, sans accusé de réception$/.test(t))).toBe(true);
  });

  it('speaks English to an English-speaking clinician', () => {
    const card = buildSummaryCard(summary, { texts, locale: 'en-CA' });
    const all = texts_(card);
    expect(all).toEqual(
      expect.arrayContaining([
        'Summary before the meeting on Mar 4, 2025',
        'Period: since Feb 17, 2025',
        'week 5 of 8',
        '12/27, moderate (Mar 1, 2025) · above the clinical cut-off · reliable improvement · −7 since Jan 10, 2025',
        'worked: 1; partly: 1; didn\'t work: 0',
        'Life habits',
      ]),
    );
    const runs = elementsOf(card).filter((e) => e.type === 'TextRun').map((e) => e.text);
    expect(runs).toContain('• label:sleep-routine');
    expect(runs).toContain(': Me coucher à 23 h');
  });

  it('stays under the Teams message size, dropping the image first, then shortening lists', () => {
    let big = plan();
    for (let i = 0; i < 90; i++) big = addMean(big, { kind: 'own', text: `Un moyen assez long pour remplir la carte numéro ${i} ${'x'.repeat(60)}`, category: 'habits' }, 'explore', day(1)).plan;
    const large = buildClinicianSummary(input({ plan: big }));
    const chart = { png: Buffer.alloc(15_000), width: 480, height: 200, bytes: 15_000, dataUri: `data:image/png;base64,${Buffer.alloc(15_000).toString("base64")}` };
    const card = buildSummaryCard(large, { texts, locale: 'fr-CA', chart });
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(elementsOf(card).some((e) => e.type === 'Image')).toBe(false);
    expect(JSON.stringify(card)).toMatch(/et \d+ autre\(s\)/);
    const small = buildSummaryCard(summary, { texts, locale: 'fr-CA', chart });
    expect(elementsOf(small).some((e) => e.type === 'Image')).toBe(true);
  });

  it('never lets the person’s words become markdown', () => {
    const tricky = buildClinicianSummary(input({ plan: addMean(plan(), { kind: 'own', text: '**gras** [lien](https://x.example)', category: 'habits' }, 'now', day(1)).plan }));
    const card = buildSummaryCard(tricky, { texts, locale: 'fr-CA' });
    const blocks = elementsOf(card).filter((e) => e.type === 'TextBlock').map((e) => String(e.text));
    expect(blocks.some((t) => t.includes('x.example'))).toBe(false);
    expect(elementsOf(card).some((e) => e.type === 'TextRun' && String(e.text).includes('[lien](https://x.example)'))).toBe(true);
  });
});

export type { ClinicianSummary };
