import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Locale } from '../../core/i18n/locale';
import { catalogueMean, catalogueMeansIn, catalogueText } from '../../core/plan/catalogue';
import { PLAN_CATEGORY_IDS, isPlanCategoryId, type PlanCategoryId } from '../../core/plan/categories';
import { addMean, MEAN_STATUSES, type AddMeanResult, type MeanStatus, type Plan } from '../../core/plan/plan';
import { cleanText } from '../../core/plan/text';
import { simplify } from '../../core/conversation/globalCommands';
import { DialogIds } from '../dialogIds';
import { PlanDialogBase, pick, type Choice, type Notice, type PlanDialogDeps, type Prompt, type QuestionOptions, type TextInput } from './planDialogBase';
import { categoryLabel, categoryTitle } from './render';

export interface MyMeansDialogOptions {
  /** Start in this category (skips the category question). */
  readonly category?: PlanCategoryId;
}

type MeanChoice = { readonly kind: 'catalogue'; readonly id: string } | { readonly kind: 'own'; readonly text: string };

interface CategoryOptions extends QuestionOptions {
  readonly intro?: boolean;
}

interface BrowseOptions extends QuestionOptions {
  readonly category: PlanCategoryId;
  readonly page: number;
  /** First time in this category: say what it is about. */
  readonly fresh?: boolean;
}

interface StatusOptions extends QuestionOptions {
  readonly category: PlanCategoryId;
  readonly page: number;
  readonly mean: MeanChoice;
}

type NextOptions = QuestionOptions;

/** How many catalogue ideas are shown at once: a few, so the list stays easy to read. */
export const MEANS_PER_PAGE = 4;

type BrowseAction = { readonly kind: 'mean'; readonly id: string } | { readonly kind: 'more' | 'own' | 'otherCategory' | 'done' };

/**
 * "Ce qui m'aide" / "What helps me": the person picks ONE category to start with, then looks at a
 * few catalogue ideas at a time (or writes their own), and for each says whether they do it now,
 * used to, or would like to try. What they already do is recognised. Every answer is saved at once.
 */
export class MyMeansDialog extends PlanDialogBase {
  constructor(deps: PlanDialogDeps) {
    super(DialogIds.planMeans, deps);
    this.addRoute<MyMeansDialogOptions>(DialogIds.planMeansEntry, async (step, options) =>
      isPlanCategoryId(options.category)
        ? step.replaceDialog(DialogIds.planMeansBrowse, { category: options.category, page: 0, fresh: true } satisfies BrowseOptions)
        : step.replaceDialog(DialogIds.planMeansCategory, { intro: true } satisfies CategoryOptions),
    );
    this.addQuestion<CategoryOptions>(DialogIds.planMeansCategory, (s, o, l) => this.askCategory(s, o, l), (s, o, i, l) => this.answerCategory(s, o, i, l));
    this.addQuestion<BrowseOptions>(DialogIds.planMeansBrowse, (s, o, l) => this.askBrowse(s, o, l), (s, o, i, l) => this.answerBrowse(s, o, i, l));
    this.addQuestion<BrowseOptions>(DialogIds.planMeansOwn, async (_s, _o, l) => this.askOwn(l), (s, o, i, l) => this.answerOwn(s, o, i, l));
    this.addQuestion<StatusOptions>(DialogIds.planMeansStatus, async (_s, o, l) => this.askStatus(o, l), (s, o, i, l) => this.answerStatus(s, o, i, l));
    this.addQuestion<NextOptions>(DialogIds.planMeansNext, (s, o, l) => this.askNext(s, o, l), (s, o, i, l) => this.answerNext(s, o, i, l));
    this.initialDialogId = DialogIds.planMeansEntry;
  }

  // ── Which category first ────────────────────────────────────────────────────────────────────

  private async askCategory(_step: WaterfallStepContext, options: CategoryOptions, locale: Locale): Promise<Prompt> {
    const list = PLAN_CATEGORY_IDS.map((category, i) => `${i + 1}. **${categoryLabel(this.texts, locale, category)}** — ${this.t(locale, `plan.categories.${category}.intro`)}`);
    const text = [this.t(locale, options.intro ? 'plan.means.intro' : 'plan.means.askCategory'), list.join('\n')].join('\n\n');
    return { text, buttons: [...PLAN_CATEGORY_IDS.map((category) => categoryLabel(this.texts, locale, category)), this.t(locale, 'plan.buttons.done')] };
  }

