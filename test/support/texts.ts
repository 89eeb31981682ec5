import { loadContent } from '../../content/loader';
import { createTexts, type Texts } from '../../content/texts';
import { CONTENT_DIR } from './contentFixture';

/** The real texts, loaded once per test file. */
export function realTexts(): Texts {
  const loaded = loadContent(CONTENT_DIR);
  if (!loaded.content) throw new Error(`content invalid: ${loaded.problems.map((p) => p.message).join('; ')}`);
  return createTexts(loaded.content, (key) => {
    throw new Error(`missing text key: ${key}`);
  });
}
