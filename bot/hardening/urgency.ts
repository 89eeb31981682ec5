/**
 * Whether a message must never be refused by the rate limiter: the risk screen flags it (crisis or
 * concern) or it is the global word for an emergency ("urgence", "911"…). The composition root
 * should pass its own screen (the lexicon it already compiled); this default compiles the
 * project's lexicon once, lazily, the first time a bucket runs empty.
 */
import { resolve } from 'node:path';
import { loadSafetyLexicon } from '../../content/safetyLexicon';
import { matchGlobalCommand } from '../../core/conversation/globalCommands';
import type { CompiledLexicon } from '../../core/safety/lexicon';
import { screenMessage } from '../../core/safety/screen';
import { projectRoot } from '../projectRoot';

/** The bot reads the start of a long message; so does the urgency check (bounded cost). */
const SCREENED_CHARS = 4_000;

export type UrgencyCheck = (text: string) => boolean;

export function urgencyFromScreen(screen: (text: string) => { level: string }): UrgencyCheck {
  return (text) => {
    if (matchGlobalCommand(text) === 'emergency') return true;
    return screen(text.slice(0, SCREENED_CHARS)).level !== 'none';
  };
}

let lexicon: CompiledLexicon | null | undefined;

export const defaultUrgency: UrgencyCheck = (text) => {
  if (lexicon === undefined) {
    const root = projectRoot();
    lexicon = loadSafetyLexicon(resolve(root, 'content'), root).compiled ?? null;
  }
  // No lexicon (it failed to load, and the bot would not have started): everything is urgent.
  if (lexicon === null) return true;
  const compiled = lexicon;
  return urgencyFromScreen((t) => screenMessage(t, compiled))(text);
};
