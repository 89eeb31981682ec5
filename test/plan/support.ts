/** Shared set-up for the plan tests: real texts and catalogue, an in-memory store, a test clock. */
import type { Middleware, TurnContext } from 'botbuilder';
import { ConversationState, MemoryStorage } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { DocumentPlanRepository } from '../../bot/people/planRepository';
import { loadMeansCatalogue } from '../../content/catalogue';
import type { Texts } from '../../content/texts';
import type { Locale } from '../../core/i18n/locale';
import type { MeansCatalogue } from '../../core/plan/catalogue';
import type { PlanDialogDeps } from '../../dialogs/plan/planDialogBase';
import { setTurnLocale } from '../../dialogs/turnLocale';
import { CONTENT_DIR } from '../support/contentFixture';
import { MemoryDocumentStore } from '../support/memoryStore';
import { realTexts } from '../support/texts';

export const START = new Date('2025-03-03T15:00:00.000Z');
export const DAY = 24 * 60 * 60 * 1000;

let cachedTexts: Texts | undefined;
let cachedCatalogue: MeansCatalogue | undefined;

export function texts(): Texts {
  cachedTexts ??= realTexts();
  return cachedTexts;
}

export function catalogue(): MeansCatalogue {
  if (!cachedCatalogue) {
    const loaded = loadMeansCatalogue(CONTENT_DIR);
    if (!loaded.catalogue) throw new Error(`catalogue invalid: ${loaded.problems.map((p) => p.message).join('; ')}`);
    cachedCatalogue = loaded.catalogue;
  }
  return cachedCatalogue;
}

export interface World {
  readonly store: MemoryDocumentStore;
  readonly plans: DocumentPlanRepository;
  readonly clock: { now: Date };
  readonly deps: PlanDialogDeps;
  /** The person key every test turn resolves to. */
  readonly personKey: string;
}

export function world(options: { totalWeeks?: number; store?: MemoryDocumentStore } = {}): World {
  const store = options.store ?? new MemoryDocumentStore();
  const clock = { now: START };
  const plans = new DocumentPlanRepository(store, { clock: () => clock.now, totalWeeks: options.totalWeeks });
  const personKey = 'test/person-1';
  const deps: PlanDialogDeps = { texts: texts(), plans, catalogue: catalogue(), personKeyOf: () => personKey, now: () => clock.now };
  return { store, plans, clock, deps, personKey };
}

export function localeMiddleware(locale: Locale): Middleware {
  return {
    onTurn: async (context: TurnContext, next: () => Promise<void>) => {
      setTurnLocale(context, locale);
      await next();
    },
  };
}

/** A client that speaks `locale`; pass a ConversationState to share dialog state between clients. */
export function client(dialog: Dialog, locale: Locale, options: { conversationState?: ConversationState; initial?: object } = {}): DialogTestClient {
  return new DialogTestClient('test', dialog, options.initial, [localeMiddleware(locale)], options.conversationState);
}

export function sharedConversationState(): ConversationState {
  return new ConversationState(new MemoryStorage());
}

export { allText, buttons, send, lastReply as ask } from '../support/dialogTurns';

/** The fr-CA or en-CA text of a key (for assertions that follow content edits). */
export function t(locale: Locale, key: string, vars?: Record<string, string | number>): string {
  return texts().t(locale, key, vars);
}

export function variants(locale: Locale, key: string, vars?: Record<string, string | number>): string[] {
  return Array.from({ length: 6 }, (_, seed) => texts().variant(locale, key, seed, vars));
}

export function label(locale: Locale, id: string): string {
  const found = catalogue().texts[locale][id];
  if (!found) throw new Error(`no catalogue mean ${id}`);
  return found.label;
}
