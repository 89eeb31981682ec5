import { GLOBAL_COMMAND_WORDS } from '../../core/conversation/globalCommands';
import { extractFeatures, hashString } from '../../core/safety/model/features';
import { CRISIS_THRESHOLD, FLAG_THRESHOLD, likelyCategory, modelLevel, scoreRisk } from '../../core/safety/model/riskModel';
import { MEMBER_SEED_STEP, trainRiskModel, type TrainingExample } from '../../core/safety/model/train';
import { LEARNED_ENTRY_ID, screenMessage } from '../../core/safety/screen';
import { realLexicon } from './helpers/lexicon';

describe('learned stage features', () => {
  it('are the same for the same text, and differ with word order', () => {
    expect(extractFeatures('je veux dormir', [], [])).toEqual(extractFeatures('je veux dormir', [], []));
    expect(extractFeatures('je veux dormir', [], []).sort()).not.toEqual(extractFeatures('dormir veux je', [], []).sort());
    expect(hashString('abc')).toBe(hashString('abc'));
  });

  it('gives words, pairs within a sentence, stems of long words and lexicon hits', () => {
    const one = extractFeatures('bonjour', [], []);
    expect(one).toHaveLength(2); // the word and its stem
    // Two sentences: no pair across the sentence end.
    expect(extractFeatures('oui . non', [], [])).toHaveLength(2);
    expect(extractFeatures('oui non', [], [])).toHaveLength(3);
    expect(extractFeatures('oui', [hashString('fr.ideation.desire')], [])).toHaveLength(2);
  });

  it('counts a word that repeats the one before it once', () => {
    expect(extractFeatures('la la la la', [], [])).toEqual(extractFeatures('la', [], []));
    expect(extractFeatures('la lalala la', [], []).length).toBeGreaterThan(extractFeatures('la lalala', [], []).length);
    expect(extractFeatures('a '.repeat(300).trim(), [], [])).toHaveLength(1);
    // Repeats further apart still count: "je … je" is two uses.
    expect(extractFeatures('je veux je', [], []).length).toBeGreaterThan(extractFeatures('je veux', [], []).length);
  });

  it('gives no feature for words a denial or a figure masked', () => {
    // " je veux dormir": "veux" spans [3, 8) in the lexicon's " " + text coordinates.
    const masked = extractFeatures('je veux dormir', [], [], [3, 8]);
    const plain = extractFeatures('je dormir', [], []);
    expect(masked.filter((f) => !plain.includes(f))).toHaveLength(1); // only the skip pair je…dormir
  });

  it('never throws on odd input', () => {
    expect(extractFeatures('', [], [])).toEqual([]);
    expect(extractFeatures(' '.repeat(10), [], []).length).toBeGreaterThanOrEqual(0);
    expect(extractFeatures('x '.repeat(5000).trim(), [], []).length).toBeLessThan(2000);
  });
});

