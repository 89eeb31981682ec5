import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSafetyRegression, loadSafetyLexicon, loadSafetyLexiconFiles, SAFETY_LEXICON_FILES } from '../../content/safetyLexicon';
import { formatProblem } from '../../content/yamlFile';
import { CATEGORIES } from '../../core/safety/types';
import { CONTENT_DIR, CORPUS_DIR, realLexicon, ROOT } from './helpers/lexicon';

describe('the real safety lexicon', () => {
  it('loads both locale files without a problem, merged into one lexicon, every entry example checked', () => {
    const loaded = loadSafetyLexicon(CONTENT_DIR, ROOT, { verifyExamples: true, learned: false });
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.compiled).toBeDefined();
    const ids = loaded.lexicon?.entries.map((e) => e.id) ?? [];
    expect(ids.some((id) => id.startsWith('fr.'))).toBe(true);
    expect(ids.some((id) => id.startsWith('en.'))).toBe(true);
    expect(loaded.lexicon?.figurative?.length).toBeGreaterThan(0);
    expect(loaded.lexicon?.denials?.length).toBeGreaterThan(0);
  });

  it('covers every category at a signal level', () => {
    const loaded = loadSafetyLexicon(CONTENT_DIR, ROOT, { learned: false });
    const used = new Set(loaded.lexicon?.entries.map((e) => e.category));
    for (const category of CATEGORIES) expect([category, used.has(category)]).toEqual([category, true]);
  });

  it('explains its pattern syntax to editors at the top of each file', () => {
    for (const name of SAFETY_LEXICON_FILES) {
      const head = readFileSync(join(CONTENT_DIR, name), 'utf8').slice(0, 6000);
      for (const marker of ['[', '(', 'suicid*', '*5', '~', '!', '@', 'regex[', 'figurative', 'denials', 'downgrades']) expect(head).toContain(marker);
    }
  });

  it('meets the corpus targets (checkSafetyRegression reports nothing)', () => {
    expect(checkSafetyRegression(realLexicon(), CORPUS_DIR, ROOT).map(formatProblem)).toEqual([]);
  });
});

describe('a broken lexicon copy', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lexicon-'));
    for (const name of SAFETY_LEXICON_FILES) {
      mkdirSync(join(dir, name.split('/')[0] as string), { recursive: true });
      copyFileSync(join(CONTENT_DIR, name), join(dir, name));
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const frFile = (): string => join(dir, 'fr-CA', 'safety-lexicon.yaml');
  const enFile = (): string => join(dir, 'en-CA', 'safety-lexicon.yaml');
  const lineOf = (path: string, needle: string): number => readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
  const edit = (path: string, from: string, to: string): void => {
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(from);
    writeFileSync(path, text.replace(from, to));
  };

  it('points at the file and line of a broken pattern', () => {
    const text = readFileSync(frFile(), 'utf8');
    const firstPattern = /^ {6}- "je \[@fr_adv\] @fr_veux[^\n]*"$/m.exec(text)?.[0] as string;
    edit(frFile(), firstPattern, '      - "je (veux mourir"');
    const { problems, compiled } = loadSafetyLexicon(dir, dir, { verifyExamples: true, learned: false });
    expect(compiled).toBeUndefined();
    expect(problems).toContainEqual({
      file: join('fr-CA', 'safety-lexicon.yaml'),
      line: lineOf(frFile(), '"je (veux mourir"'),
      message: "pattern 1 of entry fr.ideation.desire has an unclosed '('",
    });
  });

  it('reports schema mistakes, duplicate ids across files, broken groups and failing examples with their lines', () => {
    edit(enFile(), '  - id: en.burden\n    category: burden', '  - id: fr.burden\n    category: burden');
    edit(enFile(), '    category: hopelessness', '    category: despair');
    edit(frFile(), 'fr_pilules: "(', 'fr_pilules: "((');
    edit(enFile(), '      - "I want to die"', '      - "I went for a walk"');
    const { problems } = loadSafetyLexiconFiles([frFile(), enFile()], dir, { verifyExamples: true });
    const at = (path: string, needle: string) => ({ file: expect.stringContaining(path.split('/').slice(-2).join('/')), line: lineOf(path, needle) });
    expect(problems).toEqual(
      expect.arrayContaining([
        { ...at(enFile(), 'id: fr.burden'), message: expect.stringContaining('the id fr.burden is already used at fr-CA/safety-lexicon.yaml:') },
        { ...at(enFile(), 'category: despair'), message: expect.stringContaining('should be one of suicidal_ideation') },
        { ...at(frFile(), 'fr_pilules:'), message: "group 'fr_pilules' has an unclosed '('" },
      ]),
    );
    for (const p of problems) expect(p.line).toBeGreaterThan(1);
  });

  it('checks the examples editors give', () => {
    edit(enFile(), '      - "I want to die"', '      - "I went for a walk"');
    edit(frFile(), '      - "je meurs de rire"', '      - "je veux mourir ce soir"');
    const { problems } = loadSafetyLexicon(dir, dir, { verifyExamples: true, learned: false });
    expect(problems).toEqual([
      { file: join('fr-CA', 'safety-lexicon.yaml'), line: lineOf(frFile(), '"je veux mourir ce soir"'), message: expect.stringMatching(/^example 1 of figurative entry fr\.fig\.die_of is still flagged crisis by /) },
      { file: join('en-CA', 'safety-lexicon.yaml'), line: lineOf(enFile(), '"I went for a walk"'), message: 'example 1 of entry en.ideation.desire is not matched by this entry' },
    ]);
  });

  it('reports invalid YAML and a missing file', () => {
    writeFileSync(enFile(), 'entries:\n  - id: x\n    patterns: [\n');
    rmSync(frFile());
    const { problems, compiled } = loadSafetyLexicon(dir, dir, { verifyExamples: true, learned: false });
    expect(compiled).toBeUndefined();
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: join('fr-CA', 'safety-lexicon.yaml'), line: 1, message: 'the file is missing' },
        expect.objectContaining({ file: join('en-CA', 'safety-lexicon.yaml'), message: expect.stringContaining('this is not valid YAML') }),
      ]),
    );
  });
});

