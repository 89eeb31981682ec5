import type { Locale } from '../i18n/locale';
import type { PlanCategoryId } from './categories';

/**
 * The catalogue of means: ideas the person can recognise ("I do that already") or pick to try.
 * Ids are the same in every locale; labels live per locale. Loaded and checked from the content
 * files (content/catalogue.ts); plain data so it can be handed around and serialised.
 */
export const MIN_MEANS_PER_CATEGORY = 12;

export interface CatalogueMean {
  readonly id: string;
  readonly category: PlanCategoryId;
}

export interface CatalogueMeanText {
  /** A short label, also used as a button title. */
  readonly label: string;
  /** An optional one-line example. */
  readonly example?: string;
}

export interface MeansCatalogue {
  /** Every mean, in the reference locale's order (by category, then as written). */
  readonly means: readonly CatalogueMean[];
  readonly texts: Readonly<Record<Locale, Readonly<Record<string, CatalogueMeanText>>>>;
}

export function catalogueMean(catalogue: MeansCatalogue, id: string): CatalogueMean | undefined {
  return catalogue.means.find((mean) => mean.id === id);
}

export function catalogueMeansIn(catalogue: MeansCatalogue, category: PlanCategoryId): CatalogueMean[] {
  return catalogue.means.filter((mean) => mean.category === category);
}

export function catalogueText(catalogue: MeansCatalogue, locale: Locale, id: string): CatalogueMeanText | undefined {
  return catalogue.texts[locale]?.[id];
}
