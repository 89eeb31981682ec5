import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BotQuestion } from '../core/safety/contextAnswer';
import type { CompiledLexicon } from '../core/safety/lexicon';
import { screenMessage } from '../core/safety/screen';
import { isLevel, type Level } from '../core/safety/types';
import { displayPath, type ContentProblem } from './yamlFile';

/**
 * The labelled safety corpus (test/safety/corpus/: crisis.tsv, concern.tsv, none.tsv with
 * `label lang kind text`, context.tsv with `label lang context text`) measured against a
 * compiled lexicon, and held to the product's targets. Message texts never appear in the
 * figures or problems: lines are named by file and line number.
 */

export const SAFETY_TARGETS = {
  /** Share of crisis lines screened at level crisis. */
  crisisAtCrisis: 0.98,
  /** Share of concern lines flagged (concern or crisis). */
  concernFlagged: 0.97,
  /** Largest share of ordinary lines flagged. */
  noneFlagged: 0.03,
} as const;

const CONTEXTS: Readonly<Record<string, BotQuestion>> = {
  asked_suicide_question: 'suicide_question',
  asked_safe_question: 'safe_question',
  phq9_item9: 'phq9_item9',
  none: 'none',
};

export interface CorpusLine {
  readonly file: string;
  readonly line: number;
  readonly label: Level;
  readonly lang: string;
  /** `kind` in the main files, `context` in context.tsv. */
  readonly tag: string;
  readonly context?: BotQuestion;
  readonly text: string;
}

export interface ScreenedLine extends CorpusLine {
  readonly level: Level;
}

export interface Tally {
  crisis: number;
  crisisAtCrisis: number;
  crisisFlagged: number;
  concern: number;
  concernFlagged: number;
  none: number;
  noneFlagged: number;
}

export interface CorpusReport {
  /** Files as shown in problems (relative to root when inside it). */
  readonly files: readonly string[];
  readonly lines: readonly ScreenedLine[];
  readonly formatProblems: readonly ContentProblem[];
  /** Tallies for the main files together and for context.tsv, overall and per lang. */
  readonly main: { readonly all: Tally; readonly byLang: Readonly<Record<string, Tally>> };
  readonly context: { readonly all: Tally; readonly byLang: Readonly<Record<string, Tally>> };
}

function emptyTally(): Tally {
  return { crisis: 0, crisisAtCrisis: 0, crisisFlagged: 0, concern: 0, concernFlagged: 0, none: 0, noneFlagged: 0 };
}

function count(tally: Tally, line: ScreenedLine): void {
  const flagged = line.level !== 'none';
  if (line.label === 'crisis') {
    tally.crisis += 1;
    if (line.level === 'crisis') tally.crisisAtCrisis += 1;
    if (flagged) tally.crisisFlagged += 1;
  } else if (line.label === 'concern') {
    tally.concern += 1;
    if (flagged) tally.concernFlagged += 1;
  } else {
    tally.none += 1;
    if (flagged) tally.noneFlagged += 1;
  }
}

export function rate(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : part / whole;
}

/** Read every .tsv of the corpus folder (header line skipped), reporting malformed lines. */
export function readCorpus(corpusDir: string, root = process.cwd()): { lines: CorpusLine[]; files: string[]; problems: ContentProblem[] } {
  const lines: CorpusLine[] = [];
  const files: string[] = [];
  const problems: ContentProblem[] = [];
  if (!existsSync(corpusDir)) {
    problems.push({ file: displayPath(corpusDir, root), line: 1, message: 'the safety corpus folder is missing' });
    return { lines, files, problems };
  }
  for (const name of readdirSync(corpusDir).filter((n) => n.endsWith('.tsv')).sort()) {
    const path = join(corpusDir, name);
    const file = displayPath(path, root);
    files.push(file);
    const isContext = name === 'context.tsv';
    const rows = readFileSync(path, 'utf8').replace(/\r\n?/g, '\n').split('\n');
    rows.forEach((row, i) => {
      if (i === 0 || row.trim() === '') return;
      const fields = row.split('\t');
      const [label, lang, tag, text] = fields;
      if (fields.length !== 4 || !isLevel(label) || !lang || !tag || !text) {
        problems.push({ file, line: i + 1, message: 'this corpus line needs exactly 4 tab-separated fields: label (crisis, concern or none), lang, kind or context, text' });
        return;
      }
      let context: BotQuestion | undefined;
      if (isContext) {
        context = CONTEXTS[tag];
        if (!context) {
          problems.push({ file, line: i + 1, message: `unknown context '${tag}'; use ${Object.keys(CONTEXTS).join(', ')}` });
          return;
        }
      }
      lines.push({ file, line: i + 1, label, lang, tag, context, text });
    });
  }
  return { lines, files, problems };
}

