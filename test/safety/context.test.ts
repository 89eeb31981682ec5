import { answerInContext, MAX_ANSWER_WORDS } from '../../core/safety/contextAnswer';
import { normalizeText } from '../../core/safety/normalize';
import { screenMessage, type BotQuestion } from '../../core/safety/screen';
import type { Level } from '../../core/safety/types';
import { realLexicon } from './helpers/lexicon';

const level = (text: string, question?: BotQuestion): Level => screenMessage(text, realLexicon(), question ? { lastBotQuestion: question } : undefined).level;

describe('short answers read in the light of the last bot question', () => {
  describe('after the direct suicide question', () => {
    it.each(['oui', 'Oui.', 'yes', 'ouais', 'un peu', 'des fois', 'yeah', 'kinda', 'souvent', 'I think so', 'peut-être', 'en ce moment oui', 'non... en fait oui', 'ouin'])(
      '%j → crisis',
      (text) => expect(level(text, 'suicide_question')).toBe('crisis'),
    );
    it.each(['pas vraiment', 'je sais pas', 'not anymore', 'plus maintenant', "I don't know"])('%j → concern', (text) =>
      expect(level(text, 'suicide_question')).toBe('concern'),
    );
    it.each(['non', 'no', 'nope', 'non pas du tout', 'jamais', 'pantoute', 'non, chu correct', "no I'm fine", 'no, never'])('%j → none', (text) =>
      expect(level(text, 'suicide_question')).toBe('none'),
    );
  });

  describe('after "are you safe right now?"', () => {
    it.each(['non', 'no', 'pas vraiment', 'not really', 'je sais pas', 'idk', 'pas sûre', 'il est encore ici', "no he's here", 'non chu pas en sécurité'])(
      '%j → crisis',
      (text) => expect(level(text, 'safe_question')).toBe('crisis'),
    );
    it.each(["oui pour l'instant", 'for now'])('%j → concern', (text) => expect(level(text, 'safe_question')).toBe('concern'));
    it.each(['oui', 'yes', 'oui ça va', 'ouais chu correct', "yes I'm safe", 'je suis en sécurité', "yeah I'm ok"])('%j → none', (text) =>
      expect(level(text, 'safe_question')).toBe('none'),
    );
  });

  describe('PHQ-9 item 9', () => {
    it.each(['1', '2', '3', 'plusieurs jours', 'several days', 'plus de la moitié des jours', 'more than half the days', 'presque tous les jours', 'nearly every day', 'presque tlj'])(
      '%j → at least concern',
      (text) => expect(level(text, 'phq9_item9')).not.toBe('none'),
    );
    it.each(['0', 'jamais', 'pas du tout', 'not at all', 'never'])('%j → none', (text) => expect(level(text, 'phq9_item9')).toBe('none'));
  });

  it('reads nothing into short answers without a question', () => {
    for (const text of ['oui', 'non', 'ok', 'peut-être', 'sometimes']) expect(level(text, 'none')).toBe('none');
    for (const text of ['oui', 'yes']) expect(level(text)).toBe('none');
  });

  it('always keeps an explicit risk statement, whatever the question', () => {
    expect(level('non, je veux mourir', 'suicide_question')).toBe('crisis');
    expect(level('oui je suis en sécurité mais je veux mourir', 'safe_question')).toBe('crisis');
    expect(level('jveux mourir', 'none')).toBe('crisis');
  });

  it('leaves long messages to the lexicon', () => {
    const long = `oui ${'et puis '.repeat(MAX_ANSWER_WORDS)}`;
    expect(answerInContext(normalizeText(long), 'suicide_question')).toBeNull();
  });
});
