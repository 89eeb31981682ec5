import {
  adaptiveCardInvokeResponse,
  buildAcknowledgedEscalationCard,
  buildEscalationCard,
  ESCALATION_ACK_VERB,
  parseAckAction,
  type AdaptiveCard,
} from '../../adapters/notify/escalationCard';
import { escalationCardLabelsEnCA, escalationCardLabelsFor, escalationCardLabelsFrCA } from '../../adapters/notify/escalationCardLabels';
import { makeEscalation } from '../support/escalations';

/** Every string the card shows, wherever it sits. */
function texts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => texts(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'value']) if (typeof o[key] === 'string') out.push(o[key] as string);
    for (const [key, v] of Object.entries(o)) if (key !== 'data' && typeof v === 'object') texts(v, out);
  }
  return out;
}

function findAll(node: unknown, type: string, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) node.forEach((n) => findAll(n, type, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === type) out.push(o);
    Object.values(o).forEach((v) => findAll(v, type, out));
  }
  return out;
}

describe('escalation card', () => {
  const escalation = makeEscalation(2, { saidSafe: false, text: 'Je veux en finir, voir [ici](https://evil.example) **maintenant**' });

  it('shows level, categories in plain words, excerpt, time, pseudonym, scores, steps and safety answer (fr-CA)', () => {
    const card = buildEscalationCard(escalation, { labels: escalationCardLabelsFrCA });
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    const all = texts(card.body);
    expect(all).toEqual(
      expect.arrayContaining([
        'Alerte : personne possiblement en danger',
        'Crise',
        'idées suicidaires, plan ou moyens',
        'Non, selon la personne',
        escalation.personId,
        escalation.id,
        'Intervenant·e lié·e',
        '• Marcher 10 minutes après le souper',
      ]),
    );
    expect(all.some((t) => /^19 — modérément sévère \(20 févr\.? 2025\)$/.test(t))).toBe(true);
    // 14:00 UTC is 9:00 in Montréal (EST) on 1 March 2025.
    expect(all.some((t) => /1 mars 2025/.test(t) && /\b0?9 h 00\b/.test(t))).toBe(true);
  });

  it('puts the person’s words only in TextRun (never markdown-rendered TextBlock)', () => {
    const card = buildEscalationCard(escalation);
    const runs = findAll(card, 'TextRun').map((r) => r.text as string);
    expect(runs.some((t) => t.includes(escalation.excerpt))).toBe(true);
    const blocks = findAll(card, 'TextBlock').map((b) => b.text as string);
    expect(blocks.some((t) => t.includes('evil.example') || t.includes('Marcher'))).toBe(false);
  });

  it('has an Action.Execute acknowledge with verb and escalation id, with a Submit fallback', () => {
    for (const [labels, title] of [
      [escalationCardLabelsFrCA, 'Accuser réception'],
      [escalationCardLabelsEnCA, 'Acknowledge'],
    ] as const) {
      const card = buildEscalationCard(escalation, { labels });
      expect(card.actions).toHaveLength(1);
      const action = card.actions![0] as Record<string, unknown>;
      expect(action).toMatchObject({
        type: 'Action.Execute',
        title,
        verb: ESCALATION_ACK_VERB,
        data: { escalationId: escalation.id, personId: escalation.personId },
      });
      expect(action.fallback).toMatchObject({ type: 'Action.Submit', data: { verb: 'escalation.ack', escalationId: escalation.id } });
    }
  });

  it('renders English labels', () => {
    const card = buildEscalationCard(makeEscalation(1), { labels: escalationCardLabelsEnCA, kind: 'reminder', destination: 'backup', sequence: 2 });
    const all = texts(card.body);
    expect(all).toEqual(
      expect.arrayContaining([
        'Reminder: alert not acknowledged (backup channel)',
        'Reminder #2',
        'Crisis',
        'suicidal thoughts, plan or means',
        'No answer',
        'On call',
      ]),
    );
    // ICU output varies a little between Node builds ("Feb 20" / "Feb. 20"): match loosely.
    expect(all.some((t) => /^19 — moderately severe \(Feb\.? 20, 2025\)$/.test(t))).toBe(true);
    expect(all.some((t) => /Mar\.? 1, 2025/.test(t) && /9:00/.test(t))).toBe(true);
    expect(escalationCardLabelsFor('en-US')).toBe(escalationCardLabelsEnCA);
    expect(escalationCardLabelsFor(undefined)).toBe(escalationCardLabelsFrCA);
  });

  it('shows unknown categories and bands as they are, and empty sections plainly', () => {
    const e = makeEscalation(3, { categories: ['new_signal'], latestScores: [], planSteps: [], saidSafe: true });
    const all = texts(buildEscalationCard(e).body);
    expect(all).toEqual(expect.arrayContaining(['new_signal', 'Aucun questionnaire récent', 'Aucun petit pas en cours', 'Oui, selon la personne']));
  });

  it('has an acknowledged variant for in-place update: who and when, no action', () => {
    const card = buildAcknowledgedEscalationCard(escalation, { by: 'Dre Tremblay', at: '2025-03-01T14:10:00.000Z' });
    expect(card.actions).toEqual([]);
    expect(findAll(card, 'TextRun')[0].text).toMatch(/^Réception accusée par Dre Tremblay, 1 mars 2025,? 0?9 h 10$/);
    const en = buildAcknowledgedEscalationCard(escalation, { by: 'Dr Smith', at: '2025-03-01T14:10:00.000Z' }, { labels: escalationCardLabelsEnCA });
    expect(findAll(en, 'TextRun')[0].text).toMatch(/^Acknowledged by Dr Smith, Mar\.? 1, 2025,? 9:10/);
    expect(adaptiveCardInvokeResponse(card)).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card });
  });

  it('parses the acknowledge invoke (Execute) and its Submit fallback, and nothing else', () => {
    const card: AdaptiveCard = buildEscalationCard(escalation);
    const execute = card.actions![0] as { verb: string; data: unknown; fallback: { data: unknown } };
    const invokeValue = { action: { type: 'Action.Execute', verb: execute.verb, data: execute.data } };
    expect(parseAckAction(invokeValue)).toEqual({ escalationId: escalation.id, personId: escalation.personId });
    expect(parseAckAction(execute.fallback.data)).toEqual({ escalationId: escalation.id, personId: escalation.personId });
    expect(parseAckAction({ action: { verb: 'other', data: execute.data } })).toBeUndefined();
    expect(parseAckAction({ action: { verb: ESCALATION_ACK_VERB, data: { escalationId: '../../etc' } } })).toBeUndefined();
    expect(parseAckAction(undefined)).toBeUndefined();
    expect(parseAckAction({ action: { verb: ESCALATION_ACK_VERB, data: { escalationId: escalation.id, personId: 'bad id' } } })).toEqual({
      escalationId: escalation.id,
    });
  });

  it('is plain JSON', () => {
    const card = buildEscalationCard(escalation);
    expect(JSON.parse(JSON.stringify(card))).toEqual(card);
  });
});