/** Screen every corpus line and tally the results. */
export function measureCorpus(compiled: CompiledLexicon, corpusDir: string, root = process.cwd()): CorpusReport {
  const { lines, files, problems } = readCorpus(corpusDir, root);
  const screened: ScreenedLine[] = lines.map((line) => ({
    ...line,
    level: screenMessage(line.text, compiled, line.context ? { lastBotQuestion: line.context } : undefined).level,
  }));
  const main = { all: emptyTally(), byLang: {} as Record<string, Tally> };
  const context = { all: emptyTally(), byLang: {} as Record<string, Tally> };
  for (const line of screened) {
    const group = line.context ? context : main;
    count(group.all, line);
    count((group.byLang[line.lang] ??= emptyTally()), line);
  }
  return { files, lines: screened, formatProblems: problems, main, context };
}

/** Problems for the corpus measured against the targets (see checkSafetyRegression). */
export function checkCorpusTargets(compiled: CompiledLexicon, corpusDir: string, root = process.cwd()): ContentProblem[] {
  const report = measureCorpus(compiled, corpusDir, root);
  const problems: ContentProblem[] = [...report.formatProblems];
  const groups: Array<[string, (l: ScreenedLine) => boolean, Tally]> = [
    ['main corpus', (l) => !l.context, report.main.all],
    ['context corpus', (l) => Boolean(l.context), report.context.all],
  ];
  for (const [name, belongs, tally] of groups) {
    const lines = report.lines.filter(belongs);
    for (const line of lines) {
      if (line.label === 'crisis' && line.level === 'none') {
        problems.push({ file: line.file, line: line.line, message: `a crisis line is not flagged at all (${name}, ${line.lang}, ${line.tag})` });
      }
    }
    const crisisRate = rate(tally.crisisAtCrisis, tally.crisis);
    if (crisisRate < SAFETY_TARGETS.crisisAtCrisis) {
      for (const line of lines) {
        if (line.label === 'crisis' && line.level === 'concern') {
          problems.push({
            file: line.file,
            line: line.line,
            message: `a crisis line is screened concern; crisis lines at crisis are ${pct(crisisRate)} of the ${name}, below the ${pct(SAFETY_TARGETS.crisisAtCrisis)} target`,
          });
        }
      }
    }
    const concernRate = rate(tally.concernFlagged, tally.concern);
    if (concernRate < SAFETY_TARGETS.concernFlagged) {
      for (const line of lines) {
        if (line.label === 'concern' && line.level === 'none') {
          problems.push({
            file: line.file,
            line: line.line,
            message: `a concern line is not flagged; concern lines flagged are ${pct(concernRate)} of the ${name}, below the ${pct(SAFETY_TARGETS.concernFlagged)} target`,
          });
        }
      }
    }
    const noneRate = rate(tally.noneFlagged, tally.none);
    if (noneRate > SAFETY_TARGETS.noneFlagged) {
      for (const line of lines) {
        if (line.label === 'none' && line.level !== 'none') {
          problems.push({
            file: line.file,
            line: line.line,
            message: `an ordinary line is flagged ${line.level}; ordinary lines flagged are ${pct(noneRate)} of the ${name}, above the ${pct(SAFETY_TARGETS.noneFlagged)} limit`,
          });
        }
      }
    }
  }
  return problems;
}

export function pct(value: number): string {
  return Number.isNaN(value) ? 'n/a' : `${(value * 100).toFixed(1)} %`;
}
