/** Shared set-up for the between-sessions tests: real texts and questionnaires, an in-memory store, a test clock. */
import { ConversationState, MemoryStorage, type Middleware, type TurnContext } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { DocumentMeasuresRepository } from '../../bot/people/measuresRepository';
import { DocumentScheduleRepository } from '../../bot/people/scheduleRepository';
import { DocumentPlanRepository } from '../../bot/people/planRepository';
import { loadMeansCatalogue } from '../../content/catalogue';
import { loadQuestionnaires, type Questionnaires } from '../../content/measures';
import type { Texts } from '../../content/texts';
import type { Locale } from '../../core/i18n/locale';
import type { MeansCatalogue } from '../../core/plan/catalogue';
import { installCrisisHook } from '../../dialogs/safetyHooks';
import { setTurnLocale } from '../../dialogs/turnLocale';
import { CONTENT_DIR } from '../support/contentFixture';
import { MemoryDocumentStore } from '../support/memoryStore';
import { realTexts } from '../support/texts';

export const START = new Date('2025-03-03T15:00:00.000Z'); // Monday 10:00 in Montréal
export const DAY = 24 * 60 * 60 * 1000;

let cachedTexts: Texts | undefined;
let cachedQuestionnaires: Questionnaires | undefined;
let cachedCatalogue: MeansCatalogue | undefined;

export function texts(): Texts {
  cachedTexts ??= realTexts();
  return cachedTexts;
}

export function questionnaires(): Questionnaires {
  if (!cachedQuestionnaires) {
    const loaded = loadQuestionnaires(CONTENT_DIR);
    if (!loaded.questionnaires) throw new Error(loaded.problems.map((p) => p.message).join('; '));
    cachedQuestionnaires = loaded.questionnaires;
  }
  return cachedQuestionnaires;
}

export function catalogue(): MeansCatalogue {
  if (!cachedCatalogue) {
    const loaded = loadMeansCatalogue(CONTENT_DIR);
    if (!loaded.catalogue) throw new Error('catalogue invalid');
    cachedCatalogue = loaded.catalogue;
  }
  return cachedCatalogue;
}

export function t(locale: Locale, key: string, vars?: Record<string, string | number>): string {
  return texts().t(locale, key, vars);
}

export function variants(locale: Locale, key: string): string[] {
  return Array.from({ length: 5 }, (_, seed) => texts().variant(locale, key, seed));
}

export interface World {
  readonly store: MemoryDocumentStore;
  readonly measures: DocumentMeasuresRepository;
  readonly schedule: DocumentScheduleRepository;
  readonly plans: DocumentPlanRepository;
  readonly clock: { now: Date };
  readonly personKey: string;
  readonly concerns: string[][];
  readonly now: () => Date;
}

export function world(store = new MemoryDocumentStore()): World {
  const clock = { now: START };
  const now = () => clock.now;
  return {
    store,
    measures: new DocumentMeasuresRepository(store, { clock: now }),
    schedule: new DocumentScheduleRepository(store, { clock: now }),
    plans: new DocumentPlanRepository(store, { clock: now }),
    clock,
    personKey: 'test/person-1',
    concerns: [],
    now,
  };
}

/** The turn's locale, and the safety hooks as the bot installs them (the concern hook records and speaks). */
function middlewares(w: World, locale: Locale): Middleware[] {
  return [
    {
      onTurn: async (context: TurnContext, next: () => Promise<void>) => {
        setTurnLocale(context, locale);
        installCrisisHook(
          context,
          async () => undefined,
          async (ctx, categories) => {
            w.concerns.push([...categories]);
            await ctx.sendActivity('[safety] direct question');
          },
        );
        await next();
      },
    },
  ];
}

export function client(w: World, dialog: Dialog, locale: Locale, options: { initial?: object; conversationState?: ConversationState } = {}): DialogTestClient {
  return new DialogTestClient('test', dialog, options.initial, middlewares(w, locale), options.conversationState ?? new ConversationState(new MemoryStorage()));
}

export { allText, buttons, send, lastReply as last } from '../support/dialogTurns';
