/**
 * What the clinician summary needs from the measures (bot/clinicians MeasuresSource port, matched
 * structurally so neither module imports the other): every kept questionnaire result with its band,
 * caseness and reliable change against the first kept result; the motivation ruler; and "does
 * Petits pas help?" (0–10). Only results are given, never a draft (a partial questionnaire).
 */
import type { MeasuresRepository } from '../people/measuresRepository';
import { INSTRUMENT_IDS, specOf } from '../../core/measures/instruments';
import { bandOf, isCase, reliableChange, type ReliableChange } from '../../core/measures/scoring';

export interface ScoreRow {
  readonly instrument: string;
  readonly score: number;
  readonly band: string;
  readonly at: string;
  readonly caseness?: boolean;
  readonly reliableChange?: ReliableChange;
}

export interface RatingRow {
  readonly at: string;
  readonly value: number;
}

export function measuresSource(measures: Pick<MeasuresRepository, 'load'>) {
  return {
    async scoresFor(personKey: string): Promise<ScoreRow[]> {
      const record = await measures.load(personKey);
      if (!record) return [];
      return INSTRUMENT_IDS.flatMap((id) => {
        const recent = record.history[id]?.recent ?? [];
        const first = recent[0];
        return recent.map((result): ScoreRow => {
          const caseness = isCase(id, result.score);
          const change = first && result !== first ? reliableChange(id, first.score, result.score) : undefined;
          return {
            instrument: specOf(id).code,
            score: result.score,
            band: bandOf(id, result.score),
            at: result.at,
            ...(caseness === undefined ? {} : { caseness }),
            ...(change === undefined ? {} : { reliableChange: change }),
          };
        });
      });
    },
    async motivationFor(personKey: string): Promise<RatingRow[]> {
      const record = await measures.load(personKey);
      return (record?.checkins ?? []).flatMap((entry) => (entry.motivation === undefined ? [] : [{ at: entry.at, value: entry.motivation }]));
    },
    async helpfulnessFor(personKey: string): Promise<RatingRow[]> {
      const record = await measures.load(personKey);
      return (record?.satisfaction ?? []).map((entry) => ({ at: entry.at, value: entry.value }));
    },
  };
}