describe('training and scoring', () => {
  const sentences: Array<[string, TrainingExample['level'], TrainingExample['category']?]> = [
    ['je veux mourir ce soir', 'crisis', 'suicidal_ideation'],
    ['je vais mourir ce soir cest fini', 'crisis', 'suicidal_ideation'],
    ['il me frappe encore ce soir', 'crisis', 'danger_abuse'],
    ['il va me frapper encore', 'crisis', 'danger_abuse'],
    ['je suis un fardeau pour tous', 'concern', 'burden'],
    ['tout le monde serait mieux sans moi', 'concern', 'burden'],
    ['je veux dormir ce soir', 'none'],
    ['je vais marcher ce soir', 'none'],
    ['je suis content de ma semaine', 'none'],
    ['tout le monde est venu souper', 'none'],
  ];
  const examples = sentences.map(([text, level, category]) => ({ features: extractFeatures(text, [], []), level, category }));
  const options = { epochs: 30, learningRate: 0.3, l2: 1e-5, positiveWeight: 1, seed: 7, ensemble: 1 };

  it('learns to tell crisis, concern and ordinary examples apart, deterministically', () => {
    const model = trainRiskModel(examples, options);
    const again = trainRiskModel(examples, options);
    expect(Buffer.from(again.weights.buffer).equals(Buffer.from(model.weights.buffer))).toBe(true);
    for (const { features, level } of examples) expect([level, modelLevel(scoreRisk(model, features))]).toEqual([level, level]);
  });

  it('averages an ensemble of differently shuffled members into one model of the same size', () => {
    const single = trainRiskModel(examples, options);
    const ensemble = trainRiskModel(examples, { ...options, ensemble: 3 });
    expect(ensemble.weights).toHaveLength(single.weights.length);
    // The first member is the single model; the others shuffle differently, so the average moves.
    expect(Buffer.from(ensemble.weights.buffer).equals(Buffer.from(single.weights.buffer))).toBe(false);
    const members = [0, 1, 2].map((m) => trainRiskModel(examples, { ...options, seed: options.seed + m * MEMBER_SEED_STEP }));
    const cell = single.weights.findIndex((w) => w !== 0);
    const mean = members.reduce((sum, m) => sum + (m.weights[cell] as number), 0) / 3;
    expect(ensemble.weights[cell]).toBeCloseTo(mean, 5);
    expect(ensemble.flagBias).toBeCloseTo(members.reduce((sum, m) => sum + m.flagBias, 0) / 3, 6);
    for (const { features, level } of examples) expect([level, modelLevel(scoreRisk(ensemble, features))]).toEqual([level, level]);
  });

  it('names the category of a flagged message', () => {
    const model = trainRiskModel(examples, options);
    expect(likelyCategory(model, extractFeatures('il va me frapper ce soir', [], []))).toBe('danger_abuse');
    expect(likelyCategory(model, extractFeatures('je suis un fardeau', [], []))).toBe('burden');
  });

  it('calls a crisis only when both heads agree, and a concern when either finds a risk likely', () => {
    expect(modelLevel({ flag: 0.9, crisis: CRISIS_THRESHOLD })).toBe('crisis');
    expect(modelLevel({ flag: CRISIS_THRESHOLD - 0.01, crisis: 0.9 })).toBe('concern');
    expect(modelLevel({ flag: CRISIS_THRESHOLD - 0.01, crisis: FLAG_THRESHOLD - 0.01 })).toBe('none');
    expect(modelLevel({ flag: FLAG_THRESHOLD, crisis: 0 })).toBe('concern');
    expect(modelLevel({ flag: FLAG_THRESHOLD - 0.01, crisis: 0 })).toBe('none');
  });
});

describe('the screen with its learned stage', () => {
  it.each([
    "J'ai donné mon chat à ma voisine et écrit une lettre pour mes enfants, demain je serai en paix.",
    'I gave my guitar to my brother and wrote letters for everyone, tomorrow it will all be quiet.',
  ])('catches a farewell the lexicon misses, and says the learned stage decided: %s', (text) => {
    expect(screenMessage(text, { ...realLexicon(), model: undefined }).level).toBe('none');
    const result = screenMessage(text, realLexicon());
    expect(result.level).toBe('crisis');
    expect(result.matches.map((m) => m.entryId)).toContain(LEARNED_ENTRY_ID);
    expect(result.categories.length).toBeGreaterThan(0);
  });

  it('never lowers what the lexicon found', () => {
    const withModel = screenMessage('je veux mourir', realLexicon());
    const lexiconOnly = screenMessage('je veux mourir', { ...realLexicon(), model: undefined });
    expect(withModel.level).toBe('crisis');
    expect(lexiconOnly.level).toBe('crisis');
  });

  it("leaves the bot's own button labels and short answers to a question alone", () => {
    expect(screenMessage("C'est tout pour cette étape", realLexicon()).level).toBe('none');
    expect(screenMessage('je suis en sécurité', realLexicon(), { lastBotQuestion: 'safe_question' }).level).toBe('none');
    expect(screenMessage('pantoute', realLexicon(), { lastBotQuestion: 'suicide_question' }).level).toBe('none');
  });

  it('leaves the global command words to the bot, which answers them as commands', () => {
    // "urgence" shows the crisis lines and asks whether the person is safe; the model once read it as a crisis alert.
    for (const word of GLOBAL_COMMAND_WORDS) {
      const result = screenMessage(word, realLexicon());
      expect({ word, learned: result.matches.some((m) => m.entryId === LEARNED_ENTRY_ID) }).toEqual({ word, learned: false });
    }
    expect(screenMessage('urgence, je vais me tuer', realLexicon()).level).toBe('crisis');
  });
});
