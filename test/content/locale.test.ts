import { normalizeLocale, resolveLocale } from '../../core/i18n/locale';

describe('locale', () => {
  it.each([
    ['fr', 'fr-CA'],
    ['fr-ca', 'fr-CA'],
    ['FR-CA', 'fr-CA'],
    ['fr_CA', 'fr-CA'],
    ['fr-FR', 'fr-CA'],
    ['en-us', 'en-CA'],
    ['EN', 'en-CA'],
    ['de-DE', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('normalises %p to %p', (raw, expected) => {
    expect(normalizeLocale(raw)).toBe(expected);
  });

  it('prefers the saved choice, then the activity, then the default', () => {
    expect(resolveLocale('en-CA', 'fr-CA', 'fr-CA')).toBe('en-CA');
    expect(resolveLocale(undefined, 'en-us', 'fr-CA')).toBe('en-CA');
    expect(resolveLocale(undefined, 'es', 'fr-CA')).toBe('fr-CA');
    expect(resolveLocale(undefined, undefined, 'en-CA')).toBe('en-CA');
  });
});
