/**
 * Reading an answer to a questionnaire item typed freely or clicked: a button's label
 * ("Plusieurs jours"), its number ("2"), the number with its label ("2 – Légèrement"), a number
 * word ("deux", "two") or one of the content's extra words for a score ("jamais", "never").
 * Anything else — out of the scale ("12"), two numbers, a sentence ("beaucoup") — is undefined,
 * and the caller asks again with the buttons. Never a guess: a wrong score is worse than a question.
 */
import { simplify } from '../conversation/globalCommands';

export interface AnswerScale {
  readonly min: number;
  readonly max: number;
  /** Label of each score, from min to max (the buttons). */
  readonly labels: readonly string[];
  /** Other words that mean a score, by score ("jamais | pas du tout" → 0). */
  readonly words?: Readonly<Record<number, readonly string[]>>;
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8,
  one: 1, two: 2, three: 3, four: 4, five: 5, seven: 7, eight: 8,
};

/** The score an answer means, or undefined. */
export function readAnswer(text: string | undefined, scale: AnswerScale): number | undefined {
  if (typeof text !== 'string' || /^\s*[-−]\s*\d/.test(text)) return undefined;
  const said = normalise(text).replace(/ ?\/ ?\d+$/, '');
  if (!said || said.length > 80) return undefined;
  const inScale = (value: number) => Number.isInteger(value) && value >= scale.min && value <= scale.max;

  const labelled = new Map<string, number>();
  scale.labels.forEach((label, index) => {
    const key = normalise(label);
    if (key) labelled.set(key, scale.min + index);
    // "2 – Légèrement": its words alone mean 2 too.
    const words = /^\d{1,3} (.+)$/.exec(key)?.[1];
    if (words && !labelled.has(words)) labelled.set(words, scale.min + index);
  });
  for (const [score, words] of Object.entries(scale.words ?? {})) {
    for (const word of words) {
      const key = normalise(word);
      if (key && !labelled.has(key)) labelled.set(key, Number(score));
    }
  }
  const exact = labelled.get(said);
  if (exact !== undefined) return inScale(exact) ? exact : undefined;

  // "2", "2 - plusieurs jours", "(2) plusieurs jours", "plusieurs jours (2)".
  const leading = /^(\d{1,3})(?: (.*))?$/.exec(said);
  const trailing = leading ? undefined : /^(.*\D) (\d{1,3})$/.exec(said);
  if (leading || trailing) {
    const value = Number(leading ? leading[1] : trailing![2]);
    const rest = (leading ? leading[2] : trailing![1])?.trim() ?? '';
    if (!inScale(value)) return undefined;
    if (!rest) return value;
    return labelled.get(rest) === value ? value : undefined;
  }
  const word = NUMBER_WORDS[said];
  return word !== undefined && inScale(word) ? word : undefined;
}

/** simplify(), plus dashes and separators as spaces ("2 – Légèrement" → "2 legerement"). */
function normalise(text: string): string {
  return simplify(text)
    .replace(/[–—:=]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
