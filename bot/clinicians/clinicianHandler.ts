/**
 * The clinicians' side of the conversation, called by the activity handler BEFORE the person's
 * dialogs: `onMessage` answers clinician commands (and the acknowledge button's Submit fallback)
 * and says whether it handled the turn; `onAdaptiveCardInvoke` answers the acknowledge button.
 *
 * Where commands work:
 * - a channel of the configured team, with an @mention: every message is for us (help by default);
 *   summaries and the list are refused there (a channel is shared) and asked for in private;
 * - a personal chat: only messages that read as a clinician command, from a confirmed member of the
 *   team. Words that are also a person's words ("code", "liste", "résumé") from anyone else are
 *   left to the person's own conversation; commands naming a pseudonym are refused;
 * - anywhere else (other team or tenant, group chat, other channel): refused or left alone.
 * Refusals about people never say whether the pseudonym exists, is linked elsewhere, or withdrew
 * consent: one answer for all.
 */
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { TurnContext as Turn } from 'botbuilder';
import { ESCALATION_ACK_VERB, parseAckAction } from '../../adapters/notify/escalationCard';
import type { Texts, TextVars } from '../../content/texts';
import type { ClinicianTeam } from '../../core/clinicians/access';
import { parseClinicianCommand, type ClinicianCommand } from '../../core/clinicians/commands';
import { resolveLocale, type Locale } from '../../core/i18n/locale';
import { turnLogger } from '../hardening/correlation';
import { errorKind, type Logger } from '../observability/logger';
import type { ClinicianLinks } from './clinicianLinks';
import { ackInvokeResponse, acknowledgeFromCard, answerAckSubmit, type AckDeps } from './escalationAck';
import { commandTextOf, identifyClinician, type Clinician, type TeamMembership } from './identity';
import { summaryActivity } from './summaryCard';
import type { ClinicianSummaryService } from './summaryService';

export interface ClinicianHandlerDeps {
  /** Undefined: the clinician side is not configured (every clinician command is refused). */
  readonly team: ClinicianTeam | undefined;
  readonly membership: TeamMembership;
  readonly links: ClinicianLinks;
  readonly summaries: ClinicianSummaryService;
  readonly outbox: AckDeps['outbox'];
  readonly texts: Texts;
  readonly defaultLocale: Locale;
  /** Dates in replies and cards. Default America/Toronto. */
  readonly timeZone?: string;
  readonly logger: Logger;
  readonly clock?: () => Date;
}

export class ClinicianHandler {
  private readonly clock: () => Date;

