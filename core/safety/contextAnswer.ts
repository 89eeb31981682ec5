/**
 * Short answers read in the light of the bot's last question. "oui" means nothing on its own,
 * but after "are you thinking about suicide?" it is a crisis, and after "are you safe right
 * now?" it is reassurance. These rules are product logic (they follow the crisis protocol), not
 * content, so they live here rather than in the editable lexicon.
 *
 * Rules (README of test/safety/corpus states the same protocol):
 * - suicide question: yes-ish or hedged yes (oui, un peu, des fois, peut-être, kinda) → crisis;
 *   past only, hedged no or unsure (plus maintenant, pas vraiment, je sais pas) → concern;
 *   clear no → none.
 * - safe question: no, unsure, "he is still here" → crisis; conditional yes ("pour l'instant",
 *   hedges) → concern; clear yes → none.
 * - PHQ-9 item 9: 0 / never → none; 1, 2, 3 or their wordings → concern (the direct question
 *   that follows decides whether it is a crisis).
 */
import { normalizeText } from './normalize';
import type { Category, SignalLevel } from './types';

export const BOT_QUESTIONS = ['suicide_question', 'safe_question', 'phq9_item9', 'none'] as const;
export type BotQuestion = (typeof BOT_QUESTIONS)[number];

export interface ContextSignal {
  readonly entryId: string;
  readonly category: Category;
  readonly level: SignalLevel;
}

/** Longer messages are not "short answers": only the lexicon reads them. */
export const MAX_ANSWER_WORDS = 14;

type Polarity = 'yes' | 'hedge' | 'no' | 'softNo' | 'unsure' | 'past' | 'still' | 'forNow' | 'danger' | 'safe' | 'fine';

