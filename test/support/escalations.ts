/** Escalation fixtures and a recording notifier for the escalation tests. */
import { buildEscalation, type Escalation } from '../../core/escalation/escalation';
import type { DeliveryResult, EscalationMessage, EscalationNotifier } from '../../core/ports/notifier';

export const TEST_SECRET = 'test-pseudonym-secret';
/** The sentence every escalation fixture carries: tests assert it never reaches a log line. */
export const SECRET_WORDS = 'je veux mourir ce soir avec les pilules';

export function makeEscalation(n = 1, overrides: Partial<Parameters<typeof buildEscalation>[0]> = {}): Escalation {
  return buildEscalation({
    secret: TEST_SECRET,
    personKey: `msteams:29:user-${n}`,
    eventId: `activity-${n}`,
    level: 'crisis',
    categories: ['suicidal_ideation', 'plan_means'],
    text: `${SECRET_WORDS} (${n})`,
    createdAt: '2025-03-01T14:00:00.000Z',
    locale: 'fr-CA',
    saidSafe: null,
    latestScores: [{ instrument: 'PHQ-9', score: 19, band: 'moderately_severe', at: '2025-02-20T15:00:00.000Z' }],
    planSteps: ['Marcher 10 minutes après le souper'],
    clinicianId: n % 2 === 0 ? `clin-${n}` : null,
    ...overrides,
  });
}

type Behaviour = DeliveryResult | ((message: EscalationMessage) => DeliveryResult | Promise<DeliveryResult>);

/** Counts and records every message; answers with `behaviour` (delivered by default). */
export class RecordingNotifier implements EscalationNotifier {
  readonly messages: EscalationMessage[] = [];
  behaviour: Behaviour = { delivered: true, channelMessageId: 'msg' };

  constructor(readonly name = 'recording') {}

  async deliver(message: EscalationMessage): Promise<DeliveryResult> {
    this.messages.push(message);
    // A little latency so concurrent passes really overlap.
    await new Promise((resolve) => setTimeout(resolve, 2));
    return typeof this.behaviour === 'function' ? this.behaviour(message) : this.behaviour;
  }

  count(filter: Partial<Pick<EscalationMessage, 'kind' | 'destination'>> & { id?: string } = {}): number {
    return this.messages.filter(
      (m) =>
        (filter.kind === undefined || m.kind === filter.kind) &&
        (filter.destination === undefined || m.destination === filter.destination) &&
        (filter.id === undefined || m.escalation.id === filter.id),
    ).length;
  }
}
