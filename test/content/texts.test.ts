import { loadContent } from '../../content/loader';
import { createTexts } from '../../content/texts';
import { CONTENT_DIR } from '../support/contentFixture';

function load() {
  const result = loadContent(CONTENT_DIR);
  if (!result.content) throw new Error('content should load');
  return result.content;
}

describe('texts', () => {
  const content = load();

  it('gives the same text on every call for a key without variables, in each locale', () => {
    const texts = createTexts(content);
    const first = texts.t('fr-CA', 'menu.prompt');
    expect(first).not.toBe('menu.prompt');
    expect(texts.t('fr-CA', 'menu.prompt')).toBe(first);
    expect(texts.t('en-CA', 'menu.prompt')).not.toBe(first);
    expect(texts.t('en-CA', 'menu.prompt')).toBe(texts.t('en-CA', 'menu.prompt'));
  });

  it('fills variables on every call (values are never remembered)', () => {
    const texts = createTexts(content);
    expect(texts.t('fr-CA', 'errors.tooLong', { limit: 4000 })).toContain('4000');
    expect(texts.t('fr-CA', 'errors.tooLong', { limit: 123 })).toContain('123');
    expect(texts.t('fr-CA', 'errors.tooLong', { limit: 123 })).not.toContain('4000');
  });

  it('reports a missing key every time it is asked for, not only the first', () => {
    const missing: string[] = [];
    const texts = createTexts(content, (key) => missing.push(key));
    texts.t('en-CA', 'no.such.key');
    texts.t('en-CA', 'no.such.key');
    expect(missing).toEqual(['no.such.key', 'no.such.key']);
  });
});
