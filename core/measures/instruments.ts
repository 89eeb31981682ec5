/**
 * The standardised questionnaires Petits pas offers between sessions, as numbers only (their
 * wording lives in content/<locale>/questionnaires.yaml): how many items, which answer scale.
 *
 * - PHQ-9 (Kroenke, Spitzer & Williams 2001): 9 items, 0–3 each, total 0–27.
 * - GAD-7 (Spitzer, Kroenke, Williams & Löwe 2006): 7 items, 0–3 each, total 0–21.
 * - WSAS, Work and Social Adjustment Scale (Mundt et al. 2002): 5 items, 0–8 each, total 0–40.
 * - PHQ-2 and GAD-2: the first two items of PHQ-9 and GAD-7 (same wording, same scale), total 0–6;
 *   a score of 3 or more is "positive" and the full form is offered.
 *
 * Pure: no SDK, no I/O.
 */

export const INSTRUMENT_IDS = ['phq9', 'gad7', 'wsas', 'phq2', 'gad2'] as const;
export type InstrumentId = (typeof INSTRUMENT_IDS)[number];

/** The full forms (a short form's answers carry over into its full form). */
export const FULL_INSTRUMENTS = ['phq9', 'gad7', 'wsas'] as const;
export type FullInstrumentId = (typeof FULL_INSTRUMENTS)[number];

export interface InstrumentSpec {
  readonly id: InstrumentId;
  /** The name clinicians know it by ("PHQ-9"). */
  readonly code: string;
  readonly items: number;
  /** Lowest and highest answer score of each item. */
  readonly min: number;
  readonly max: number;
  /** For a short form: the full form whose first items it is. */
  readonly shortFormOf?: 'phq9' | 'gad7';
  /** For a full form: its short form. */
  readonly shortForm?: 'phq2' | 'gad2';
}

export const INSTRUMENTS: Readonly<Record<InstrumentId, InstrumentSpec>> = {
  phq9: { id: 'phq9', code: 'PHQ-9', items: 9, min: 0, max: 3, shortForm: 'phq2' },
  gad7: { id: 'gad7', code: 'GAD-7', items: 7, min: 0, max: 3, shortForm: 'gad2' },
  wsas: { id: 'wsas', code: 'WSAS', items: 5, min: 0, max: 8 },
  phq2: { id: 'phq2', code: 'PHQ-2', items: 2, min: 0, max: 3, shortFormOf: 'phq9' },
  gad2: { id: 'gad2', code: 'GAD-2', items: 2, min: 0, max: 3, shortFormOf: 'gad7' },
};

/** A short form scoring this much or more offers the full form. */
export const SHORT_FORM_POSITIVE = 3;

/** PHQ-9 item 9 ("better off dead or of hurting yourself"), 0-based. */
export const PHQ9_SUICIDE_ITEM_INDEX = 8;

export function isInstrumentId(value: unknown): value is InstrumentId {
  return typeof value === 'string' && (INSTRUMENT_IDS as readonly string[]).includes(value);
}

export function isFullInstrumentId(value: unknown): value is FullInstrumentId {
  return typeof value === 'string' && (FULL_INSTRUMENTS as readonly string[]).includes(value);
}

export function specOf(id: InstrumentId): InstrumentSpec {
  const spec = INSTRUMENTS[id];
  if (!spec) throw new RangeError(`unknown instrument "${String(id)}"`);
  return spec;
}

/** Highest possible total. */
export function maxScore(id: InstrumentId): number {
  const spec = specOf(id);
  return spec.items * spec.max;
}

/** The questionnaire whose wording an instrument's item uses (a short form reads its full form's items). */
export function wordingOf(id: InstrumentId): FullInstrumentId {
  const spec = specOf(id);
  return spec.shortFormOf ?? (id as FullInstrumentId);
}

/**
 * An answer to this item calls the safety layer: PHQ-9 item 9 answered above 0 (any frequency of
 * thoughts of being better off dead or of self-harm).
 */
export function needsSafetyFollowUp(id: InstrumentId, itemIndex: number, value: number): boolean {
  return id === 'phq9' && itemIndex === PHQ9_SUICIDE_ITEM_INDEX && Number.isInteger(value) && value > 0;
}
