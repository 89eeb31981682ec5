import { join, resolve } from 'node:path';
import { loadSafetyLexicon } from '../../../content/safetyLexicon';
import { formatProblem } from '../../../content/yamlFile';
import type { CompiledLexicon } from '../../../core/safety/lexicon';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const CONTENT_DIR = join(ROOT, 'content');
export const CORPUS_DIR = join(ROOT, 'test', 'safety', 'corpus');

let cached: CompiledLexicon | undefined;

/** The real lexicon (content/fr-CA + content/en-CA), compiled once per test file. */
export function realLexicon(): CompiledLexicon {
  if (cached) return cached;
  const loaded = loadSafetyLexicon(CONTENT_DIR, ROOT);
  if (!loaded.compiled) throw new Error(`the safety lexicon does not load:\n${loaded.problems.map(formatProblem).join('\n')}`);
  cached = loaded.compiled;
  return cached;
}
