import type { Middleware, TurnContext } from 'botbuilder';
import type { Texts } from '../../content/texts';
import { matchGlobalCommand } from '../../core/conversation/globalCommands';
import { readYesNo } from '../../core/conversation/yesNo';
import type { Locale } from '../../core/i18n/locale';
import { effectiveRisk } from '../../core/safety/risk';
import type { ScreenContext, ScreenResult } from '../../core/safety/screen';
import { isCategory, type Level } from '../../core/safety/types';
import { buildHandoffInitiation } from '../escalation/handoff';
import { turnLogger } from '../hardening/correlation';
import { errorKind, type Logger } from '../observability/logger';
import { askSuicideActivity, crisisOpening, crisisResourcesText, resumeOfferActivity } from '../../dialogs/crisisReplies';
import type { Escalator } from '../safety/escalator';
import { pruneRecent, type SafetyContext, type SafetyContextStore } from '../safety/safetyContextStore';
import { conversationKeyOf, personKeyOf } from '../turnKeys';

export interface SafetyMiddlewareDeps {
  readonly screen: (text: string, context?: ScreenContext) => ScreenResult;
  readonly texts: Texts;
  readonly contexts: SafetyContextStore;
  readonly escalator: Escalator;
  readonly logger: Logger;
  /** The turn's locale without waiting on storage (cached choice, channel locale, default). */
  readonly localeOf: (context: TurnContext) => Locale;
  /** Turns the screen does not apply to (clinicians in their own team channel). */
  readonly skipScreen?: (context: TurnContext) => boolean;
  /** After an alert is raised (e.g. to schedule the next-day follow-up). Must not throw or block. */
  readonly afterEscalation?: (personKey: string, escalationId: string, at: Date, log: Logger) => void;
  readonly now?: () => Date;
}

/** What the rest of the turn may read about the safety screen. */
export interface SafetyTurn {
  readonly level: Level;
  readonly resumePending: boolean;
}

const SAFETY_TURN = Symbol('petitsPas.safetyTurn');

export function safetyTurnOf(context: TurnContext): SafetyTurn | undefined {
  return context.turnState.get(SAFETY_TURN) as SafetyTurn | undefined;
}

/**
 * First on every inbound message, before any dialog or state: screens the text (with the
 * conversation's context and recent history), and on a crisis answers at once with the crisis
 * lines and "are you safe?", alerts a human through the outbox, and ends the turn — the dialog
 * that was running stays where it was and resumes only when the person chooses.
 * Nothing here waits on storage for long: the safety context has a short timeout and a memory
 * fallback, the replies come from content in memory, and the escalation runs in the background.
 */
export class SafetyMiddleware implements Middleware {
  private readonly now: () => Date;

  constructor(private readonly deps: SafetyMiddlewareDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type !== 'message' || this.deps.skipScreen?.(context)) return next();
    const text = typeof context.activity.text === 'string' ? context.activity.text : '';
    const conversationKey = conversationKeyOf(context);
    const safety = await this.loadContext(context, conversationKey);
    const locale = this.deps.localeOf(context);
    const now = this.now();
    const awaiting = safety.awaiting;

    let result: ScreenResult;
    try {
      result = this.deps.screen(text, { lastBotQuestion: awaiting ?? 'none' });
    } catch (error) {
      // The screen is pure and tested never to throw; if it ever did, fail towards safety.
      this.log(context).error('screen_failed', { error: errorKind(error) });
      result = { level: 'concern', categories: [], matches: [] };
    }
    const history = pruneRecent([...safety.recent, { at: now.toISOString(), level: result.level, categories: result.categories }], now);
    const risk = effectiveRisk(history, now);
    // History only raises a flagged message (a burst of concerns is a crisis); it never flags a calm one.
    const level: Level = result.level === 'concern' && risk.level === 'crisis' ? 'crisis' : result.level;
    const next_: SafetyContext = { ...safety, recent: history, awaiting: undefined, awaitingSince: undefined };
    this.log(context).info('screened', { risk: level, rule: level !== result.level ? risk.rule : 'single', categories: result.categories, awaiting: awaiting ?? 'none' });

