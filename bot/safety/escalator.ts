import { buildEscalation, type Escalation } from '../../core/escalation/escalation';
import type { Locale } from '../../core/i18n/locale';
import type { EscalationOutbox } from '../escalation/outbox';
import { errorKind, type Logger } from '../observability/logger';

export interface RaiseInput {
  readonly personKey: string;
  readonly eventId: string;
  readonly level: 'crisis' | 'concern';
  readonly categories: readonly string[];
  readonly text: string;
  readonly locale: Locale;
  readonly saidSafe?: boolean | null;
  readonly at: Date;
}

/**
 * Turns a screened crisis into an escalation in the durable outbox. The person's replies never wait
 * on it: `raise` returns the escalation at once and the outbox works in the background (it spools
 * to disk and alerts directly when the database is down). `settled()` lets shutdown and tests wait.
 */
export class Escalator {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly outbox: Pick<EscalationOutbox, 'enqueue'>,
    private readonly secret: string,
    private readonly logger: Logger,
    private readonly clinicianOf: (personKey: string) => Promise<string | undefined> = async () => undefined,
  ) {}

  /** `log`: the turn's logger, so the background work's lines carry its correlation id. */
  raise(input: RaiseInput, log: Logger = this.logger): Escalation {
    const base = buildEscalation({
      secret: this.secret,
      personKey: input.personKey,
      eventId: input.eventId,
      level: input.level,
      categories: input.categories,
      text: input.text,
      createdAt: input.at,
      locale: input.locale,
      saidSafe: input.saidSafe,
    });
    const work = this.resolveTarget(input.personKey, base)
      .then((escalation) => this.outbox.enqueue(escalation, input.at))
      .then((result) => log.info('escalation_enqueued', { escalationId: base.id, outcome: result.outcome, level: input.level }))
      .catch((error: unknown) => log.error('escalation_enqueue_failed', { escalationId: base.id, error: errorKind(error) }))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
    return base;
  }

  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async resolveTarget(personKey: string, escalation: Escalation): Promise<Escalation> {
    // The clinician link lives in storage, which may be down: the on-call channel is the fallback.
    const clinicianId = await this.clinicianOf(personKey).catch(() => undefined);
    return clinicianId ? { ...escalation, target: { kind: 'clinician', clinicianId } } : escalation;
  }
}
