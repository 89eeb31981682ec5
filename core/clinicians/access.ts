/**
 * Who may act as a clinician, and who may see whose data. Pure rules over plain facts taken from
 * a Teams activity (the bot layer extracts them; no SDK here).
 *
 * - A clinician is a member of ONE configured Teams team in ONE configured tenant. Every clinician
 *   action needs: Teams, the configured tenant (channelData.tenant.id), an Azure AD identity
 *   (from.aadObjectId), a personal chat or a channel of the configured team, and then a membership
 *   check against the team (done by the bot through a port: channel membership alone is not proof,
 *   as shared channels host people from outside the team).
 * - A person's data reaches only the clinician they linked themselves to with a code, and only while
 *   the person's consent to share stands. Every refusal looks the same from outside: an unknown
 *   person, a person linked to someone else and a person who withdrew consent are indistinguishable.
 */

export interface ClinicianTeam {
  /** Azure AD tenant of the clinicians (channelData.tenant.id). */
  readonly tenantId: string;
  /** The clinicians' team (channelData.team.id, e.g. "19:…@thread.tacv2"). */
  readonly teamId: string;
}

/** What a Teams activity says about where it comes from (all optional: anything may be missing or forged). */
export interface TeamsTurnFacts {
  readonly channelId?: string;
  /** channelData.tenant.id, else conversation.tenantId. */
  readonly tenantId?: string;
  /** channelData.team.id (channel conversations only). */
  readonly teamId?: string;
  /** conversation.conversationType: 'personal' | 'channel' | 'groupChat'. */
  readonly conversationType?: string;
  readonly aadObjectId?: string;
  /** The channel's user id ("29:…"), for the membership look-up. */
  readonly userId?: string;
}

export type ClinicianRefusal = 'not_teams' | 'other_tenant' | 'no_identity' | 'other_team' | 'group_chat' | 'not_member' | 'unavailable';

export type ClinicianGate =
  | { readonly outcome: 'refuse'; readonly reason: ClinicianRefusal }
  /** The facts are right; the bot must still confirm membership of the team. */
  | { readonly outcome: 'check_membership'; readonly clinicianId: string; readonly userId: string; readonly place: 'personal' | 'channel' };

const AAD_OBJECT_ID = /^[0-9a-fA-F-]{8,64}$/;

export function gateClinicianTurn(facts: TeamsTurnFacts, team: ClinicianTeam | undefined): ClinicianGate {
  if (!team || !team.tenantId || !team.teamId) return { outcome: 'refuse', reason: 'other_tenant' };
  if (facts.channelId !== 'msteams') return { outcome: 'refuse', reason: 'not_teams' };
  if (!facts.tenantId || !sameId(facts.tenantId, team.tenantId)) return { outcome: 'refuse', reason: 'other_tenant' };
  if (!facts.aadObjectId || !AAD_OBJECT_ID.test(facts.aadObjectId) || !facts.userId) return { outcome: 'refuse', reason: 'no_identity' };
  const clinicianId = facts.aadObjectId.toLowerCase();
  switch (facts.conversationType) {
    case 'personal':
      return { outcome: 'check_membership', clinicianId, userId: facts.userId, place: 'personal' };
    case 'channel':
      if (!facts.teamId || facts.teamId !== team.teamId) return { outcome: 'refuse', reason: 'other_team' };
      return { outcome: 'check_membership', clinicianId, userId: facts.userId, place: 'channel' };
    default:
      // Group chats mix people of any kind: nothing clinical is said there.
      return { outcome: 'refuse', reason: 'group_chat' };
  }
}

/** Tenant ids are GUIDs: compared without regard to case. */
function sameId(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Links between a person and a clinician

/** Stored in the person's partition (`people/<personKey>/clinicianLink`): the truth about the link. */
export interface PersonLinkRecord {
  readonly kind: 'clinicianLink';
  readonly schemaVersion: 1;
  readonly personId: string;
  readonly clinicianId: string;
  readonly linkedAt: string;
  /** The person's Bot Framework user-state key, to re-check their consent at read time. */
  readonly userStateKey?: string;
}

/** Stored in the clinician's partition (`people/clinician/<id>/<personId>`): a look-up hint only. */
export interface ClinicianIndexRecord {
  readonly kind: 'clinicianIndex';
  readonly schemaVersion: 1;
  readonly personId: string;
  readonly personKey: string;
  readonly clinicianId: string;
  readonly linkedAt: string;
}

/**
 * The one access rule: the person's own link names this clinician, for this pseudonym, and the
 * person still consents to share. The index entry alone never grants anything.
 */
export function mayClinicianSee(
  clinicianId: string,
  personId: string,
  link: Pick<PersonLinkRecord, 'clinicianId' | 'personId'> | undefined,
  shareConsent: boolean,
): boolean {
  return Boolean(link && shareConsent && link.clinicianId === clinicianId && link.personId === personId);
}

// ---------------------------------------------------------------------------------------------
// Pseudonymous ids as typed by clinicians

/** 'P-' + 12 upper-case hex, as made by pseudonymousPersonId; also read from "p-7a1c03e9b2d4" or "P 7A1C…". */
export function readPersonId(text: string): string | undefined {
  const match = /(?:^|[^A-Za-z0-9])[Pp][\s-]?([0-9A-Fa-f]{12})(?![0-9A-Za-z])/.exec(text);
  return match ? `P-${match[1].toUpperCase()}` : undefined;
}

export function isPersonId(value: unknown): value is string {
  return typeof value === 'string' && /^P-[0-9A-F]{12}$/.test(value);
}
