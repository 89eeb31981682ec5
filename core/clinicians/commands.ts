/**
 * The words clinicians type to the bot (French and English), read into commands. Pure.
 *
 * Some words are also ordinary words a person may type in their own chat ("code", "liste"): those
 * are `ambiguous`, and the bot treats them as clinician commands only once the sender is confirmed
 * as a member of the clinicians' team. Commands naming a pseudonym (résumé P-…, délier P-…) are
 * unmistakable and are refused, not passed on, when the sender is not a clinician.
 */
import { simplify } from '../conversation/globalCommands';
import { readPersonId } from './access';

export type ClinicianCommand =
  | { readonly kind: 'newCode' }
  | { readonly kind: 'list' }
  | { readonly kind: 'help' }
  | { readonly kind: 'summary'; readonly personId: string }
  | { readonly kind: 'unlink'; readonly personId: string }
  /** "résumé" or "délier" without a readable pseudonym. */
  | { readonly kind: 'missingPerson'; readonly command: 'summary' | 'unlink' };

export interface ParsedClinicianCommand {
  readonly command: ClinicianCommand;
  /** True when the words are also ordinary words of a person's conversation. */
  readonly ambiguous: boolean;
}

const NEW_CODE = ['code', 'nouveau code', 'un code', 'un nouveau code', 'code de liaison', 'nouveau code de liaison', 'new code', 'link code', 'new link code', 'a code', 'generer un code', 'generate a code'];
const LIST = ['liste', 'ma liste', 'mes personnes', 'personnes liees', 'list', 'my people', 'linked people'];
const HELP_PRIVATE = ['aide clinicien', 'aide clinicienne', 'aide intervenant', 'aide intervenante', 'aide clinique', 'commandes', 'clinician help', 'commands'];
const HELP_CHANNEL = ['aide', 'help', '?', ''];
const SUMMARY = ['resume', 'sommaire', 'summary'];
const UNLINK = ['delier', 'unlink', 'retirer le lien', 'supprimer le lien', 'remove link'];

/**
 * Reads a clinician command, or undefined. `place` matters for help: a bare "aide"/"help" (or an
 * empty @mention) is the clinicians' help only in their team's channel; in a personal chat it is
 * left to the person's own help.
 */
export function parseClinicianCommand(raw: string | undefined, place: 'personal' | 'channel'): ParsedClinicianCommand | undefined {
  const text = (raw ?? '').trim();
  if (text.length > 200) return undefined;
  const said = simplify(text);
  if (NEW_CODE.includes(said)) return { command: { kind: 'newCode' }, ambiguous: true };
  if (LIST.includes(said)) return { command: { kind: 'list' }, ambiguous: true };
  if (HELP_PRIVATE.includes(said)) return { command: { kind: 'help' }, ambiguous: false };
  if (place === 'channel' && HELP_CHANNEL.includes(said)) return { command: { kind: 'help' }, ambiguous: false };
  const first = said.split(' ')[0] ?? '';
  const firstTwo = said.split(' ').slice(0, 3).join(' ');
  const which: 'summary' | 'unlink' | undefined = SUMMARY.includes(first)
    ? 'summary'
    : UNLINK.includes(first) || UNLINK.some((w) => w.includes(' ') && firstTwo.startsWith(w))
      ? 'unlink'
      : undefined;
  if (!which) return undefined;
  const personId = readPersonId(text);
  // "résumé de la semaine" typed by a person is not a command: without a pseudonym, only the
  // command word alone (or with a broken id that starts like one) counts.
  if (!personId) {
    const rest = said.split(' ').slice(1).join(' ');
    if (rest === '' || /^p\s?[0-9a-z]{0,20}$/.test(rest)) return { command: { kind: 'missingPerson', command: which }, ambiguous: rest === '' };
    return undefined;
  }
  return { command: { kind: which, personId }, ambiguous: false };
}
