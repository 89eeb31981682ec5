import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { MeasuresRepository } from '../../bot/people/measuresRepository';
import type { ScheduleRepository } from '../../bot/people/scheduleRepository';
import type { Questionnaires, QuestionnaireText } from '../../content/measures';
import type { Texts } from '../../content/texts';
import type { PersonProfile } from '../../core/people/profile';
import { readAnswer, type AnswerScale } from '../../core/measures/answers';
import { answeredCount, answerItem, completedAnswers, isDraftExpired, nextItem, startDraft, type MeasureDraft } from '../../core/measures/draft';
import { latestResult, makeResult, previousResult, type MeasureResult } from '../../core/measures/history';
import { INSTRUMENT_IDS, PHQ9_SUICIDE_ITEM_INDEX, maxScore, needsSafetyFollowUp, specOf, wordingOf, type InstrumentId } from '../../core/measures/instruments';
import { completeMeasure, setDraft, type MeasuresRecord } from '../../core/measures/record';
import { bandOf, offersFullForm, trendOf, type Elapsed, type Trend } from '../../core/measures/scoring';
import { clearPrompt, DEFAULT_MEASURE_INSTRUMENTS, setLocale } from '../../core/measures/settings';
import { DialogIds } from '../dialogIds';
import { withButtons } from '../replies';
import { declareConcern } from '../safetyHooks';
import { answerText, BetweenDialogBase, formatDay, type BetweenDialogResult, type PersonKeyOf } from './betweenDialogBase';
import { WaitDialog } from './waitDialog';

export interface MeasureDialogDeps {
  readonly texts: Texts;
  readonly questionnaires: Questionnaires;
  readonly measures: MeasuresRepository;
  /** The person's settings: which questionnaires go together (else PHQ-9, GAD-7, WSAS). */
  readonly schedule?: ScheduleRepository;
  readonly personKeyOf: PersonKeyOf;
  /** To say whether the clinician sees the result (the consent to share). */
  readonly profile?: StatePropertyAccessor<PersonProfile>;
  readonly now?: () => Date;
  /** After a questionnaire is completed (e.g. to move the next reminder). Failures are ignored. */
  readonly onCompleted?: (personKey: string, instrument: InstrumentId) => Promise<void>;
}

export interface MeasureDialogOptions {
  /** Start this questionnaire. */
  readonly instrument?: InstrumentId;
  /** The person's set of questionnaires, one after the other (the reminder's button). */
  readonly battery?: boolean;
  /** Show the results over time. */
  readonly view?: 'results';
}

interface ItemOptions {
  /** Said before the question, once. */
  readonly notice?: string;
  /** Answers not understood so far (each one after the prompt's own retries). */
  readonly misses?: number;
}

interface FinishOptions {
  /** PHQ-9 item 9 was answered above 0: the rest of the set waits for another day. */
  readonly afterConcern?: boolean;
}

interface OfferOptions {
  readonly from: InstrumentId;
  readonly answers: readonly number[];
  readonly then: readonly InstrumentId[];
}

/** Rounds of "not understood" (each after the prompt's own two retries) before pausing the questionnaire. */
const MAX_ITEM_MISSES = 2;

/**
 * "Mes questionnaires": PHQ-9, GAD-7 and WSAS (or their short forms), one item at a time with the
 * answers as buttons; free text works too ("2", "plusieurs jours"). An answer outside the scale is
 * asked again with the buttons. Each answer is saved as it comes (a draft), so an interrupted
 * questionnaire resumes where it was, or is put aside after 3 days idle — never scored from partial
 * answers. PHQ-9 item 9 above 0 hands over to the safety layer at once. At the end: the result in
 * plain words, a short trend against last time, never a diagnosis, and who can see it.
 */
export class MeasureDialog extends BetweenDialogBase {
  private readonly now: () => Date;

