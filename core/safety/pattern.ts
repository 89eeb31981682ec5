/**
 * One lexicon pattern: parse the editor syntax, check it, and compile it to a regular expression
 * over normalised text plus the "anchor" words that any match must contain (the screen only
 * runs a pattern when one of its anchors occurs in the message, which keeps screening fast).
 *
 * Syntax (documented for editors at the top of each safety-lexicon.yaml):
 *   words            whole words, in this order, next to each other: `je veux mourir`
 *   [words]          optional: `je [veux|voudrais] mourir`, `je [ne] veux`
 *   (a|b c|d)        one of the alternatives: `(me tuer|me suicider|en finir)`
 *   stem*            any word starting with stem (3+ letters): `suicid*`
 *   *  or  …         0 to 3 words of anything (within one sentence); `*5` / `…5`: 0 to 5 (max 8)
 *   ~                0 to 2 words, none of them a negation (pas, plus, jamais, not, never…); `~4`: 0 to 4
 *   !word  !(a|b)    the next word must not be this: `en finir !avec`
 *   @name            the group `name` from `groups:` (a reusable `(…|…)`)
 *   regex:…          a raw JavaScript regular expression over the skeleton of the normalised
 *                    text (last resort; doubled letters are collapsed there: "goodbye" → "godbye")
 *   regex[w1 w2 st*]:…  the same, run only when one of these words (or stems) is in the message
 * Case, accents, apostrophes, repeated letters, elisions and common Quebec/SMS spellings never
 * matter: pattern words go through the same normalisation as messages. In patterns, "plus" also
 * matches Quebec "pu", "il"/"ils" also match Quebec "y" (written as alternates, not rewritten in
 * messages, because "pu" and "y" have other meanings), and a word in -er also matches -é/-ée/-ez.
 * Filler words ("juste", "vraiment", "just", "really"…) are ignored on both sides.
 */
import { normalizeText, skeletonWord, withoutFillers } from './normalize';

export const DEFAULT_GAP = 3;
export const MAX_GAP = 8;
export const MIN_STEM = 3;

type Sequence = Node[];
type Node =
  | { readonly kind: 'word'; readonly text: string; readonly participle?: boolean }
  | { readonly kind: 'stem'; readonly text: string }
  | { readonly kind: 'alt'; readonly options: Sequence[]; readonly optional: boolean }
  | { readonly kind: 'gap'; readonly max: number; readonly safe: boolean }
  | { readonly kind: 'not'; readonly options: Sequence[] };

/** A pattern problem, phrased for an editor (the caller prefixes "pattern N of entry X"). */
export class PatternError extends Error {}

export interface WordSet {
  readonly words: readonly string[];
  readonly stems: readonly string[];
}

export interface CompiledPatternSource {
  /**
   * For patterns: a regular expression to run on " " + the skeleton text (see nodeSource). For raw
   * `regex:` patterns (`raw` true): one to run on the skeleton text itself.
   */
  readonly source: string;
  readonly raw: boolean;
  /** Skeleton words (see `skeleton`) and stems, one of which every match contains; null = none. */
  readonly anchors: WordSet | null;
  /** Words (and stems) a match can start with: the screen only tries those positions. Null for raw regexes. */
  readonly first: WordSet | null;
  /**
   * Further word sets that every match also contains (one word of each set): checked against the
   * message's words before the regular expression runs, which skips most runs cheaply.
   */
  readonly requires: readonly WordSet[];
}

/** Words that also stand for others in spoken Quebec French (pattern side only). */
const WORD_ALTERNATES: Readonly<Record<string, readonly string[]>> = {
  plus: ['pu'],
  il: ['y'],
  ils: ['y'],
};

const WORD_CHARS = "[a-z0-9']";
const AFTER = "(?![a-z0-9'])";

/**
 * Runs of one letter collapse to one ("appelle" → "apele", "kill" → "kil"). Patterns are matched
 * against the skeleton of the normalised message, and anchors are looked up by skeleton words.
 */