  private async answerCategory(step: WaterfallStepContext, _options: CategoryOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const category = pick(input.said, this.categoryChoices(locale), true, true);
    if (category) return step.replaceDialog(DialogIds.planMeansBrowse, { category, page: 0, fresh: true } satisfies BrowseOptions);
    if (pick(input.said, [{ value: true, titles: this.stopTitles(locale) }])) return step.replaceDialog(DialogIds.planMeansNext, {} satisfies NextOptions);
    return undefined;
  }

  private categoryChoices(locale: Locale): Choice<PlanCategoryId>[] {
    return PLAN_CATEGORY_IDS.map((category) => ({
      value: category,
      titles: [categoryLabel(this.texts, locale, category), categoryTitle(this.texts, locale, category), ...this.words(locale, `plan.categories.${category}.words`)],
    }));
  }

  // ── A few ideas at a time ───────────────────────────────────────────────────────────────────

  private async askBrowse(step: WaterfallStepContext, options: BrowseOptions, locale: Locale): Promise<Prompt> {
    const loaded = await this.load(step.context);
    const plan = loaded.ok ? loaded.plan : undefined;
    const available = this.available(plan, options.category);
    const parts: string[] = [];
    if (options.fresh) parts.push(`**${categoryTitle(this.texts, locale, options.category)}** — ${this.t(locale, `plan.categories.${options.category}.intro`)}`);
    const own = this.t(locale, 'plan.means.ownButton');
    const other = this.t(locale, 'plan.means.otherCategory');
    const done = this.t(locale, 'plan.buttons.done');
    if (!available.length) {
      (step.values as { shown?: string[] }).shown = [];
      parts.push(this.t(locale, 'plan.means.allSeen'));
      return { text: parts.join('\n\n'), buttons: [own, other, done] };
    }
    const pages = Math.ceil(available.length / MEANS_PER_PAGE);
    const page = ((options.page % pages) + pages) % pages;
    const shown = available.slice(page * MEANS_PER_PAGE, page * MEANS_PER_PAGE + MEANS_PER_PAGE);
    (step.values as { shown?: string[] }).shown = shown;
    parts.push(this.t(locale, options.fresh ? 'plan.means.browse' : 'plan.means.browseMore'));
    parts.push(
      shown
        .map((id, i) => {
          const text = catalogueText(this.catalogue, locale, id);
          return `${i + 1}. ${text?.label ?? id}${text?.example ? ` — _${text.example}_` : ''}`;
        })
        .join('\n'),
    );
    const buttons = shown.map((id) => catalogueText(this.catalogue, locale, id)?.label ?? id);
    if (pages > 1) buttons.push(this.t(locale, 'plan.means.moreButton'));
    buttons.push(own, other, done);
    return { text: parts.join('\n\n'), buttons };
  }

  private async answerBrowse(step: WaterfallStepContext, options: BrowseOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const shown = (step.values as { shown?: string[] }).shown ?? [];
    const action = this.browseAction(locale, input, shown, options.category);
    const base = { category: options.category, page: options.page };
    switch (action?.kind) {
      case 'mean':
        return step.replaceDialog(DialogIds.planMeansStatus, { ...base, mean: { kind: 'catalogue', id: action.id } } satisfies StatusOptions);
      case 'more': {
        const loaded = await this.load(step.context);
        const pages = Math.max(1, Math.ceil(this.available(loaded.ok ? loaded.plan : undefined, options.category).length / MEANS_PER_PAGE));
        const page = (options.page + 1) % pages;
        const notices: Notice[] = page === 0 ? [{ key: 'plan.means.wrapped' }] : [];
        return step.replaceDialog(DialogIds.planMeansBrowse, { ...base, page, notices } satisfies BrowseOptions);
      }
      case 'own':
        return step.replaceDialog(DialogIds.planMeansOwn, base satisfies BrowseOptions);
      case 'otherCategory':
        return step.replaceDialog(DialogIds.planMeansCategory, {} satisfies CategoryOptions);
      case 'done':
        return step.replaceDialog(DialogIds.planMeansNext, {} satisfies NextOptions);
    }
    // Their own words: "yes", "no" or a couple of letters are not a mean.
    if (this.isTooVague(locale, input)) return undefined;
    return step.replaceDialog(DialogIds.planMeansStatus, { ...base, mean: { kind: 'own', text: input.text } } satisfies StatusOptions);
  }

