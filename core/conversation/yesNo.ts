import { simplify } from './globalCommands';

/**
 * Reads a short answer as yes or no, in French (Quebec included) and English. Anything longer or
 * unclear is `unknown`: the caller then asks again or treats the message as a new topic.
 */
export type YesNo = 'yes' | 'no' | 'unknown';

const YES = new Set([
  'oui', 'ouais', 'ouin', 'ben oui', 'bien oui', 'oui oui', 'yes', 'yeah', 'yep', 'yup', 'ok', 'okay', 'correct', 'd accord',
  'daccord', 'certain', 'certainement', 'bien sur', 'of course', 'sure', 'absolument', 'oui je suis en securite', 'je suis en securite',
  'i am safe', 'im safe', 'i m safe', 'safe', 'en securite', 'oui ca va', 'ca va', 'yes i m safe', 'yes im safe', 'oui merci', 'yes thanks',
]);
const NO = new Set(['non', 'nan', 'nope', 'no', 'nah', 'pas du tout', 'not at all', 'jamais', 'never', 'non merci', 'no thanks', 'pantoute']);

export function readYesNo(text: string | undefined): YesNo {
  if (!text) return 'unknown';
  const said = simplify(text);
  if (said.length === 0 || said.length > 40) return 'unknown';
  if (YES.has(said)) return 'yes';
  if (NO.has(said)) return 'no';
  const first = said.split(' ')[0];
  if (['oui', 'yes', 'ouais', 'yeah', 'yep'].includes(first)) return 'yes';
  if (['non', 'no', 'nope', 'nah'].includes(first)) return 'no';
  return 'unknown';
}