    if (level === 'crisis') {
      await this.crisis(context, next_, result, locale, now, text, awaiting === 'safe_question' ? false : undefined);
      return;
    }
    if (awaiting === 'safe_question') {
      const handled = await this.afterSafeQuestion(context, next_, level, text, locale);
      if (handled) return;
    }
    if (awaiting === 'suicide_question') {
      const handled = await this.afterSuicideQuestion(context, next_, level, text, locale);
      if (handled) return;
    }
    if (matchGlobalCommand(text) === 'emergency') {
      await context.sendActivities(crisisOpening(this.deps.texts, locale, 'crisis.emergencyIntro'));
      await this.saveContext(context, conversationKey, { ...next_, awaiting: 'safe_question', awaitingSince: now.toISOString(), resumePending: true });
      return;
    }
    if (level === 'concern') {
      await context.sendActivities(askSuicideActivity(this.deps.texts, locale));
      await this.saveContext(context, conversationKey, { ...next_, awaiting: 'suicide_question', awaitingSince: now.toISOString(), resumePending: true });
      return;
    }
    context.turnState.set(SAFETY_TURN, { level, resumePending: Boolean(safety.resumePending) } satisfies SafetyTurn);
    if (safety.resumePending || awaiting || next_.recent.length !== safety.recent.length) {
      await this.saveContext(context, conversationKey, { ...next_, resumePending: false });
    }
    await next();
  }

  /** The turn's logger: every line carries the request's correlation id. */
  private log(context: TurnContext): Logger {
    return turnLogger(context, this.deps.logger);
  }

  private loadContext(context: TurnContext, conversationKey: string): Promise<SafetyContext> {
    return this.deps.contexts.load(conversationKey, this.log(context));
  }

  private saveContext(context: TurnContext, conversationKey: string, safety: SafetyContext): Promise<void> {
    return this.deps.contexts.save(conversationKey, safety, this.log(context));
  }

  /** A dialog met a crisis the person stated through a button (e.g. "I'm in crisis" at onboarding). */
  async declareCrisis(context: TurnContext, categories: readonly string[]): Promise<void> {
    const safety = await this.loadContext(context, conversationKeyOf(context));
    const text = typeof context.activity.text === 'string' ? context.activity.text : '';
    const result: ScreenResult = { level: 'crisis', categories: categories.filter(isCategory), matches: [] };
    await this.crisis(context, safety, result, this.deps.localeOf(context), this.now(), text, undefined);
  }

  /** A dialog met a concern (PHQ-9 item 9 above 0): empathy and the direct question, read in context next turn. */
  async declareConcern(context: TurnContext, categories: readonly string[]): Promise<void> {
    const key = conversationKeyOf(context);
    const safety = await this.loadContext(context, key);
    const now = this.now();
    const event = { at: now.toISOString(), level: 'concern' as const, categories: categories.filter(isCategory) };
    await context.sendActivities(askSuicideActivity(this.deps.texts, this.deps.localeOf(context)));
    await this.saveContext(context, key, { ...safety, recent: pruneRecent([...safety.recent, event], now), awaiting: 'suicide_question', awaitingSince: now.toISOString(), resumePending: true });
  }

  private async crisis(context: TurnContext, safety: SafetyContext, result: ScreenResult, locale: Locale, now: Date, text: string, saidSafe: boolean | undefined): Promise<void> {
    const { texts } = this.deps;
    // 1. Crisis lines first, from memory: nothing above this line can be held up by storage.
    if (saidSafe === false) {
      await context.sendActivities([{ type: 'message', text: texts.t(locale, 'crisis.unsafeReply') }, { type: 'message', text: crisisResourcesText(texts, locale), textFormat: 'markdown' }]);
    } else {
      await context.sendActivities(crisisOpening(texts, locale, 'crisis.intro'));
    }
    // 2. A human is alerted in the background (durable outbox, spool when the database is down).
    const log = this.log(context);
    const escalation = this.deps.escalator.raise({
      personKey: personKeyOf(context),
      eventId: context.activity.id ?? `${context.activity.conversation?.id}:${now.getTime()}`,
      level: 'crisis',
      categories: result.categories.length ? result.categories : ['unspecified'],
      text,
      locale,
      saidSafe: saidSafe ?? null,
      at: now,
    }, log);
    this.deps.afterEscalation?.(personKeyOf(context), escalation.id, now, log);
    try {
      await context.sendActivity(buildHandoffInitiation(context, escalation));
    } catch (error) {
      log.warn('handoff_event_failed', { error: errorKind(error) });
    }
    // 3. Remember we asked (or already know) whether the person is safe.
    const asked = saidSafe === false ? {} : { awaiting: 'safe_question' as const, awaitingSince: now.toISOString() };
    await this.saveContext(context, conversationKeyOf(context), { ...safety, ...asked, lastEscalationAt: now.toISOString(), resumePending: true });
    if (saidSafe === false) await context.sendActivity(texts.t(locale, 'crisis.next'));
  }

  /** Returns true when the message was the answer to "are you safe?" and has been answered. */
  private async afterSafeQuestion(context: TurnContext, safety: SafetyContext, level: Level, text: string, locale: Locale): Promise<boolean> {
    const { texts } = this.deps;
    const key = conversationKeyOf(context);
    if (level === 'concern') {
      await context.sendActivities([{ type: 'message', text: texts.t(locale, 'crisis.forNowReply') }, { type: 'message', text: texts.t(locale, 'crisis.next') }, resumeOfferActivity(texts, locale)]);
      await this.saveContext(context, key, safety);
      return true;
    }
    const safeTitle = texts.t(locale, 'crisis.safeYes');
    if (readYesNo(text) === 'yes' || text.trim() === safeTitle) {
      const nextKey = safety.lastEscalationAt ? 'crisis.next' : 'crisis.nextNoHuman';
      await context.sendActivities([{ type: 'message', text: texts.t(locale, 'crisis.safeReply') }, { type: 'message', text: texts.t(locale, nextKey) }, resumeOfferActivity(texts, locale)]);
      await this.saveContext(context, key, safety);
      return true;
    }
    return false;
  }

  /** Returns true when the message was the answer to the direct suicide question. */
  private async afterSuicideQuestion(context: TurnContext, safety: SafetyContext, level: Level, text: string, locale: Locale): Promise<boolean> {
    const { texts } = this.deps;
    const key = conversationKeyOf(context);
    if (level === 'concern') {
      // Unsure or past thoughts: the lines, gently, and no alarm; history raises it if it recurs.
      await context.sendActivities([
        { type: 'message', text: texts.t(locale, 'crisis.emergencyIntro') },
        { type: 'message', text: crisisResourcesText(texts, locale), textFormat: 'markdown' },
        { type: 'message', text: texts.t(locale, 'crisis.notSubstitute') },
        resumeOfferActivity(texts, locale),
      ]);
      await this.saveContext(context, key, safety);
      return true;
    }
    if (readYesNo(text) === 'no' || text.trim() === texts.t(locale, 'crisis.no')) {
      await context.sendActivities([{ type: 'message', text: texts.t(locale, 'crisis.suicideNo') }, resumeOfferActivity(texts, locale)]);
      await this.saveContext(context, key, safety);
      return true;
    }
    return false;
  }
}
