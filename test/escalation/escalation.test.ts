import {
  BACKOFF_MAX_MS,
  buildEscalation,
  escalationIdFor,
  excerptOf,
  initialDeliveryState,
  markAcknowledged,
  markAttemptFailed,
  markDelivered,
  markReminderFailed,
  markReminderSent,
  mergeDeliveryStates,
  needsReminder,
  nextAttemptDelayMs,
  nextReminderAt,
  pseudonymousPersonId,
  type DeliveryState,
} from '../../core/escalation/escalation';

const SECRET = 'test-secret';
const T0 = new Date('2025-03-01T14:00:00.000Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

describe('nextAttemptDelayMs', () => {
  it('doubles from 5 s and caps at 5 min', () => {
    const table = [0, 1, 2, 3, 4, 5, 6, 7, 8, 50, 10_000].map((n) => nextAttemptDelayMs(n));
    expect(table).toEqual([0, 5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000]);
    expect(BACKOFF_MAX_MS).toBe(300_000);
  });

  it('adds a bounded, deterministic jitter and never exceeds the cap', () => {
    expect(nextAttemptDelayMs(1, { jitter: 0.5 })).toBe(5_500);
    expect(nextAttemptDelayMs(1, { jitter: 0.5 })).toBe(nextAttemptDelayMs(1, { jitter: 0.5 }));
    for (const j of [0, 0.25, 0.999, 5]) {
      const d = nextAttemptDelayMs(3, { jitter: j });
      expect(d).toBeGreaterThanOrEqual(20_000);
      expect(d).toBeLessThanOrEqual(24_000);
    }
    expect(nextAttemptDelayMs(7, { jitter: 0.9 })).toBe(300_000);
    expect(nextAttemptDelayMs(Number.NaN)).toBe(0);
  });
});

describe('excerptOf', () => {
  it('collapses whitespace and keeps short text whole', () => {
    expect(excerptOf('  je   suis\n\n fatigué\t ')).toBe('je suis fatigué');
    expect(excerptOf('')).toBe('');
  });

  it('cuts long text at a word boundary with an ellipsis, within 160 characters', () => {
    const words = Array.from({ length: 60 }, (_, i) => `mot${i}`).join(' ');
    const out = excerptOf(words);
    expect(Array.from(out).length).toBeLessThanOrEqual(160);
    expect(out.endsWith('…')).toBe(true);
    const head = out.slice(0, -1);
    expect(words.startsWith(head)).toBe(true);
    expect(words[head.length]).toBe(' '); // the cut falls between words
  });

  it('hard-cuts one very long word, and never splits an emoji', () => {
    const long = 'a'.repeat(400);
    expect(excerptOf(long)).toBe(`${'a'.repeat(159)}…`);
    const emojis = '😢'.repeat(200);
    const out = excerptOf(emojis);
    expect(Array.from(out).length).toBe(160);
    expect(out).toBe(`${'😢'.repeat(159)}…`);
  });

  it('removes control and zero-width characters', () => {
    expect(excerptOf('a\u0000b\u200Bc\u0007 d')).toBe('abc d');
  });
});

describe('identifiers', () => {
  it('derives the same escalation id from the same event, a different one otherwise', () => {
    const a = escalationIdFor(SECRET, 'msteams:user-1', 'activity-1');
    expect(a).toMatch(/^E-[0-9a-f]{24}$/);
    expect(escalationIdFor(SECRET, 'msteams:user-1', 'activity-1')).toBe(a);
    expect(escalationIdFor(SECRET, 'msteams:user-1', 'activity-2')).not.toBe(a);
    expect(escalationIdFor(SECRET, 'msteams:user-2', 'activity-1')).not.toBe(a);
    expect(escalationIdFor('other-secret', 'msteams:user-1', 'activity-1')).not.toBe(a);
  });

  it('makes a short pseudonymous person id that depends on the secret and hides the key', () => {
    const p = pseudonymousPersonId(SECRET, 'msteams:user-1');
    expect(p).toMatch(/^P-[0-9A-F]{12}$/);
    expect(pseudonymousPersonId(SECRET, 'msteams:user-1')).toBe(p);
    expect(pseudonymousPersonId('other', 'msteams:user-1')).not.toBe(p);
    expect(p).not.toContain('user');
    expect(() => pseudonymousPersonId('', 'x')).toThrow();
  });
});

describe('buildEscalation', () => {
  const base = {
    secret: SECRET,
    personKey: 'msteams:user-1',
    eventId: 'act-9',
    level: 'crisis' as const,
    categories: ['suicidal_ideation', 'plan_means', 'suicidal_ideation'],
    text: '  Je   veux   en finir ce soir  ',
    createdAt: T0,
    locale: 'fr-ca',
  };

  it('targets the linked clinician, else on-call; keeps only an excerpt', () => {
    const e = buildEscalation({ ...base, clinicianId: 'clin-7', saidSafe: false, planSteps: ['marcher 10 minutes'] });
    expect(e.target).toEqual({ kind: 'clinician', clinicianId: 'clin-7' });
    expect(e.excerpt).toBe('Je veux en finir ce soir');
    expect(e.categories).toEqual(['suicidal_ideation', 'plan_means']);
    expect(e.locale).toBe('fr-CA');
    expect(e.createdAt).toBe(T0.toISOString());
    expect(e.saidSafe).toBe(false);
    expect(e.plan).toEqual({ steps: ['marcher 10 minutes'] });
    expect(JSON.stringify(e)).not.toContain('msteams:user-1');
    expect(buildEscalation({ ...base, clinicianId: null }).target).toEqual({ kind: 'oncall' });
    expect(buildEscalation({ ...base, locale: 'en-US' }).locale).toBe('en-CA');
    expect(buildEscalation(base).id).toBe(buildEscalation(base).id);
    expect('saidSafe' in buildEscalation(base)).toBe(false);
  });
});

describe('needsReminder', () => {
  const delivered = markDelivered(initialDeliveryState(T0), T0, 'primary');

  it('is false until ackMinutes after delivery, then every ackMinutes, up to the cap', () => {
    expect(needsReminder(initialDeliveryState(T0), plus(60 * MIN))).toBe(false); // never delivered
    expect(needsReminder(delivered, plus(14 * MIN))).toBe(false);
    expect(needsReminder(delivered, plus(15 * MIN))).toBe(true);
    const once = markReminderSent(delivered, plus(15 * MIN));
    expect(needsReminder(once, plus(29 * MIN))).toBe(false);
    expect(needsReminder(once, plus(30 * MIN))).toBe(true);
    expect(needsReminder(delivered, plus(5 * MIN), 5)).toBe(true);
    let s: DeliveryState = delivered;
    for (let i = 1; i <= 4; i++) s = markReminderSent(s, plus(15 * i * MIN));
    expect(needsReminder(s, plus(24 * 60 * MIN))).toBe(false); // cap of 4 reached
    expect(needsReminder(s, plus(24 * 60 * MIN), 15, 5)).toBe(true);
  });

  it('stops once acknowledged, and waits for the retry time after a failed reminder', () => {
    expect(needsReminder(markAcknowledged(delivered, 'Dr A', plus(MIN)), plus(60 * MIN))).toBe(false);
    const failed = markReminderFailed(delivered, plus(15 * MIN), 'http 500');
    expect(nextReminderAt(failed)).toBe(plus(15 * MIN + 5_000).toISOString());
    expect(needsReminder(failed, plus(15 * MIN + 1_000))).toBe(false);
    expect(needsReminder(failed, plus(15 * MIN + 5_000))).toBe(true);
  });
});

describe('delivery transitions', () => {
  it('schedules retries with backoff and marks permanent refusals failed (still retried at the cap)', () => {
    const s1 = markAttemptFailed(initialDeliveryState(T0), T0, 'primary http 500', { primaryRefused: false, permanent: false });
    expect(s1).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: plus(5_000).toISOString(), lastError: 'primary http 500' });
    const s2 = markAttemptFailed(s1, plus(5_000), 'primary http 403; backup http 404', { primaryRefused: true, permanent: true });
    expect(s2).toMatchObject({ status: 'failed', attempts: 2, primaryFailed: true, failedAt: plus(5_000).toISOString() });
    expect(s2.nextAttemptAt).toBe(plus(5_000 + 300_000).toISOString());
    const s3 = markDelivered(s2, plus(400_000), 'backup', 'm-1');
    expect(s3).toMatchObject({ status: 'delivered', deliveredVia: 'backup', channelMessageId: 'm-1', attempts: 3 });
    expect(markDelivered(s3, plus(500_000), 'primary')).toBe(s3); // the first delivery stays on record
  });

  it('keeps lastError free of long digit runs', () => {
    const s = markAttemptFailed(initialDeliveryState(T0), T0, 'network 5145551234 x', { primaryRefused: false, permanent: false });
    expect(s.lastError).toBe('network # x');
  });

  it('merges two views keeping acknowledgement, delivery and the most informed retry time', () => {
    const pending = initialDeliveryState(T0);
    const delivered = markDelivered(pending, plus(1_000), 'primary', 'm-9');
    expect(mergeDeliveryStates(pending, delivered)).toMatchObject({ status: 'delivered', deliveredAt: plus(1_000).toISOString(), channelMessageId: 'm-9' });
    expect(mergeDeliveryStates(delivered, pending)).toMatchObject({ status: 'delivered' });
    const acked = markAcknowledged(pending, 'Dr B', plus(2_000));
    expect(mergeDeliveryStates(delivered, acked)).toMatchObject({ status: 'acknowledged', deliveredAt: plus(1_000).toISOString(), acknowledgedBy: 'Dr B' });
    const retried = markAttemptFailed(pending, T0, 'x', { primaryRefused: false, permanent: false });
    expect(mergeDeliveryStates(pending, retried).nextAttemptAt).toBe(retried.nextAttemptAt);
  });
});
