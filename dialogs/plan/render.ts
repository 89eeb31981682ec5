import type { TextVars, Texts } from '../../content/texts';
import type { Locale } from '../../core/i18n/locale';
import { catalogueText, type MeansCatalogue } from '../../core/plan/catalogue';
import type { PlanCategoryId } from '../../core/plan/categories';
import {
  activeActions,
  currentConfidence,
  findMean,
  isOwnMeanId,
  journeySummary,
  meansByCategory,
  type MeanStatus,
  type Plan,
  type PlanAction,
  type PlanMean,
} from '../../core/plan/plan';
import { programmeStatus } from '../../core/plan/programme';

/**
 * How the plan reads in a message: the person's means grouped by category, their prides and good
 * moves, their tiny steps. Texts come from content (plan.render.*), labels from the catalogue.
 */

export function categoryLabel(texts: Texts, locale: Locale, category: PlanCategoryId): string {
  return texts.t(locale, `plan.categories.${category}.label`);
}

export function categoryTitle(texts: Texts, locale: Locale, category: PlanCategoryId): string {
  return texts.t(locale, `plan.categories.${category}.title`);
}

export function statusLabel(texts: Texts, locale: Locale, status: MeanStatus): string {
  return texts.t(locale, `plan.status.short.${status}`);
}

/** A mean's words: the person's own, or the catalogue's label in the person's language. */
export function meanLabel(catalogue: MeansCatalogue, locale: Locale, mean: Pick<PlanMean, 'id' | 'text'> | undefined, fallback = ''): string {
  if (!mean) return fallback;
  if (isOwnMeanId(mean.id)) return mean.text ?? fallback;
  return catalogueText(catalogue, locale, mean.id)?.label ?? mean.id.replace(/-/g, ' ');
}

/** What the tiny step is about: its "what", else the mean it is on. */
export function actionTitle(catalogue: MeansCatalogue, locale: Locale, plan: Plan, action: PlanAction): string {
  return action.step.what ?? meanLabel(catalogue, locale, findMean(plan, action.meanId), action.meanId.replace(/^own:/, ''));
}

/** "Marcher 10 minutes — le matin, dehors, 2 fois cette semaine (confiance : 8/10)". */
export function actionLine(texts: Texts, catalogue: MeansCatalogue, locale: Locale, plan: Plan, action: PlanAction): string {
  const details = [action.step.when, action.step.where, action.step.howOften].filter((part): part is string => Boolean(part));
  const title = actionTitle(catalogue, locale, plan, action);
  let line = details.length ? texts.t(locale, 'plan.render.stepLine', { what: title, details: details.join(', ') }) : title;
  if (!action.step.what || details.length < 3) line += ` ${texts.t(locale, 'plan.render.toComplete')}`;
  const confidence = currentConfidence(action);
  if (confidence !== undefined) line += ` ${texts.t(locale, 'plan.render.confidence', { value: confidence })}`;
  return line;
}

export function programmeLine(texts: Texts, locale: Locale, plan: Plan, now: Date): string {
  const status = programmeStatus(plan.programme, now);
  return texts.t(locale, 'plan.render.week', { week: Math.min(status.week, status.totalWeeks), total: status.totalWeeks });
}

/** The whole plan as one Markdown message. */
export function renderPlan(texts: Texts, catalogue: MeansCatalogue, locale: Locale, plan: Plan, now: Date): string {
  const t = (key: string, vars?: TextVars) => texts.t(locale, key, vars);
  const blocks: string[] = [`**${t('plan.render.title')}** · ${programmeLine(texts, locale, plan, now)}`];

  const groups = meansByCategory(plan);
  const means = [`**${t('plan.render.meansHeading')}**`];
  if (!groups.length) means.push(t('plan.render.meansNone'));
  for (const group of groups) {
    means.push(`_${categoryTitle(texts, locale, group.category)}_`);
    for (const mean of group.means) {
      means.push(`- ${t('plan.render.meanLine', { mean: meanLabel(catalogue, locale, mean), status: statusLabel(texts, locale, mean.status) })}`);
    }
  }
  blocks.push(means.join('\n'));

  const prides = [`**${t('plan.render.pridesHeading')}**`];
  if (!plan.prides.length && !plan.earlierPrides) prides.push(t('plan.render.pridesNone'));
  for (const pride of plan.prides) prides.push(`- ${pride.kind === 'goodMove' ? t('plan.render.goodMove', { text: pride.text }) : pride.text}`);
  if (plan.earlierPrides) prides.push(t('plan.render.earlierPrides', { count: plan.earlierPrides }));
  blocks.push(prides.join('\n'));

  const actions = activeActions(plan);
  const steps = [`**${t('plan.render.stepsHeading')}**`];
  if (!actions.length) steps.push(t('plan.render.stepsNone'));
  actions.forEach((action, index) => steps.push(`${index + 1}. ${actionLine(texts, catalogue, locale, plan, action)}`));
  blocks.push(steps.join('\n'));

  return blocks.join('\n\n');
}

/** The final review's look back: what the person did along the way, and that every step counts. */
export function renderJourney(texts: Texts, locale: Locale, plan: Plan, now: Date): string {
  const t = (key: string, vars?: TextVars) => texts.t(locale, key, vars);
  const summary = journeySummary(plan);
  const weeks = programmeStatus(plan.programme, now).week;
  const lines = [
    t('plan.programme.final.intro', { weeks }),
    `- ${t('plan.programme.final.meansNow', { count: summary.means.now })}`,
    `- ${t('plan.programme.final.meansOther', { count: summary.means.used_to + summary.means.explore })}`,
    `- ${t('plan.programme.final.steps', { count: summary.stepsTried })}`,
    `- ${t('plan.programme.final.worked', { count: summary.reviews.worked + summary.reviews.partly })}`,
    `- ${t('plan.programme.final.prides', { count: summary.prides + summary.goodMoves })}`,
  ];
  const recent = plan.prides.slice(-3).map((pride) => `  - ${pride.text}`);
  if (recent.length) lines.push(...recent);
  return `${lines.join('\n')}\n\n${t('plan.programme.final.everyStep')}`;
}
