import { join, resolve } from 'node:path';
import { checkKeysUsedByCode } from '../../content/codeKeys';
import { loadContent } from '../../content/loader';
import { checkSafetyRegression, loadSafetyLexicon } from '../../content/safetyLexicon';
import { formatProblem, type ContentProblem } from '../../content/yamlFile';
import { projectRoot } from '../projectRoot';

/**
 * `npm run content:check`: every problem in the content files, one per line as file:line: sentence.
 * Exits 1 when there is any, so a broken file never gets in (CI runs it through the test suite).
 */
export function runContentCheck(contentDir: string, root: string): ContentProblem[] {
  const loaded = loadContent(contentDir, root);
  const safety = loadSafetyLexicon(contentDir, root, { verifyExamples: true });
  const problems = [...loaded.problems, ...safety.problems];
  // The safety regression corpus: an edit to the lexicon may never weaken detection.
  if (safety.compiled) problems.push(...checkSafetyRegression(safety.compiled, join(root, 'test', 'safety', 'corpus'), root));
  if (!loaded.content) return problems;
  const codeDirs = ['bot', 'dialogs', 'adapters'].map((dir) => join(root, dir));
  return [...problems, ...checkKeysUsedByCode(codeDirs, root, loaded.content.locales['fr-CA'].messages)];
}

if (require.main === module) {
  const root = projectRoot();
  const contentDir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'content');
  const problems = runContentCheck(contentDir, root);
  if (problems.length) {
    process.stderr.write(`${problems.map(formatProblem).join('\n')}\n${problems.length} problem(s) in the content files. Nothing was changed.\n`);
    process.exit(1);
  }
  process.stdout.write('Content OK: both locales complete and consistent; the safety lexicon and its examples check out, and the screen meets its regression corpus.\n');
}
