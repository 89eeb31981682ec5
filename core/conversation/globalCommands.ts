/**
 * Words that work anywhere in a conversation, in French and English. Matching is on the whole
 * message (after light normalisation), so "annuler" cancels but "je veux annuler mon rendez-vous"
 * is left to the dialog: a global word must never swallow a real sentence.
 */
export type GlobalCommand = 'menu' | 'help' | 'cancel' | 'restart' | 'language' | 'emergency' | 'safetyPlan' | 'whatYouKnow' | 'forgetMe' | 'reminders';

const COMMANDS: ReadonlyArray<[GlobalCommand, readonly string[]]> = [
  ['emergency', ['urgence', 'crise', 'aide urgente', 'emergency', 'crisis', 'urgent', 'sos', '911', 'urgent help']],
  ['menu', ['menu', 'main menu', 'menu principal', 'accueil', 'home', 'start']],
  ['help', ['aide', 'help', '?', 'a l aide', 'au secours aide']],
  ['cancel', ['annuler', 'cancel', 'stop', 'arreter', 'arrete', 'quit', 'quitter', 'laisse faire']],
  ['restart', ['recommencer', 'restart', 'start over', 'recommence', 'reset']],
  ['language', ['langue', 'language', 'changer de langue', 'change language', 'changer la langue']],
  ['safetyPlan', ['mon plan de securite', 'plan de securite', 'safety plan', 'my safety plan']],
  ['whatYouKnow', ['ce que tu sais sur moi', 'que sais tu sur moi', 'what do you know about me', 'what you know about me', 'mes donnees', 'my data']],
  ['reminders', ['mes rappels', 'rappels', 'my reminders', 'reminders']],
  ['forgetMe', ['oublie moi', 'oubliez moi', 'forget me', 'efface mes donnees', 'efface tout', 'delete my data', 'erase my data']],
];

/** Every word or phrase that works as a global command, as written above. */
export const GLOBAL_COMMAND_WORDS: readonly string[] = COMMANDS.flatMap(([, words]) => words);

export function simplify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`´-]/g, ' ')
    .replace(/[!.,;:«»"()]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const LOOKUP = new Map<string, GlobalCommand>(COMMANDS.flatMap(([command, words]) => words.map((w) => [simplify(w), command] as const)));

export function matchGlobalCommand(text: string | undefined): GlobalCommand | undefined {
  if (!text || text.length > 60) return undefined;
  return LOOKUP.get(simplify(text));
}