export function skeleton(word: string): string {
  return skeletonWord(word);
}

// ---------------------------------------------------------------------------------------------
// Group references

const GROUP_REF = /@([A-Za-z_][A-Za-z0-9_]*)/g;

/** Replace `@name` by the group's text (groups may use earlier groups; cycles are reported). */
export function expandGroups(pattern: string, groups: Readonly<Record<string, string>>, depth = 0): string {
  if (!pattern.includes('@')) return pattern;
  if (depth > 8) throw new PatternError('uses groups that refer to each other in a loop');
  return pattern.replace(GROUP_REF, (_, name: string) => {
    const body = Object.prototype.hasOwnProperty.call(groups, name) ? groups[name] : undefined;
    if (body === undefined) throw new PatternError(`uses @${name}, which is not defined under groups`);
    const inner = expandGroups(body, groups, depth + 1).trim();
    return inner.startsWith('(') && inner.endsWith(')') ? inner : `(${inner})`;
  });
}

// ---------------------------------------------------------------------------------------------
// Tokenising and parsing

type Token =
  | { readonly t: '(' | ')' | '[' | ']' | '|' | '!' }
  | { readonly t: 'gap'; readonly max: number; readonly safe: boolean }
  | { readonly t: 'raw'; readonly text: string };

const GAP_TOKEN = /^(\*|…|\.\.\.|~)(\d+)?$/;
/** Default span of a "safe" gap `~` (no negation inside). */
export const DEFAULT_SAFE_GAP = 2;
/** Words a safe gap `~` never spans: negations ("je veux pas mourir") and past/conditional auxiliaries. */
export const NEGATIONS = [
  'pas', 'plus', 'pu', 'jamais', 'rien', 'aucun', 'aucune', 'aucunement', 'point', 'pantoute', 'guere', 'personne',
  'not', 'never', 'no', 'nobody', 'nothing', 'none', 'nor', 'neither', 'without', 'sans', 'stop', 'arrete', 'arreter',
  // French auxiliaries that move the verb into the past or the conditional ("j'ai pensé à me tuer").
  'ai', 'avais', 'aurais', 'eu', 'etais', 'aurai', 'avait',
] as const;
const NEGATION_SOURCE = `(?!(?:${NEGATIONS.join('|')})(?![a-z0-9']))`;

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === '|') {
      tokens.push({ t: ch });
      i += 1;
    } else if (ch === '!' && (i === 0 || /[\s([|]/.test(pattern[i - 1] as string))) {
      tokens.push({ t: '!' });
      i += 1;
    } else {
      let j = i;
      while (j < pattern.length && !/[\s()[\]|]/.test(pattern[j] as string)) j += 1;
      const text = pattern.slice(i, j);
      const gap = GAP_TOKEN.exec(text);
      if (gap) {
        const safe = gap[1] === '~';
        const max = gap[2] === undefined ? (safe ? DEFAULT_SAFE_GAP : DEFAULT_GAP) : Number(gap[2]);
        if (!(max >= 1 && max <= MAX_GAP)) throw new PatternError(`has a gap '${text}' that must span 1 to ${MAX_GAP} words`);
        tokens.push({ t: 'gap', max, safe });
      } else {
        const next = pattern[j];
        if ((next === '(' || next === '[') && !text.endsWith("'") && !text.endsWith('’')) {
          throw new PatternError(
            `has '${text}${next}' with no space before '${next}'; groups match whole words (use a stem like 'suicid*' for word endings)`,
          );
        }
        tokens.push({ t: 'raw', text });
      }
      i = j;
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parsePattern(): Sequence {
    const seq = this.parseSequence();
    const extra = this.tokens[this.pos];
    if (extra) {
      if (extra.t === ')') throw new PatternError("has a ')' without a matching '('");
      if (extra.t === ']') throw new PatternError("has a ']' without a matching '['");
      if (extra.t === '|') throw new PatternError("has a '|' outside ( ) or [ ]; put the alternatives in parentheses");
    }
    return seq;
  }

  /** Set when the last parsed sequence had text that normalised to nothing (e.g. only "juste"). */
  private vanished = false;

  private parseSequence(): Sequence {
    const seq: Sequence = [];
    let words: string[] = [];
    let written = false;
    const flush = (): void => {
      if (words.length === 0) return;
      for (const w of normalizeWords(markParticiples(words.join(' ')))) {
        const participle = w.endsWith(PARTICIPLE_MARK);
        seq.push({ kind: 'word', text: participle ? w.slice(0, -PARTICIPLE_MARK.length) : w, participle });
      }
      words = [];
    };
    for (;;) {
      const tok = this.tokens[this.pos];
      if (!tok || tok.t === ')' || tok.t === ']' || tok.t === '|') break;
      this.pos += 1;
      written = true;
      if (tok.t === 'raw') {
        if (tok.text.length > 1 && tok.text.endsWith('*')) {
          flush();
          seq.push(parseStem(tok.text));
        } else {
          words.push(tok.text);
        }
        continue;
      }
      flush();
      if (tok.t === 'gap') seq.push({ kind: 'gap', max: tok.max, safe: tok.safe });
      else if (tok.t === '(' || tok.t === '[') {
        const { options, vanished } = tok.t === '(' ? this.parseAlternatives(')', '(') : this.parseAlternatives(']', '[');
        if (options.length > 0) seq.push({ kind: 'alt', options, optional: tok.t === '[' || vanished });
      }
      else if (tok.t === '!') {
        const options = this.parseNegated();
        if (options.length > 0) seq.push({ kind: 'not', options });
      }
    }
    flush();
    this.vanished = written && seq.length === 0;
    return seq;
  }

  private parseAlternatives(close: ')' | ']', open: '(' | '['): { options: Sequence[]; vanished: boolean } {
    const options: Sequence[] = [];
    let vanished = false;
    for (;;) {
      const seq = this.parseSequence();
      const gone = this.vanished;
      const tok = this.tokens[this.pos];
      if (!tok) throw new PatternError(`has an unclosed '${open}'`);
      if (tok.t !== '|' && tok.t !== close) throw new PatternError(`has a '${tok.t}' where '${close}' was expected`);
      if (seq.length === 0 && !gone) throw new PatternError(`has an empty alternative inside '${open}${close}'`);
      // An alternative made only of filler words ("juste") matches like nothing at all.
      if (seq.length === 0) vanished = true;
      else options.push(seq);
      this.pos += 1;
      if (tok.t === close) return { options, vanished };
    }
  }

  private parseNegated(): Sequence[] {
    const tok = this.tokens[this.pos];
    if (tok?.t === '(') {
      this.pos += 1;
      return this.parseAlternatives(')', '(').options;
    }
    if (tok?.t === 'raw' && !tok.text.endsWith('*')) {
      this.pos += 1;
      const words = normalizeWords(tok.text);
      if (words.length === 0) return [];
      return [words.map((text) => ({ kind: 'word', text }) as const)];
    }
    throw new PatternError("has a '!' that is not followed by a word or a ( ) group");
  }
}

/**
 * Pattern words in the form the matcher sees: normalised, without MATCH_FILLERS. Lexicons repeat
 * the same words thousands of times across patterns and groups, and normalising is most of
 * compiling: each text is done once (callers only read the list).
 */
const normalizedPieces = new Map<string, readonly string[]>();
const MAX_NORMALIZED_PIECES = 50_000;

function normalizeWords(text: string): readonly string[] {
  let words = normalizedPieces.get(text);
  if (!words) {
    words = withoutFillers(
      normalizeText(text)
        .split(' ')
        .filter((w) => w.length > 0 && w !== '.'),
    );
    if (normalizedPieces.size >= MAX_NORMALIZED_PIECES) normalizedPieces.clear();
    normalizedPieces.set(text, words);
  }
  return words;
}

function parseStem(raw: string): Node {
  const words = normalizeWords(raw.slice(0, -1));
  if (words.length !== 1) throw new PatternError(`has a stem '${raw}' that is not a single word`);
  const text = words[0] as string;
  if (text.length < MIN_STEM) throw new PatternError(`has a stem '${raw}' that is too short (at least ${MIN_STEM} letters before '*')`);
  return { kind: 'stem', text };
}

// ---------------------------------------------------------------------------------------------
// Checking and compiling

/** Does the node always consume at least one word? */
function isRequired(node: Node): boolean {
  if (node.kind === 'word' || node.kind === 'stem') return true;
  if (node.kind === 'alt') return !node.optional && node.options.every((o) => o.some(isRequired));
  return false;
}

/**
 * Check gaps and '!' placement, and that the pattern (or a '!' group) always consumes a word. An
 * alternative may be all optional (it then matches like nothing: e.g. a group of filler words).
 */
function checkSequence(seq: Sequence, where: string, mustConsume = true): void {
  let required = false;
  let previous: Node | undefined;
  seq.forEach((node, i) => {
    if (node.kind === 'gap') {
      if (!required) throw new PatternError(`${where} starts with a gap; a gap goes after a word that is not optional`);
      if (previous?.kind === 'gap') throw new PatternError(`${where} has two gaps in a row`);
      if (i === seq.length - 1) throw new PatternError(`${where} ends with a gap; a gap goes between two words`);
    }
    if (node.kind === 'not' && !required) throw new PatternError(`${where} starts with '!'; it must follow a word that is not optional`);
    if (node.kind === 'alt') node.options.forEach((o) => checkSequence(o, 'an alternative', false));
    if (node.kind === 'not') node.options.forEach((o) => checkSequence(o, "a '!' group"));
    if (isRequired(node)) required = true;
    previous = node;
  });
  if (!required && mustConsume) {
    throw new PatternError(seq.length === 0 ? `${where} has no words once normalised` : `${where} has only optional parts`);
  }
}

function letters(word: string): string {
  // Matching runs on the skeleton of the normalised text (double letters collapsed: "mourrir" and
  // "mourir", "kill" and "kil" are the same), so a word is a plain literal, which keeps the
  // regular expressions fast.
  return skeleton(word).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * French -er infinitives and their participles are often swapped in chat ("je vais me tué",
 * "j'ai envie de crevé", "je me suis couper"): a pattern word ending in -er also matches -é(e)(s)
 * and -ez (skeleton forms: -e, -es, -ez); a participle written with -é also matches -er, -es, -ez.
 */
const ER_VERB = /^([a-z]{2,})er$/;

function wordForms(word: string, participle = false): string[] {
  const forms = [word, ...(WORD_ALTERNATES[word] ?? [])];
  const er = ER_VERB.exec(word);
  if (er) forms.push(`${er[1]}e`, `${er[1]}es`, `${er[1]}ez`);
  // ...and the other way round: a participle written with é ("scarifié", "coupée") also matches -er.
  else if (participle) forms.push(`${word}r`, `${word}s`, `${word}z`);
  return forms;
}

/** Marks pattern words written with a final é/ée/és/ées (participles) through normalisation. */
const PARTICIPLE_MARK = 'zqx';
const RAW_PARTICIPLE = /(?<=[a-zà-ÿ])é(e?s?)(?=$|[\s,;])/giu;

function markParticiples(text: string): string {
  return text.replace(RAW_PARTICIPLE, `e$1${PARTICIPLE_MARK}`);
}

function wordSource(word: string, participle = false): string {
  const forms = wordForms(word, participle);
  if (forms.length === 1) return letters(word);
  return `(?:${[...new Set(forms.map(letters))].join('|')})`;
}

/**
 * Regular-expression source in "leading space" form: every word brings the space before it, so
 * optional parts anywhere (even at the start, even all of an alternative) compose without
 * doubled spaces. The screen matches these against " " + the message's skeleton.
 */
function nodeSource(node: Node): string {
  switch (node.kind) {
    case 'word':
      return ` ${wordSource(node.text, node.participle)}`;
    case 'stem':
      return ` ${letters(node.text)}${WORD_CHARS}*`;
    case 'alt': {
      // When every alternative starts with a word (its source with a space: optional parts, gaps
      // and '!' start with '('), the shared space is factored out so that the regex engine can pick
      // alternatives by their first letter.
      const sources = [...new Set(node.options.map(sequenceSource))];
      const inner = sources.every((src) => src.startsWith(' '))
        ? ` (?:${sources.map((src) => src.slice(1)).join('|')})`
        : `(?:${sources.join('|')})`;
      return node.optional ? `(?:${inner})?` : inner;
    }
    case 'not':
      return `(?!(?:${[...new Set(node.options.map(sequenceSource))].join('|')})${AFTER})`;
    case 'gap':
      return node.safe ? `(?: ${NEGATION_SOURCE}${WORD_CHARS}+){0,${node.max}}` : `(?: ${WORD_CHARS}+){0,${node.max}}`;
  }
}

function sequenceSource(seq: Sequence): string {
  let out = '';
  for (const node of seq) out += nodeSource(node);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Anchors

const STOP_WORDS = new Set(
  (
    'je me te se le la les de des du un une a au aux et ou en y il elle on nous vous ils elles ce ca est suis es ai as ' +
    'pas plus que qui mon ma mes ton ta tes son sa ses pour par avec dans sur tout tous moi toi lui ' +
    'i you he she it we they my your his her our their to the an of in on at is am are was be do does did not and or ' +
    'for with that this so no yes all me him them if but just'
  ).split(' '),
);
const COMMON_WORDS = new Set(
  (
    'veux vais va vas veut voudrais aimerais envie pense vraiment juste bien fait faire etre avoir jamais encore trop ' +
    'want going will would can have feel like get got think know really never still again even much very one'
  ).split(' '),
);

interface AnchorSet {
  readonly words: string[];
  readonly stems: string[];
  readonly cost: number;
}

/**
 * A rough "how often does this word occur in messages" weight: the screen indexes each pattern by
 * its required part whose words are, all together, the rarest (a list of 80 rare words beats "i").
 */
function wordCost(word: string): number {
  if (STOP_WORDS.has(word)) return 400;
  if (COMMON_WORDS.has(word)) return 60;
  return word.length <= 2 ? 40 : word.length === 3 ? 6 : 1;
}

function anchorsOfSequence(seq: Sequence): AnchorSet | null {
  let best: AnchorSet | null = null;
  for (const node of seq) {
    const set = anchorsOfNode(node);
    if (set && (!best || set.cost < best.cost)) best = set;
  }
  return best;
}

/** The word sets of every required node of the top-level sequence, cheapest (rarest) first. */
function requiredSets(seq: Sequence): AnchorSet[] {
  const sets: AnchorSet[] = [];
  for (const node of seq) {
    const set = anchorsOfNode(node);
    if (set) sets.push(set);
  }
  return sets.sort((a, b) => a.cost - b.cost);
}

/** The words (skeleton) and stems a match of `seq` can start with; `nullable` if it can match nothing. */
function firstWords(seq: Sequence): { words: Set<string>; stems: Set<string>; nullable: boolean } {
  const words = new Set<string>();
  const stems = new Set<string>();
  for (const node of seq) {
    if (node.kind === 'word') {
      for (const form of wordForms(node.text, node.participle)) words.add(skeleton(form));
      return { words, stems, nullable: false };
    }
    if (node.kind === 'stem') {
      stems.add(skeleton(node.text));
      return { words, stems, nullable: false };
    }
    if (node.kind === 'alt') {
      let nullable = node.optional;
      for (const option of node.options) {
        const inner = firstWords(option);
        inner.words.forEach((w) => words.add(w));
        inner.stems.forEach((st) => stems.add(st));
        if (inner.nullable) nullable = true;
      }
      if (!nullable) return { words, stems, nullable: false };
    }
    // '!' groups match no word; a gap never comes first (checkSequence).
  }
  return { words, stems, nullable: true };
}

/** At most this many extra word sets are checked per pattern (beyond the index anchor). */
const MAX_REQUIRES = 4;

function wordSet(set: AnchorSet): WordSet {
  return { words: [...new Set(set.words)], stems: [...new Set(set.stems)] };
}

function anchorsOfNode(node: Node): AnchorSet | null {
  switch (node.kind) {
    case 'word': {
      const words = [...new Set(wordForms(node.text, node.participle).map(skeleton))];
      return { words, stems: [], cost: words.reduce((sum, w) => sum + wordCost(w), 0) };
    }
    case 'stem':
      return { words: [], stems: [skeleton(node.text)], cost: node.text.length >= 5 ? 2 : 8 };
    case 'alt': {
      if (node.optional) return null;
      const words: string[] = [];
      const stems: string[] = [];
      let cost = 0;
      for (const option of node.options) {
        const set = anchorsOfSequence(option);
        if (!set) return null;
        words.push(...set.words);
        stems.push(...set.stems);
        cost += set.cost;
      }
      return { words, stems, cost };
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------

/** Parse, check and compile one pattern; throws PatternError with an editor-readable reason. */
export function compilePattern(pattern: string, groups: Readonly<Record<string, string>> = {}): CompiledPatternSource {
  if (typeof pattern !== 'string' || pattern.trim().length === 0) throw new PatternError('is empty');
  const trimmed = pattern.trim();
  const raw = RAW_REGEX.exec(trimmed);
  if (raw) return compileRawRegex(raw[2]?.trim() ?? '', raw[1]);
  const seq = new Parser(tokenize(expandGroups(trimmed, groups))).parsePattern();
  checkSequence(seq, 'it');
  const source = `${sequenceSource(seq)}${AFTER}`;
  tryRegex(source);
  const sets = requiredSets(seq);
  const anchors = sets[0];
  const first = firstWords(seq);
  return {
    source,
    raw: false,
    first: { words: [...first.words], stems: [...first.stems] },
    anchors: anchors ? wordSet(anchors) : null,
    requires: sets.slice(1, 1 + MAX_REQUIRES).map(wordSet),
  };
}

/** `regex:…`, or `regex[word word stem*]:…` declaring words one of which every match contains. */
const RAW_REGEX = /^regex(?:\[([^\]]*)\])?:([\s\S]*)$/;

function compileRawRegex(source: string, declared: string | undefined): CompiledPatternSource {
  if (source.length === 0) throw new PatternError("has 'regex:' with nothing after it");
  const regex = tryRegex(source);
  if (regex.test('')) throw new PatternError('has a regex that matches an empty text');
  if (declared === undefined) return { source, raw: true, first: null, anchors: null, requires: [] };
  const words: string[] = [];
  const stems: string[] = [];
  for (const raw of declared.split(/\s+/).filter(Boolean)) {
    if (raw.length > 1 && raw.endsWith('*')) {
      const stem = parseStem(raw);
      if (stem.kind === 'stem') stems.push(skeleton(stem.text));
    } else {
      words.push(...normalizeWords(raw).map(skeleton));
    }
  }
  if (words.length === 0 && stems.length === 0) throw new PatternError("has 'regex[…]:' with no words between the brackets");
  return { source, raw: true, first: null, anchors: { words: [...new Set(words)], stems: [...new Set(stems)] }, requires: [] };
}

function tryRegex(source: string): RegExp {
  try {
    return new RegExp(source, 'g');
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    throw new PatternError(`is not a valid regular expression (${reason})`);
  }
}