  private browseAction(locale: Locale, input: TextInput, shown: readonly string[], category: PlanCategoryId): BrowseAction | undefined {
    const label = (id: string) => catalogueText(this.catalogue, locale, id)?.label ?? id;
    const fromList = pick(input.said, shown.map((id) => ({ value: id, titles: [label(id)] })), true);
    if (fromList) return { kind: 'mean', id: fromList };
    const controls: Choice<BrowseAction>[] = [
      { value: { kind: 'more' }, titles: this.titles(locale, 'plan.means.moreButton', 'plan.words.more') },
      { value: { kind: 'own' }, titles: this.titles(locale, 'plan.means.ownButton', 'plan.words.own') },
      { value: { kind: 'otherCategory' }, titles: [...this.titles(locale, 'plan.means.otherCategory', 'plan.words.otherCategory'), ...this.titles(locale, 'plan.buttons.back', 'plan.words.back')] },
      { value: { kind: 'done' }, titles: this.stopTitles(locale) },
    ];
    const control = pick(input.said, controls);
    if (control) return control;
    // A label typed from another page, or from another category.
    const inCategory = catalogueMeansIn(this.catalogue, category).map((mean) => ({ value: mean.id, titles: [label(mean.id)] }));
    const anywhere = this.catalogue.means.map((mean) => ({ value: mean.id, titles: [label(mean.id)] }));
    const typed = pick(input.said, inCategory) ?? pick(input.said, anywhere);
    return typed ? { kind: 'mean', id: typed } : undefined;
  }

  private available(plan: Plan | undefined, category: PlanCategoryId): string[] {
    const taken = new Set((plan?.means ?? []).map((mean) => mean.id));
    return catalogueMeansIn(this.catalogue, category)
      .map((mean) => mean.id)
      .filter((id) => !taken.has(id));
  }

  // ── Their own mean ──────────────────────────────────────────────────────────────────────────

  private askOwn(locale: Locale): Prompt {
    return { text: this.t(locale, 'plan.means.ownAsk'), buttons: [this.t(locale, 'plan.buttons.back')] };
  }

  private async answerOwn(step: WaterfallStepContext, options: BrowseOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const base = { category: options.category, page: options.page };
    if (pick(input.said, [{ value: true, titles: this.titles(locale, 'plan.buttons.back', 'plan.words.back') }])) {
      return step.replaceDialog(DialogIds.planMeansBrowse, base satisfies BrowseOptions);
    }
    if (this.isTooVague(locale, input)) return undefined;
    return step.replaceDialog(DialogIds.planMeansStatus, { ...base, mean: { kind: 'own', text: input.text } } satisfies StatusOptions);
  }

  // ── Now, used to, or would like to try ──────────────────────────────────────────────────────

  private askStatus(options: StatusOptions, locale: Locale): Prompt {
    const mean = options.mean;
    const text =
      mean.kind === 'catalogue'
        ? this.t(locale, 'plan.means.askStatus', { mean: catalogueText(this.catalogue, locale, mean.id)?.label ?? mean.id })
        : this.t(locale, 'plan.means.askStatusOwn', { mean: cleanText(mean.text)?.text ?? mean.text });
    return { text, buttons: [...MEAN_STATUSES.map((status) => this.t(locale, `plan.status.${status}`)), this.t(locale, 'plan.buttons.back')] };
  }