const COMMON: Readonly<Record<Polarity, readonly string[]>> = {
  yes: [
    'oui', 'ouais', 'ouin', 'yes', 'yeah', 'yep', 'yup', 'ya', 'yah', 'yea', 'absolument', 'definitely', 'of course',
    'bien sûr', 'exactement', 'exactly', 'en effet', "c'est ça", 'je le suis', 'i am', 'tout le temps', 'all the time',
    'souvent', 'often', 'constamment', 'constantly', 'always', 'tous les jours', 'every day', 'vrai', 'true',
    'affirmatif', 'totally', 'totalement', 'carrément', 'clairement', 'for sure', 'mets-en', 'en masse',
    'honnêtement oui', 'sadly yes', 'malheureusement oui',
  ],
  hedge: [
    'un peu', 'un petit peu', 'des fois', 'parfois', 'peut-être', 'maybe', 'kind of', 'sort of', 'sometimes', 'a little',
    'a bit', 'a little bit', 'i think so', 'je pense que oui', 'je crois que oui', 'je pense', 'je crois', 'plus ou moins',
    'more or less', 'somewhat', 'mettons', 'on dirait', 'ça arrive', "ça m'arrive", 'it happens', 'now and then',
    'from time to time', 'de temps en temps', 'de temps à autre', 'probably', 'probablement', 'possibly', 'possiblement',
    'i guess', 'i guess so', 'ish', 'à peu près', 'pas mal', 'in a way', "d'une certaine façon",
    'en quelque sorte', "j'y pense", 'i think about it', "ça me traverse l'esprit", 'it crosses my mind', 'lately',
    'dernièrement', 'ces temps-ci', 'once in a while', 'occasionally', 'occasionnellement', 'je dirais que oui',
  ],
  no: [
    'non', 'no', 'nope', 'nah', 'nan', 'pas du tout', 'not at all', 'jamais', 'never', 'absolutely not', 'of course not',
    'bien sûr que non', 'no way', 'aucunement', 'certainly not', 'definitely not', 'non merci', 'no thanks',
    'pantoute', 'absolument pas', 'pas une miette', 'i am not', 'je le suis pas', 'not me',
  ],
  softNo: [
    'pas vraiment', 'not really', 'pas tant', 'pas trop', 'pas tellement', 'not much', 'not very', 'je pense pas',
    'je crois pas', 'je pense que non', 'je crois que non', 'i think not', 'i do not think so', 'i guess not', 'probably not', 'probablement pas',
    'pas en ce moment', 'not right now', 'not at the moment', 'not today', "pas aujourd'hui", 'pas ces temps-ci',
    'not lately',
  ],
  unsure: [
    'je sais pas', 'je ne sais pas', 'i do not know', 'not sure', 'pas sûr', 'pas sûre', 'pas certain', 'pas certaine',
    'aucune idée', 'no idea', 'hard to say', 'difficile à dire', 'je suis pas sûr', 'i am not sure', 'bof', 'meh',
    'euh', 'hmm', 'i am unsure', 'unsure', 'pas certain', 'je suis mêlé', 'je suis mêlée', 'confused',
  ],
  past: [
    'plus maintenant', 'pu maintenant', 'not anymore', 'not any more', 'no longer', 'used to', 'avant oui',
    'before yes', 'dans le passé', 'in the past', "c'est fini", 'it is over', 'plus depuis', 'avant mais',
    "c'est du passé", 'ça fait longtemps', 'a long time ago', 'il y a longtemps', 'years ago', 'il y a des années',
    'pas depuis', 'not since',
  ],
  // "I'm fine" said after the suicide question is a no; after the safe question it is a yes.
  fine: [
    'ça va', 'ça va bien', 'je vais bien', 'tout va bien', 'je suis correct', 'je suis correcte', 'correct', 'je suis ok',
    'i am fine', 'i am ok', 'i am okay', 'i am good', 'i am alright', 'i am all right', 'all good', "i'm fine",
    'je suis bien', 'fine', 'je suis en sécurité', 'i am safe',
  ],
  still: ['encore', 'still', 'toujours', 'again', 'de nouveau', 'à nouveau', 'even now', 'même maintenant'],
  forNow: [
    "pour l'instant", 'pour le moment', 'for now', 'for the moment', 'so far', "jusqu'ici", 'pour ce soir',
    'for tonight', 'right now yes', 'en ce moment oui', 'pour tout de suite', 'i think i am', 'je pense que oui',
    'ça va aller', 'i will be', 'je crois bien',
  ],
  danger: [
    'il est encore ici', 'il est encore là', 'elle est encore ici', 'elle est encore là', 'il est toujours là',
    'elle est toujours là', 'il est ici', 'il est là', 'elle est ici', 'elle est là', "il s'en vient", "elle s'en vient",
    'il revient', 'elle revient', 'he is still here', 'she is still here', 'he is here', 'she is here', 'he is home',
    'she is home', 'he is coming', 'she is coming', 'he is coming back', 'she is coming back', 'they are still here',
    'not safe', 'pas en sécurité', 'unsafe', 'scared', 'peur', 'afraid', 'en danger', 'in danger', 'help', 'aide-moi',
    'à l’aide', 'au secours', 'not feel safe', 'pas en sécurité', 'pas safe',
  ],
  safe: [
    'ça va', 'je vais bien', 'i am fine', 'i am ok', 'i am okay', 'i am safe', 'je suis en sécurité', 'safe', 'en sécurité',
    'all good', 'tout va bien', 'ok', 'okay', "d'accord", 'fine', 'correct', 'sure', 'je suis correct', 'je suis correcte',
    'je suis ok', 'safe now', 'je suis chez nous', 'je suis chez moi', 'im safe', 'yes i am', 'oui je le suis',
  ],
};

interface Marker {
  readonly re: RegExp;
  readonly polarity: ReadonlyMap<string, Polarity>;
}

function buildMarker(lists: Partial<Record<Polarity, readonly string[]>>): Marker {
  const polarity = new Map<string, Polarity>();
  for (const [kind, phrases] of Object.entries(lists) as Array<[Polarity, readonly string[]]>) {
    for (const phrase of phrases) {
      const key = normalizeText(phrase);
      if (key && !polarity.has(key)) polarity.set(key, kind);
    }
  }
  const keys = [...polarity.keys()].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return { re: new RegExp(`(?<![a-z0-9'])(?:${keys.join('|')})(?![a-z0-9'])`, 'g'), polarity };
}

const { safe: _safe, danger: _danger, fine: _fine, ...WITHOUT_SAFETY } = COMMON;
/** After the suicide question, "fine" phrases are read as a no (longest phrase wins: "i am fine" is not "i am"). */
const SUICIDE_MARKER = buildMarker({ ...WITHOUT_SAFETY, no: [...COMMON.fine, ...COMMON.no] });
const SAFE_MARKER = buildMarker({ ...WITHOUT_SAFETY, yes: [...COMMON.fine, ...COMMON.safe, ...COMMON.yes], danger: COMMON.danger });

