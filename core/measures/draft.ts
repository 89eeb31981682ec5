/**
 * A questionnaire in progress: its answers are saved as they come, so a conversation interrupted
 * midway (a crisis, "menu", a closed app) resumes at the next unanswered item. A draft idle for
 * longer than DRAFT_MAX_IDLE_MS is discarded rather than finished: the questions are about "the
 * last 2 weeks", and answers given days apart would describe different weeks. A draft is never
 * scored: only its complete, valid answers become a result (see record.ts).
 */
import { INSTRUMENTS, isInstrumentId, type InstrumentId } from './instruments';
import { isComplete, isValidAnswer } from './scoring';

export const DRAFT_MAX_IDLE_MS = 3 * 24 * 60 * 60 * 1000;

export interface MeasureDraft {
  readonly instrument: InstrumentId;
  /** One slot per item; null = not answered yet. */
  readonly answers: ReadonlyArray<number | null>;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Questionnaires to ask after this one (the rest of a battery). */
  readonly then: readonly InstrumentId[];
}

export function startDraft(instrument: InstrumentId, now: Date, options: { then?: readonly InstrumentId[]; prefill?: readonly number[] } = {}): MeasureDraft {
  const spec = INSTRUMENTS[instrument];
  if (!spec) throw new RangeError(`unknown instrument "${String(instrument)}"`);
  const answers: Array<number | null> = Array.from({ length: spec.items }, () => null);
  (options.prefill ?? []).slice(0, spec.items).forEach((value, index) => {
    if (!isValidAnswer(instrument, value)) throw new RangeError(`prefilled answer ${index + 1} is out of the scale`);
    answers[index] = value;
  });
  const at = now.toISOString();
  return { instrument, answers, startedAt: at, updatedAt: at, then: (options.then ?? []).filter((id) => id !== instrument) };
}

/** Records one answer (0-based item). Throws a RangeError for an item or a value outside the questionnaire. */
export function answerItem(draft: MeasureDraft, index: number, value: number, now: Date): MeasureDraft {
  if (!Number.isInteger(index) || index < 0 || index >= draft.answers.length) throw new RangeError('no such item');
  if (!isValidAnswer(draft.instrument, value)) throw new RangeError('the answer is out of the scale');
  const answers = [...draft.answers];
  answers[index] = value;
  return { ...draft, answers, updatedAt: now.toISOString() };
}

/** The first unanswered item (0-based), or undefined when all are answered. */
export function nextItem(draft: MeasureDraft): number | undefined {
  const index = draft.answers.findIndex((value) => value === null);
  return index < 0 ? undefined : index;
}

export function answeredCount(draft: MeasureDraft): number {
  return draft.answers.filter((value) => value !== null).length;
}

export function isDraftExpired(draft: MeasureDraft, now: Date, maxIdleMs = DRAFT_MAX_IDLE_MS): boolean {
  const last = Date.parse(draft.updatedAt);
  return Number.isNaN(last) || now.getTime() - last > maxIdleMs;
}

/** The answers when every item has a valid one; otherwise undefined (never a partial score). */
export function completedAnswers(draft: MeasureDraft): number[] | undefined {
  return isComplete(draft.instrument, draft.answers) ? [...(draft.answers as number[])] : undefined;
}

/** A stored draft checked field by field (stores hold JSON written by anyone); undefined when unusable. */
export function normalizeDraft(raw: unknown): MeasureDraft | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const d = raw as Partial<Record<keyof MeasureDraft, unknown>>;
  if (!isInstrumentId(d.instrument) || !Array.isArray(d.answers) || typeof d.startedAt !== 'string' || typeof d.updatedAt !== 'string') return undefined;
  const instrument = d.instrument;
  if (d.answers.length !== INSTRUMENTS[instrument].items) return undefined;
  if (!d.answers.every((value) => value === null || isValidAnswer(instrument, value))) return undefined;
  const then = Array.isArray(d.then) ? d.then.filter(isInstrumentId) : [];
  return { instrument, answers: d.answers as Array<number | null>, startedAt: d.startedAt, updatedAt: d.updatedAt, then };
}