  constructor(private readonly deps: MeasureDialogDeps) {
    super(DialogIds.measures, deps.texts);
    this.now = deps.now ?? (() => new Date());
    this.addDialog(new WaterfallDialog(DialogIds.measuresEntry, [(s) => this.entry(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.measuresChoose, [(s) => this.askChoose(s), (s) => this.readChoose(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.measuresItem, [(s) => this.askItem(s), (s) => this.readItem(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.measuresFinish, [(s) => this.finish(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.measuresOfferFull, [(s) => this.askOffer(s), (s) => this.readOffer(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.measuresAfterConcern, [(s) => s.beginDialog(DialogIds.measuresWait), (s) => this.afterWait(s), (s) => this.readAfterConcern(s)]));
    this.addDialog(new WaitDialog(DialogIds.measuresWait, (context) => withButtons(this.t(context, 'measures.afterConcern.reprompt'), this.afterConcernTitles(context))));
    this.addDialog(new WaterfallDialog(DialogIds.measuresResults, [(s) => this.results(s)]));
    this.acceptor('item', (context, text, data) => {
      const scale = this.scale(context, (data as { instrument: InstrumentId }).instrument);
      return readAnswer(text, scale) !== undefined || this.isLater(context, text);
    });
    this.initialDialogId = DialogIds.measuresEntry;
  }

  // ── Storage, never throwing at the person ───────────────────────────────────────────────────

  private async load(context: TurnContext): Promise<{ ok: true; record: MeasuresRecord | undefined } | { ok: false }> {
    try {
      return { ok: true, record: await this.deps.measures.load(this.deps.personKeyOf(context)) };
    } catch {
      return { ok: false };
    }
  }

  private async change(context: TurnContext, change: (record: MeasuresRecord) => MeasuresRecord): Promise<boolean> {
    try {
      await this.deps.measures.update(this.deps.personKeyOf(context), change);
      return true;
    } catch {
      return false;
    }
  }

  private async failed(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await this.say(step.context, this.t(step.context, 'measures.errors.saveFailed'));
    return step.endDialog({ later: true } satisfies BetweenDialogResult);
  }

  /** The person is here: reminders speak their language, and the last reminder is answered. */
  private async notePresence(context: TurnContext): Promise<void> {
    if (!this.deps.schedule) return;
    const locale = this.locale(context);
    const now = this.now();
    try {
      const current = await this.deps.schedule.load(this.deps.personKeyOf(context));
      if (current && (current.locale !== locale || current.lastPrompt)) {
        await this.deps.schedule.update(this.deps.personKeyOf(context), (settings) => clearPrompt(setLocale(settings, locale, now), now));
      }
    } catch {
      // Best effort: the questionnaire goes on without it.
    }
  }

  private async battery(context: TurnContext): Promise<InstrumentId[]> {
    try {
      const settings = await this.deps.schedule?.load(this.deps.personKeyOf(context));
      if (settings?.measures.instruments.length) return [...settings.measures.instruments];
    } catch {
      // The defaults will do.
    }
    return [...DEFAULT_MEASURE_INSTRUMENTS];
  }

  // ── Words ───────────────────────────────────────────────────────────────────────────────────

  private name(context: TurnContext, id: InstrumentId): string {
    return this.t(context, `measures.names.${id}`);
  }

  private wording(context: TurnContext, id: InstrumentId): QuestionnaireText {
    return this.deps.questionnaires[this.locale(context)][wordingOf(id)];
  }

  private scale(context: TurnContext, id: InstrumentId): AnswerScale {
    const spec = specOf(id);
    const text = this.wording(context, id);
    return {
      min: spec.min,
      max: spec.max,
      labels: text.options.map((option) => option.label),
      words: Object.fromEntries(text.options.map((option) => [option.score, option.also])),
    };
  }

  private isLater(context: TurnContext, text: string): boolean {
    return this.matches(text, this.laterWords(context));
  }

  private intro(context: TurnContext, id: InstrumentId, from = 0): string {
    const spec = specOf(id);
    const parts = [this.t(context, 'measures.intro', { name: this.name(context, id), count: spec.items - from })];
    if (spec.max !== 3) parts.push(this.wording(context, id).stem);
    return parts.join('\n\n');
  }

  private itemText(context: TurnContext, id: InstrumentId, index: number): string {
    const spec = specOf(id);
    const wording = this.wording(context, id);
    const vars = { number: index + 1, count: spec.items, item: wording.items[index] };
    // PHQ and GAD items read as the end of their stem ("…bothered by: trouble relaxing"); WSAS items stand alone.
    return spec.max === 3 ? this.t(context, 'measures.item', { ...vars, stem: wording.stem }) : this.t(context, 'measures.itemScale', { ...vars, hint: this.t(context, 'measures.wsasHint') });
  }

  private ago(context: TurnContext, since: Elapsed): string {
    if (since.unit === 'day' && since.count === 0) return this.t(context, 'measures.ago.hours');
    const one = since.count === 1;
    return this.t(context, `measures.ago.${since.unit}${one ? '' : 's'}`, { count: since.count });
  }

  private trendKey(trend: Trend): string {
    const reliable = trend.reliable === 'improved' || trend.reliable === 'deteriorated';
    return `measures.result.trend.${trend.direction}${reliable && trend.direction !== 'same' ? 'Reliable' : ''}`;
  }

  private resultText(context: TurnContext, result: MeasureResult, previous: MeasureResult | undefined): string {
    const id = result.instrument;
    const spec = specOf(id);
    const lines = [
      this.t(context, 'measures.result.score', {
        code: spec.code,
        score: result.score,
        max: maxScore(id),
        meaning: this.t(context, `measures.result.bands.${id}.${bandOf(id, result.score)}`),
      }),
    ];
    if (spec.shortFormOf) return lines.join('\n\n');
    if (previous) lines.push(this.t(context, this.trendKey(trendOf(id, previous, result)), { ago: this.ago(context, trendOf(id, previous, result).since) }));
    else lines.push(this.t(context, 'measures.result.first'));
    lines.push(this.t(context, 'measures.result.notDiagnosis'));
    return lines.join('\n\n');
  }

  // ── Where to start ──────────────────────────────────────────────────────────────────────────

  private async entry(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as MeasureDialogOptions;
    const now = this.now();
    await this.notePresence(step.context);
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.failed(step);
    let notice: string | undefined;
    const draft = loaded.record?.draft;
    if (draft && isDraftExpired(draft, now)) {
      // Answers given days apart would describe different weeks: put aside, never scored.
      if (!(await this.change(step.context, (record) => (record.draft?.startedAt === draft.startedAt ? setDraft(record, undefined, now) : record)))) return this.failed(step);
      if (!options.view) notice = this.t(step.context, 'measures.expired');
    } else if (draft && options.view !== 'results') {
      if (nextItem(draft) === undefined) return step.replaceDialog(DialogIds.measuresFinish, { afterConcern: concernIn(draft) } satisfies FinishOptions);
      const resume = this.t(step.context, 'measures.resume', { name: this.name(step.context, draft.instrument), number: answeredCount(draft) + 1, count: draft.answers.length });
      return step.replaceDialog(DialogIds.measuresItem, { notice: resume } satisfies ItemOptions);
    }
    if (options.view === 'results') return step.replaceDialog(DialogIds.measuresResults);
    if (options.instrument) return this.start(step, [options.instrument], notice);
    if (options.battery) return this.start(step, await this.battery(step.context), notice);
    if (notice) await this.say(step.context, notice);
    return step.replaceDialog(DialogIds.measuresChoose);
  }

  private async start(step: WaterfallStepContext, instruments: readonly InstrumentId[], notice?: string, prefill?: readonly number[]): Promise<DialogTurnResult> {
    const [first, ...then] = instruments;
    if (!first) return step.endDialog({} satisfies BetweenDialogResult);
    const draft = startDraft(first, this.now(), { then, prefill });
    if (!(await this.change(step.context, (record) => setDraft(record, draft, this.now())))) return this.failed(step);
    const intro = prefill?.length ? this.t(step.context, 'measures.offerFull.go', { count: specOf(first).items - prefill.length }) : this.intro(step.context, first);
    return step.replaceDialog(DialogIds.measuresItem, { notice: [notice, intro].filter(Boolean).join('\n\n') } satisfies ItemOptions);
  }

  // ── Which questionnaire ─────────────────────────────────────────────────────────────────────

  private async chooseTitles(context: TurnContext): Promise<{ battery: InstrumentId[]; titles: string[] }> {
    const battery = await this.battery(context);
    const titles = battery.map((id) => this.name(context, id));
    if (battery.length > 1) titles.push(this.t(context, 'measures.choose.all', { count: battery.length }));
    titles.push(this.t(context, 'measures.choose.results'), this.t(context, 'measures.common.later'));
    return { battery, titles };
  }

  private async askChoose(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { titles } = await this.chooseTitles(step.context);
    return this.ask(step, this.t(step.context, 'measures.choose.ask'), titles, 'later');
  }

  private async readChoose(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { battery, titles } = await this.chooseTitles(step.context);
    const said = answerText(step.result);
    const index = titles.findIndex((title) => this.matches(said, [title]));
    if (index >= 0 && index < battery.length) return this.start(step, [battery[index]]);
    if (battery.length > 1 && index === battery.length) return this.start(step, battery);
    if (this.matches(said, [this.t(step.context, 'measures.choose.results')])) return step.replaceDialog(DialogIds.measuresResults);
    await this.say(step.context, this.t(step.context, 'measures.later'));
    return step.endDialog({ later: true } satisfies BetweenDialogResult);
  }

  // ── One item ────────────────────────────────────────────────────────────────────────────────

  private async askItem(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as ItemOptions;
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.failed(step);
    const draft = loaded.record?.draft;
    if (!draft || isDraftExpired(draft, this.now())) return step.replaceDialog(DialogIds.measuresEntry, {});
    const index = nextItem(draft);
    if (index === undefined) return step.replaceDialog(DialogIds.measuresFinish, { afterConcern: concernIn(draft) } satisfies FinishOptions);
    if (options.notice) await this.say(step.context, options.notice);
    const values = step.values as { instrument?: InstrumentId; index?: number; startedAt?: string };
    Object.assign(values, { instrument: draft.instrument, index, startedAt: draft.startedAt });
    const scale = this.scale(step.context, draft.instrument);
    const retry = this.t(step.context, 'measures.retry', { min: scale.min, max: scale.max });
    return this.ask(step, this.itemText(step.context, draft.instrument, index), scale.labels, { name: 'item', data: { instrument: draft.instrument } }, retry);
  }

  private async readItem(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as ItemOptions;
    const { instrument, index, startedAt } = step.values as { instrument: InstrumentId; index: number; startedAt: string };
    const said = answerText(step.result);
    if (this.isLater(step.context, said)) {
      await this.say(step.context, this.t(step.context, 'measures.paused'));
      return step.endDialog({ later: true } satisfies BetweenDialogResult);
    }
    const value = readAnswer(said, this.scale(step.context, instrument));
    if (value === undefined) {
      const misses = (options.misses ?? 0) + 1;
      if (misses >= MAX_ITEM_MISSES) {
        await this.say(step.context, this.t(step.context, 'measures.giveUp'));
        return step.endDialog({ later: true } satisfies BetweenDialogResult);
      }
      return step.replaceDialog(DialogIds.measuresItem, { misses, notice: this.t(step.context, 'measures.notUnderstood') } satisfies ItemOptions);
    }
    const now = this.now();
    const saved = await this.change(step.context, (record) =>
      record.draft && record.draft.startedAt === startedAt && record.draft.instrument === instrument ? setDraft(record, answerItem(record.draft, index, value, now), now) : record,
    );
    if (!saved) return this.failed(step);
    if (needsSafetyFollowUp(instrument, index, value) && (await declareConcern(step.context, ['passive_ideation']))) {
      // The safety layer has reflected and asked the direct question; its answer is read next turn.
      return step.replaceDialog(DialogIds.measuresAfterConcern);
    }
    return step.replaceDialog(DialogIds.measuresItem, {} satisfies ItemOptions);
  }

  // ── After PHQ-9 item 9 ──────────────────────────────────────────────────────────────────────

  private afterConcernTitles(context: TurnContext): string[] {
    return [this.t(context, 'measures.afterConcern.see'), this.t(context, 'measures.common.later')];
  }

  private async afterWait(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = answerText(step.result);
    const titles = this.afterConcernTitles(step.context);
    if (this.matches(said, [titles[0], ...this.words(step.context, 'measures.common.yesWords')])) return step.replaceDialog(DialogIds.measuresFinish, { afterConcern: true } satisfies FinishOptions);
    if (this.isLater(step.context, said)) return this.pausedAfterConcern(step);
    return this.ask(step, this.t(step.context, 'measures.afterConcern.ask'), titles, 'yesNoLater');
  }

  private async readAfterConcern(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = answerText(step.result);
    if (this.matches(said, [this.afterConcernTitles(step.context)[0], ...this.words(step.context, 'measures.common.yesWords')])) {
      return step.replaceDialog(DialogIds.measuresFinish, { afterConcern: true } satisfies FinishOptions);
    }
    return this.pausedAfterConcern(step);
  }

  private async pausedAfterConcern(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await this.say(step.context, this.t(step.context, 'measures.afterConcern.later'));
    return step.endDialog({ later: true } satisfies BetweenDialogResult);
  }

  // ── The result ──────────────────────────────────────────────────────────────────────────────

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as FinishOptions;
    const now = this.now();
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.failed(step);
    const draft = loaded.record?.draft;
    if (!draft) return this.end(step);
    const answers = completedAnswers(draft);
    if (!answers) return step.replaceDialog(DialogIds.measuresItem, {} satisfies ItemOptions);
    const id = draft.instrument;
    const result = makeResult(id, answers, now) as MeasureResult;
    const previous = latestResult(loaded.record?.history[id]);
    const full = specOf(id).shortFormOf;
    const offer = full !== undefined && offersFullForm(id, result.score) && !draft.then.includes(full);
    const [nextId, ...rest] = options.afterConcern || offer ? [] : draft.then;
    const next: MeasureDraft | undefined = nextId ? startDraft(nextId, now, { then: rest }) : undefined;
    const saved = await this.change(step.context, (record) => (record.draft?.startedAt === draft.startedAt ? completeMeasure(record, result, next, now) : record));
    if (!saved) return this.failed(step);
    await this.say(step.context, this.resultText(step.context, result, previous));
    try {
      await this.deps.onCompleted?.(this.deps.personKeyOf(step.context), id);
    } catch {
      // A reminder that moves late is no reason to trouble the person.
    }
    if (offer && full) return step.replaceDialog(DialogIds.measuresOfferFull, { from: id, answers, then: draft.then } satisfies OfferOptions);
    if (next) return step.replaceDialog(DialogIds.measuresItem, { notice: this.intro(step.context, next.instrument) } satisfies ItemOptions);
    return this.end(step);
  }

  private async askOffer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as OfferOptions;
    const full = specOf(specOf(options.from).shortFormOf as InstrumentId);
    const titles = [this.t(step.context, 'measures.offerFull.yes'), this.t(step.context, 'measures.common.later')];
    const text = this.t(step.context, 'measures.offerFull.ask', { more: full.items - options.answers.length, code: full.code });
    return this.ask(step, text, titles, 'yesNoLater');
  }

  private async readOffer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as OfferOptions;
    const full = specOf(options.from).shortFormOf as InstrumentId;
    const said = answerText(step.result);
    if (this.matches(said, [this.t(step.context, 'measures.offerFull.yes'), ...this.words(step.context, 'measures.common.yesWords')])) {
      // The short form's items are the full form's first items: their answers carry over.
      return this.start(step, [full, ...options.then], undefined, options.answers);
    }
    if (options.then.length) return this.start(step, options.then);
    return this.end(step);
  }

  /** Who sees the result, and a thank-you. */
  private async end(step: WaterfallStepContext): Promise<DialogTurnResult> {
    let shared: boolean | undefined;
    try {
      shared = this.deps.profile ? (await this.deps.profile.get(step.context, {})).consents?.share?.granted : undefined;
    } catch {
      shared = undefined;
    }
    const key = shared === true ? 'measures.share.yes' : shared === false ? 'measures.share.no' : 'measures.share.unknown';
    await this.say(step.context, [this.t(step.context, key), this.t(step.context, 'measures.end')].join('\n\n'));
    return step.endDialog({} satisfies BetweenDialogResult);
  }

  // ── Results over time ───────────────────────────────────────────────────────────────────────

  private async results(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.failed(step);
    const locale = this.locale(step.context);
    const lines: string[] = [];
    for (const id of INSTRUMENT_IDS) {
      const history = loaded.record?.history[id];
      const latest = latestResult(history);
      if (!latest) continue;
      const vars = { name: this.name(step.context, id), score: latest.score, max: maxScore(id), date: formatDay(locale, latest.at) };
      const previous = previousResult(history);
      const trend = previous ? this.t(step.context, `measures.results.trend.${trendOf(id, previous, latest).direction}`, { ago: this.ago(step.context, trendOf(id, previous, latest).since) }) : '';
      lines.push(`- ${this.t(step.context, 'measures.results.line', vars)}${trend ? ` — ${trend}` : ''}`);
    }
    const text = lines.length ? [this.t(step.context, 'measures.results.title'), lines.join('\n'), this.t(step.context, 'measures.result.notDiagnosis')].join('\n\n') : this.t(step.context, 'measures.results.none');
    await this.say(step.context, text);
    return step.endDialog({} satisfies BetweenDialogResult);
  }
}

/** A complete PHQ-9 whose item 9 is above 0 (the rest of the set waits for another day). */
function concernIn(draft: MeasureDraft): boolean {
  const value = draft.answers[PHQ9_SUICIDE_ITEM_INDEX];
  return draft.instrument === 'phq9' && typeof value === 'number' && value > 0;
}
