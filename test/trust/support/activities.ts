/** Activities for the trust tests, sent over real HTTP with deliveryMode expectReplies. */
import type { HttpResult, LoopbackClient } from '../../../bench/loadClient';

let sequence = 0;

export interface Ids {
  readonly conversationId: string;
  readonly userId: string;
}

export function messageActivity(text: string, ids: Ids, extra: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return {
    type: 'message',
    id: `trust-${sequence}`,
    text,
    channelId: 'test',
    serviceUrl: 'http://127.0.0.1:9/unused',
    conversation: { id: ids.conversationId },
    from: { id: ids.userId },
    recipient: { id: 'petits-pas-bot' },
    locale: 'fr-CA',
    deliveryMode: 'expectReplies',
    ...extra,
  };
}

export interface Reply {
  readonly type: string;
  readonly text?: string;
  readonly name?: string;
  readonly suggestedActions?: { actions: Array<{ title: string }> };
}

export function repliesOf(result: HttpResult): Reply[] {
  try {
    return ((JSON.parse(result.body) as { activities?: Reply[] }).activities ?? []) as Reply[];
  } catch {
    return [];
  }
}

export const textOf = (replies: Reply[]) => replies.filter((r) => r.type === 'message').map((r) => r.text ?? '').join('\n');

export async function say(client: LoopbackClient, text: string, ids: Ids, extra: Record<string, unknown> = {}): Promise<{ status: number; replies: Reply[]; text: string; result: HttpResult }> {
  const result = await client.postJson('/api/messages', messageActivity(text, ids, extra));
  const replies = repliesOf(result);
  return { status: result.status, replies, text: textOf(replies), result };
}

export const ONBOARDING = ['bonjour', 'Français', "J'accepte", 'Oui, je partage', 'Oui, heure du Québec', 'Aucune'] as const;

/** Takes a new person through onboarding in French, consenting to both purposes. */
export async function onboard(client: LoopbackClient, ids: Ids): Promise<void> {
  for (const text of ONBOARDING) {
    const { status } = await say(client, text, ids);
    if (status !== 200) throw new Error(`onboarding step "${text}" answered ${status}`);
  }
}

export const CRISIS_LINES = ['911', 'APPELLE', '535353'];
export const hasCrisisLines = (text: string) => CRISIS_LINES.every((line) => text.includes(line));