  private async answerStatus(step: WaterfallStepContext, options: StatusOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const back = { category: options.category, page: options.page };
    if (pick(input.said, [{ value: true, titles: this.titles(locale, 'plan.buttons.back', 'plan.words.back') }])) {
      return step.replaceDialog(DialogIds.planMeansBrowse, back satisfies BrowseOptions);
    }
    const status = pick(input.said, this.statusChoices(locale), true);
    if (!status) return undefined;
    const mean = options.mean;
    const category = mean.kind === 'catalogue' ? (catalogueMean(this.catalogue, mean.id)?.category ?? options.category) : options.category;
    let result: AddMeanResult | undefined;
    const saved = await this.change(step.context, (plan) => {
      result = addMean(plan, mean.kind === 'catalogue' ? { kind: 'catalogue', id: mean.id, category } : { kind: 'own', text: mean.text, category }, status, this.now());
      return result.plan;
    });
    if (!saved.ok || !result) return step.replaceDialog(DialogIds.planMeansBrowse, { ...back, notices: [{ key: 'plan.errors.saveFailed' }] } satisfies BrowseOptions);
    return step.replaceDialog(DialogIds.planMeansBrowse, { ...back, notices: this.savedNotices(result, status, saved.plan) } satisfies BrowseOptions);
  }

  private statusChoices(locale: Locale): Choice<MeanStatus>[] {
    return MEAN_STATUSES.map((status) => ({ value: status, titles: this.titles(locale, `plan.status.${status}`, `plan.status.words.${status}`) }));
  }

  private savedNotices(result: AddMeanResult, status: MeanStatus, plan: Plan): Notice[] {
    switch (result.outcome) {
      case 'added': {
        const notices: Notice[] = [{ key: `plan.means.saved.${status}`, seed: plan.means.length }];
        if (result.truncated) notices.push({ key: 'plan.reprompt.cut' });
        return notices;
      }
      case 'updated':
        return [{ key: 'plan.means.updated' }, { key: `plan.means.saved.${status}`, seed: plan.means.length }];
      case 'unchanged':
        return [{ key: 'plan.means.unchanged' }];
      case 'full':
        return [{ key: 'plan.means.full' }];
      case 'empty':
        return [{ key: 'plan.reprompt.noWords' }];
    }
  }

  // ── Another category, or stop here ──────────────────────────────────────────────────────────

  private async askNext(step: WaterfallStepContext, options: NextOptions, locale: Locale): Promise<Prompt> {
    const before = [];
    if (!options.misses) {
      const loaded = await this.load(step.context);
      const now = loaded.ok && loaded.plan ? loaded.plan.means.filter((mean) => mean.status === 'now').length : 0;
      const key = now === 0 ? 'plan.means.recogniseNone' : now === 1 ? 'plan.means.recogniseOne' : 'plan.means.recogniseMany';
      before.push({ type: 'message', text: this.t(locale, key, { count: now }) });
    }
    return {
      text: this.t(locale, 'plan.means.askNext'),
      buttons: [this.t(locale, 'plan.means.anotherCategory'), this.t(locale, 'plan.means.stopHere')],
      before,
    };
  }

  private async answerNext(step: WaterfallStepContext, _options: NextOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const another = [...this.titles(locale, 'plan.means.anotherCategory', 'plan.words.yes'), ...this.words(locale, 'plan.words.otherCategory')];
    if (pick(input.said, [{ value: true, titles: another }])) return step.replaceDialog(DialogIds.planMeansCategory, {} satisfies CategoryOptions);
    const category = pick(input.said, this.categoryChoices(locale));
    if (category) return step.replaceDialog(DialogIds.planMeansBrowse, { category, page: 0, fresh: true } satisfies BrowseOptions);
    if (pick(input.said, [{ value: true, titles: [this.t(locale, 'plan.means.stopHere'), ...this.stopTitles(locale), ...this.words(locale, 'plan.words.no')] }])) {
      return this.finish(step, 'plan.means.end');
    }
    return undefined;
  }

  // ── Words ───────────────────────────────────────────────────────────────────────────────────

  private stopTitles(locale: Locale): string[] {
    return [...this.titles(locale, 'plan.buttons.done', 'plan.words.done'), ...this.titles(locale, 'plan.buttons.later', 'plan.words.later')];
  }

  /** Yes, no, "I don't know" or two letters: not something to keep as a mean. */
  private isTooVague(locale: Locale, input: TextInput): boolean {
    if (input.said.replace(/\s/g, '').length < 3) return true;
    const vague = [...this.words(locale, 'plan.words.yes'), ...this.words(locale, 'plan.words.no'), ...this.words(locale, 'plan.words.dontKnow')].map(simplify);
    return vague.includes(input.said);
  }
}
