import { join, resolve } from 'node:path';
import { checkKeysUsedByCode } from '../../content/codeKeys';
import { loadContent } from '../../content/loader';
import { formatProblem, type ContentProblem } from '../../content/yamlFile';
import { projectRoot } from '../projectRoot';

/**
 * `npm run content:check`: every problem in the content files, one per line as file:line: sentence.
 * Exits 1 when there is any, so a broken file never gets in (CI runs it through the test suite).
 */
export function runContentCheck(contentDir: string, root: string): ContentProblem[] {
  const loaded = loadContent(contentDir, root);
  if (!loaded.content) return loaded.problems;
  const codeDirs = ['bot', 'dialogs', 'adapters'].map((dir) => join(root, dir));
  return checkKeysUsedByCode(codeDirs, root, loaded.content.locales['fr-CA'].messages);
}

if (require.main === module) {
  const root = projectRoot();
  const contentDir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'content');
  const problems = runContentCheck(contentDir, root);
  if (problems.length) {
    process.stderr.write(`${problems.map(formatProblem).join('\n')}\n${problems.length} problem(s) in the content files. Nothing was changed.\n`);
    process.exit(1);
  }
  process.stdout.write('Content OK: both locales complete and consistent.\n');
}