  constructor(private readonly deps: ClinicianHandlerDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** True when the turn was a clinician's (answered here); false to let the person's dialogs run. */
  async onMessage(context: TurnContext): Promise<boolean> {
    const activity = context.activity;
    if (activity.type !== 'message') return false;
    if (isAckSubmit(activity.value)) {
      const outcome = await acknowledgeFromCard(context, parseAckAction(activity.value), this.ackDeps());
      await answerAckSubmit(context, outcome, this.ackDeps());
      return true;
    }
    if (activity.channelId !== 'msteams') return false;
    const type = activity.conversation?.conversationType;
    if (type === 'channel') return this.onChannelMessage(context);
    if (type === 'groupChat') {
      if (!parseClinicianCommand(commandTextOf(context), 'channel')) return false;
      await this.say(context, 'groupChat');
      return true;
    }
    return this.onPersonalMessage(context);
  }

  /**
   * The acknowledge button (Action.Execute). Undefined when the action is not ours (the bot then
   * answers as it would without this handler).
   */
  async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse | undefined> {
    if (invokeValue?.action?.verb !== ESCALATION_ACK_VERB) return undefined;
    const outcome = await acknowledgeFromCard(context, parseAckAction(invokeValue), this.ackDeps());
    return ackInvokeResponse(outcome);
  }

  private async onChannelMessage(context: TurnContext): Promise<boolean> {
    const parsed = parseClinicianCommand(commandTextOf(context), 'channel');
    const identity = await this.identify(context);
    if (!identity.ok) {
      await this.say(context, identity.reason === 'other_team' ? 'otherTeam' : identity.reason === 'unavailable' ? 'unavailable' : 'notClinician');
      return true;
    }
    await this.run(context, identity.clinician, parsed?.command ?? { kind: 'help' });
    return true;
  }

  private async onPersonalMessage(context: TurnContext): Promise<boolean> {
    const parsed = parseClinicianCommand(context.activity.text, 'personal');
    if (!parsed) return false;
    const identity = await this.identify(context);
    if (!identity.ok) {
      // Ordinary words from someone who is not a clinician: their own conversation goes on.
      if (parsed.ambiguous) return false;
      await this.say(context, identity.reason === 'unavailable' ? 'unavailable' : 'notClinician');
      return true;
    }
    void this.deps.links
      .rememberClinicianReference(identity.clinician.id, Turn.getConversationReference(context.activity), this.clock())
      .catch((error: unknown) => this.log(context).warn('clinician_reference_failed', { error: errorKind(error) }));
    await this.run(context, identity.clinician, parsed.command);
    return true;
  }

  private async identify(context: TurnContext) {
    try {
      return await identifyClinician(context, this.deps.team, this.deps.membership);
    } catch (error) {
      this.log(context).warn('clinician_identity_failed', { error: errorKind(error) });
      return { ok: false as const, reason: 'unavailable' as const };
    }
  }

  private async run(context: TurnContext, clinician: Clinician, command: ClinicianCommand): Promise<void> {
    const locale = this.localeOf(context);
    try {
      switch (command.kind) {
        case 'help':
          await this.say(context, 'help');
          return;
        case 'missingPerson':
          await this.say(context, 'missingPerson');
          return;
        case 'newCode': {
          const { code, expiresAt } = await this.deps.links.issueCode(clinician.id, this.clock());
          await context.sendActivity(`${this.t(locale, 'code', { code })}\n\n${this.t(locale, 'codeDetails', { expires: this.dateTime(expiresAt, locale) })}`);
          return;
        }
        case 'list': {
          if (clinician.place !== 'personal') return void (await this.say(context, 'privateOnly'));
          const people = await this.deps.links.linkedPeople(clinician.id);
          if (!people.length) return void (await this.say(context, 'listEmpty'));
          const lines = people.map((p) => `- ${this.t(locale, 'listItem', { personId: p.personId, date: this.date(p.linkedAt, locale) })}`);
          await context.sendActivity(`${this.t(locale, 'listIntro', { count: people.length })}\n\n${lines.join('\n')}`);
          return;
        }
        case 'unlink': {
          const done = await this.deps.links.unlinkByClinician(clinician.id, command.personId);
          await this.say(context, done ? 'unlinked' : 'notFound', { personId: command.personId });
          return;
        }
        case 'summary': {
          if (clinician.place !== 'personal') return void (await this.say(context, 'privateOnly'));
          const person = await this.deps.links.resolve(clinician.id, command.personId);
          if (!person) {
            this.log(context).info('clinician_summary_refused', { personId: command.personId });
            return void (await this.say(context, 'notFound', { personId: command.personId }));
          }
          const now = this.clock();
          let prepared;
          try {
            prepared = await this.deps.summaries.prepare(person.personKey, { reason: 'on_demand', locale, now });
          } catch (error) {
            this.log(context).warn('clinician_summary_failed', { personId: command.personId, error: errorKind(error) });
            return void (await this.say(context, 'summaryFailed'));
          }
          await context.sendActivity(summaryActivity(prepared.summary, { texts: this.deps.texts, locale, timeZone: this.deps.timeZone, chart: prepared.chart }));
          await this.deps.summaries.markDelivered(person.personKey, now).catch((error: unknown) =>
            this.log(context).warn('clinician_summary_mark_failed', { personId: command.personId, error: errorKind(error) }),
          );
          this.log(context).info('clinician_summary_sent', { personId: command.personId, chart: Boolean(prepared.chart) });
          return;
        }
      }
    } catch (error) {
      this.log(context).warn('clinician_command_failed', { command: command.kind, error: errorKind(error) });
      await this.say(context, 'storeDown');
    }
  }

  private ackDeps(): AckDeps {
    return { team: this.deps.team, membership: this.deps.membership, outbox: this.deps.outbox, texts: this.deps.texts, defaultLocale: this.deps.defaultLocale, logger: this.deps.logger, clock: this.clock };
  }

  /** The turn's logger: every line carries the request's correlation id. */
  private log(context: TurnContext): Logger {
    return turnLogger(context, this.deps.logger);
  }

  private localeOf(context: TurnContext): Locale {
    return resolveLocale(undefined, context.activity.locale, this.deps.defaultLocale);
  }

  private t(locale: Locale, key: string, vars?: TextVars): string {
    return this.deps.texts.t(locale, `clinician.team.${key}`, vars);
  }

  private async say(context: TurnContext, key: string, vars?: TextVars): Promise<void> {
    await context.sendActivity(this.t(this.localeOf(context), key, vars));
  }

  private date(iso: string, locale: Locale): string {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: this.deps.timeZone ?? 'America/Toronto' }).format(new Date(iso));
  }

  private dateTime(iso: string, locale: Locale): string {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: this.deps.timeZone ?? 'America/Toronto' }).format(new Date(iso));
  }
}

/** A message whose value is the acknowledge button's Submit fallback (well-formed or not). */
function isAckSubmit(value: unknown): boolean {
  return Boolean(value && typeof value === 'object' && (value as { verb?: unknown }).verb === ESCALATION_ACK_VERB);
}
