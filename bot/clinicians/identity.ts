/**
 * Is the sender of this turn a clinician? Facts from the Teams activity (tenant, team, conversation
 * type, AAD object id), the pure gate of core/clinicians/access, then the team membership through a
 * small port (TeamsInfo.getTeamMember in production, a fake in tests), cached briefly.
 */
import { TeamsInfo, TurnContext, type Activity } from 'botbuilder';
import { gateClinicianTurn, type ClinicianRefusal, type ClinicianTeam, type TeamsTurnFacts } from '../../core/clinicians/access';

export type MembershipAnswer = 'member' | 'not_member' | 'unavailable';

/** The membership port. */
export interface TeamMembership {
  check(context: TurnContext, teamId: string, user: { readonly userId: string; readonly aadObjectId: string; readonly tenantId: string }): Promise<MembershipAnswer>;
}

/**
 * Asks Teams: GET /v3/conversations/{teamId}/members/{userId}. 404 (or MemberNotFoundInConversation)
 * is "not a member"; the member returned must carry the same AAD object id and tenant. Anything
 * else (network, 5xx, throttling) is "unavailable": the caller refuses for now, changing nothing.
 */
export class TeamsInfoMembership implements TeamMembership {
  async check(context: TurnContext, teamId: string, user: { userId: string; aadObjectId: string; tenantId: string }): Promise<MembershipAnswer> {
    try {
      const member = await TeamsInfo.getTeamMember(context, teamId, user.userId);
      if (!member || typeof member.aadObjectId !== 'string' || member.aadObjectId.toLowerCase() !== user.aadObjectId.toLowerCase()) return 'not_member';
      if (member.tenantId && member.tenantId.toLowerCase() !== user.tenantId.toLowerCase()) return 'not_member';
      return 'member';
    } catch (error) {
      const e = (error ?? {}) as { statusCode?: unknown; status?: unknown; code?: unknown };
      const status = [e.statusCode, e.status].find((s): s is number => typeof s === 'number');
      if (status === 404 || status === 403 || e.code === 'MemberNotFoundInConversation' || e.code === 'NotFound') return 'not_member';
      return 'unavailable';
    }
  }
}

/**
 * Remembers answers per (team, AAD id): members for `memberTtlMs` (default 10 min), non-members
 * for `nonMemberTtlMs` (default 1 min), "unavailable" never. Someone removed from the team loses
 * access within the member TTL.
 */
export class CachedMembership implements TeamMembership {
  private readonly cache = new Map<string, { answer: MembershipAnswer; until: number }>();
  private readonly memberTtlMs: number;
  private readonly nonMemberTtlMs: number;
  private readonly maxEntries: number;
  private readonly clock: () => number;

  constructor(
    private readonly inner: TeamMembership,
    options: { memberTtlMs?: number; nonMemberTtlMs?: number; maxEntries?: number; clock?: () => number } = {},
  ) {
    this.memberTtlMs = options.memberTtlMs ?? 10 * 60_000;
    this.nonMemberTtlMs = options.nonMemberTtlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 2_000;
    this.clock = options.clock ?? Date.now;
  }

  async check(context: TurnContext, teamId: string, user: { userId: string; aadObjectId: string; tenantId: string }): Promise<MembershipAnswer> {
    const key = `${teamId}\u0000${user.tenantId.toLowerCase()}\u0000${user.aadObjectId.toLowerCase()}`;
    const now = this.clock();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.answer;
    const answer = await this.inner.check(context, teamId, user);
    if (answer !== 'unavailable') {
      this.cache.delete(key);
      this.cache.set(key, { answer, until: now + (answer === 'member' ? this.memberTtlMs : this.nonMemberTtlMs) });
      if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    }
    return answer;
  }

  /** Forget everything (e.g. after a change of team configuration). */
  clear(): void {
    this.cache.clear();
  }
}

/** The facts the gate needs, from an activity (missing fields stay missing). */
export function teamsFactsOf(activity: Partial<Activity>): TeamsTurnFacts {
  const channelData = (activity.channelData ?? {}) as { tenant?: { id?: unknown }; team?: { id?: unknown } };
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  return {
    channelId: activity.channelId,
    tenantId: text(channelData.tenant?.id) ?? text(activity.conversation?.tenantId),
    teamId: text(channelData.team?.id),
    conversationType: text(activity.conversation?.conversationType),
    aadObjectId: text(activity.from?.aadObjectId),
    userId: text(activity.from?.id),
  };
}

export interface Clinician {
  /** AAD object id, lower case. */
  readonly id: string;
  /** Display name Teams sends (shown on acknowledged cards; never logged). */
  readonly name: string;
  readonly place: 'personal' | 'channel';
}

export type IdentifyResult = { readonly ok: true; readonly clinician: Clinician } | { readonly ok: false; readonly reason: ClinicianRefusal };

/** The sender as a clinician of the configured team, or why not. */
export async function identifyClinician(context: TurnContext, team: ClinicianTeam | undefined, membership: TeamMembership): Promise<IdentifyResult> {
  const facts = teamsFactsOf(context.activity);
  const gate = gateClinicianTurn(facts, team);
  if (gate.outcome === 'refuse' || !team) return { ok: false, reason: gate.outcome === 'refuse' ? gate.reason : 'other_tenant' };
  const answer = await membership.check(context, team.teamId, { userId: gate.userId, aadObjectId: gate.clinicianId, tenantId: team.tenantId });
  if (answer !== 'member') return { ok: false, reason: answer === 'unavailable' ? 'unavailable' : 'not_member' };
  const name = (context.activity.from?.name ?? '').replace(/\s+/g, ' ').trim().slice(0, 80);
  return { ok: true, clinician: { id: gate.clinicianId, name, place: gate.place } };
}

/** The message text without the bot's @mention (channel messages start with "<at>Petits pas</at>"). */
export function commandTextOf(context: TurnContext): string {
  const activity = context.activity;
  let text = typeof activity.text === 'string' ? activity.text : '';
  if (activity.entities?.some((e) => e.type === 'mention')) {
    text = TurnContext.removeRecipientMention(activity as Activity) ?? text;
  }
  // Teams may leave the mention markup when the entity's text differs in spacing.
  return text.replace(/<at>[^<]{0,100}<\/at>/gi, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
}
