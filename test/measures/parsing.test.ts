import { readAnswer, type AnswerScale } from '../../core/measures/answers';
import { parseDays, parseDaysAndTime, parseTimeRange, parseTimes } from '../../core/measures/scheduleText';

const frequencyFr: AnswerScale = {
  min: 0,
  max: 3,
  labels: ['Jamais', 'Plusieurs jours', 'Plus de la moitié du temps', 'Presque tous les jours'],
  words: { 0: ['pas du tout'], 3: ['tous les jours', 'toujours'] },
};
const frequencyEn: AnswerScale = { min: 0, max: 3, labels: ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'], words: { 0: ['never'] } };
const wsas: AnswerScale = {
  min: 0,
  max: 8,
  labels: ['0 – Pas du tout', '1', '2 – Légèrement', '3', '4 – Nettement', '5', '6 – Fortement', '7', '8 – Très gravement'],
  words: { 6: ['beaucoup'] },
};

describe('readAnswer: labels, numbers and words — never a guess', () => {
  it.each<[string, AnswerScale, string | undefined, number | undefined]>([
    ['label', frequencyFr, 'Plusieurs jours', 1],
    ['label, other case and accents', frequencyFr, 'plus de la moitie du temps', 2],
    ['digit', frequencyFr, '2', 2],
    ['digit with spaces', frequencyFr, '  3 ', 3],
    ['digit with its label', frequencyFr, '1 - plusieurs jours', 1],
    ['label with its digit', frequencyFr, 'Plusieurs jours (1)', 1],
    ['digit and a different label', frequencyFr, '2 plusieurs jours', undefined],
    ['extra word', frequencyFr, 'pas du tout', 0],
    ['extra word', frequencyFr, 'Toujours!', 3],
    ['number word', frequencyFr, 'deux', 2],
    ['number word', frequencyEn, 'two', 2],
    ['a score over the scale', frequencyFr, '12', undefined],
    ['a score under the scale', frequencyFr, '-1', undefined],
    ['four is out of a 0–3 scale', frequencyFr, '4', undefined],
    ['out-of-scale number word', frequencyFr, 'huit', undefined],
    ['a sentence', frequencyFr, 'beaucoup', undefined],
    ['a letter', frequencyFr, 'x', undefined],
    ['empty', frequencyFr, '', undefined],
    ['undefined', frequencyFr, undefined, undefined],
    ['"3/3"', frequencyFr, '3/3', 3],
    ['English label', frequencyEn, 'Nearly every day', 3],
    ['English word', frequencyEn, 'never', 0],
    ['WSAS label with digit', wsas, '2 – Légèrement', 2],
    ['WSAS label words only', wsas, 'légèrement', 2],
    ['WSAS digit', wsas, '7', 7],
    ['WSAS plain anchor digit', wsas, '8', 8],
    ['WSAS over the scale', wsas, '9', undefined],
    ['WSAS extra word', wsas, 'beaucoup', 6],
  ])('%s (%#)', (_name, scale, text, expected) => {
    expect(readAnswer(text, scale)).toBe(expected);
  });
});

describe('days and times typed freely', () => {
  it.each<[string, number[] | undefined, string | undefined]>([
    ['mardi 18h', [2], '18:00'],
    ['Mardi et vendredi à 18 h 30', [2, 5], '18:30'],
    ['lun, mer, ven 7h', [1, 3, 5], '07:00'],
    ['tuesday 6pm', [2], '18:00'],
    ['Tuesday and Friday 6 p.m.', [2, 5], '18:00'],
    ['weekdays 7:30 am', [1, 2, 3, 4, 5], '07:30'],
    ['tous les jours à midi', [0, 1, 2, 3, 4, 5, 6], '12:00'],
    ['every day 7 p.m.', [0, 1, 2, 3, 4, 5, 6], '19:00'],
    ['fin de semaine 10h', [0, 6], '10:00'],
    ['les mardis', [2], undefined],
    ['18:45', undefined, '18:45'],
    ['à 18', undefined, '18:00'],
    ['6h du soir', undefined, '18:00'],
    ['12 p.m.', undefined, '12:00'],
    ['12am', undefined, '00:00'],
    ['25h', undefined, undefined],
    ['je ne sais pas', undefined, undefined],
  ])('%s', (text, days, time) => {
    expect(parseDaysAndTime(text)).toEqual({ ...(days ? { days } : {}), ...(time ? { time } : {}) });
  });

  it('does not read a month as a day', () => {
    expect(parseDays('le 3 mars')).toBeUndefined();
  });

  it.each<[string, { start: string; end: string } | undefined]>([
    ['22h à 7h', { start: '22:00', end: '07:00' }],
    ['de 21 h à 8 h', { start: '21:00', end: '08:00' }],
    ['10pm-7am', { start: '22:00', end: '07:00' }],
    ['9 p.m. to 8 a.m.', { start: '21:00', end: '08:00' }],
    ['22h', undefined],
    ['22h à 22h', undefined],
  ])('quiet hours %s', (text, range) => {
    expect(parseTimeRange(text)).toEqual(range);
  });

  it('lists times in the order written', () => {
    expect(parseTimes('entre 7h et 9h30')).toEqual(['07:00', '09:30']);
  });
});