function polarities(normalized: string, marker: Marker): Set<Polarity> {
  const found = new Set<Polarity>();
  marker.re.lastIndex = 0;
  for (let m = marker.re.exec(normalized); m; m = marker.re.exec(normalized)) {
    const kind = marker.polarity.get(m[0]);
    if (kind) found.add(kind);
  }
  return found;
}

function wordCount(normalized: string): number {
  let count = normalized.length > 0 ? 1 : 0;
  for (let i = 0; i < normalized.length; i += 1) if (normalized.charCodeAt(i) === 32) count += 1;
  return count;
}

function suicideAnswer(found: Set<Polarity>): ContextSignal | null {
  // "en ce moment oui", "je crois bien": a conditional yes is still a yes to this question.
  const yes = found.has('yes') || found.has('hedge') || (found.has('forNow') && !found.has('no') && !found.has('softNo'));
  if (found.has('past')) {
    return found.has('still') && (yes || found.has('hedge'))
      ? { entryId: 'context.suicide_question.still', category: 'suicidal_ideation', level: 'crisis' }
      : { entryId: 'context.suicide_question.past', category: 'passive_ideation', level: 'concern' };
  }
  if (yes || found.has('still')) return { entryId: 'context.suicide_question.yes', category: 'suicidal_ideation', level: 'crisis' };
  if (found.has('softNo') || found.has('unsure') || found.has('forNow')) {
    return { entryId: 'context.suicide_question.unsure', category: 'passive_ideation', level: 'concern' };
  }
  return null;
}

function safeAnswer(found: Set<Polarity>): ContextSignal | null {
  if (found.has('no') || found.has('softNo') || found.has('unsure') || found.has('danger')) {
    return { entryId: 'context.safe_question.not_safe', category: 'danger_abuse', level: 'crisis' };
  }
  if (found.has('forNow') || found.has('hedge') || found.has('past')) {
    return { entryId: 'context.safe_question.for_now', category: 'danger_abuse', level: 'concern' };
  }
  return null;
}

const PHQ9_SCORE = /^(?:score |reponse |answer |item 9 |question 9 )?([0-3])(?![0-9])/;
const PHQ9_WORDS = buildMarker({
  no: ['jamais', 'pas du tout', 'not at all', 'never', 'aucun jour', 'none', 'zéro', 'zero', 'non', 'no', 'nope'],
  hedge: [
    'plusieurs jours', 'several days', 'quelques jours', 'a few days', 'some days', 'parfois', 'sometimes', 'des fois',
    'un', 'one', 'deux', 'two', 'trois', 'three', 'plus de la moitié des jours', 'plus de la moitié du temps',
    'more than half the days', 'more than half of the days', 'over half the days', 'half the time', 'la moitié du temps',
    'presque tous les jours', 'presque tout le temps', 'nearly every day', 'almost every day', 'every day',
    'tous les jours', 'all the time', 'tout le temps', 'quasiment tous les jours', 'chaque jour', 'oui', 'yes', 'ouais',
    'yeah', 'souvent', 'often', 'un peu', 'a little',
  ],
});

function phq9Answer(normalized: string): ContextSignal | null {
  const digit = PHQ9_SCORE.exec(normalized);
  const score = digit ? Number(digit[1]) : undefined;
  const found = polarities(normalized, PHQ9_WORDS);
  if ((score !== undefined && score > 0) || (score === undefined && found.has('hedge'))) {
    return { entryId: 'context.phq9_item9.positive', category: 'passive_ideation', level: 'concern' };
  }
  return null;
}

/** The signal a short answer carries given the last bot question, or null. `normalized` comes from normalizeText. */
export function answerInContext(normalized: string, question: BotQuestion | undefined): ContextSignal | null {
  if (!question || question === 'none' || normalized.length === 0) return null;
  if (wordCount(normalized) > MAX_ANSWER_WORDS) return null;
  switch (question) {
    case 'suicide_question':
      return suicideAnswer(polarities(normalized, SUICIDE_MARKER));
    case 'safe_question':
      return safeAnswer(polarities(normalized, SAFE_MARKER));
    case 'phq9_item9':
      return phq9Answer(normalized);
    default:
      return null;
  }
}