describe('checkSafetyRegression', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'corpus-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, rows: string[]): void => {
    const header = name === 'context.tsv' ? 'label\tlang\tcontext\ttext' : 'label\tlang\tkind\ttext';
    writeFileSync(join(dir, name), `${[header, ...rows].join('\n')}\n`);
  };

  it('always reports a crisis line that is not flagged at all, naming file and line', () => {
    write('crisis.tsv', [...Array.from({ length: 99 }, () => 'crisis\tfr\tideation\tje veux mourir'), 'crisis\ten\tideation\tI went for a walk']);
    const problems = checkSafetyRegression(realLexicon(), dir, dir);
    expect(problems).toEqual([{ file: 'crisis.tsv', line: 101, message: expect.stringContaining('a crisis line is not flagged at all') }]);
  });

  it('tolerates a few misses within the targets, and lists them all once a rate misses its target', () => {
    const ordinary = Array.from({ length: 30 }, (_, i) => `none\tfr\tcheckin\tj'ai marché ${i} minutes`);
    write('none.tsv', [...ordinary, 'none\tfr\tfigurative\tje veux mourir']);
    expect(checkSafetyRegression(realLexicon(), dir, dir)).toEqual([
      { file: 'none.tsv', line: 32, message: expect.stringContaining('an ordinary line is flagged crisis') },
    ]);
    write('none.tsv', [...Array.from({ length: 99 }, (_, i) => `none\tfr\tcheckin\tj'ai marché ${i} minutes`), 'none\tfr\tx\tje veux mourir']);
    expect(checkSafetyRegression(realLexicon(), dir, dir)).toEqual([]);
  });

  it('reads context.tsv with its context, and reports malformed lines', () => {
    write('context.tsv', ['crisis\tfr\tasked_suicide_question\toui', 'none\tfr\tasked_safe_question\toui', 'crisis\tfr\tnope\toui', 'bad line']);
    const problems = checkSafetyRegression(realLexicon(), dir, dir);
    expect(problems).toEqual([
      { file: 'context.tsv', line: 4, message: expect.stringContaining("unknown context 'nope'") },
      { file: 'context.tsv', line: 5, message: expect.stringContaining('exactly 4 tab-separated fields') },
    ]);
  });
});
