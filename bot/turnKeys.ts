import type { TurnContext } from 'botbuilder';
import type { PersonRef } from '../core/ports/personData';

/**
 * Stable keys for a turn's person and conversation, scoped by channel so ids from two channels
 * never collide. These keys are internal; clinicians only ever see pseudonymous ids.
 */
export function personKeyOf(context: TurnContext): string {
  const from = context.activity.from ?? { id: 'unknown' };
  const id = (from as { aadObjectId?: string }).aadObjectId ?? from.id;
  return `${context.activity.channelId ?? 'unknown'}/${id}`;
}

export function conversationKeyOf(context: TurnContext): string {
  return `${context.activity.channelId ?? 'unknown'}/${context.activity.conversation?.id ?? 'unknown'}`;
}

/** Every key under which this turn's person and conversation have data (for export and erasure). */
export function personRefOf(context: TurnContext): PersonRef {
  const channel = context.activity.channelId ?? 'unknown';
  return {
    personKey: personKeyOf(context),
    // Bot Framework's own state keys (UserState / ConversationState with the default namespace).
    userStateKey: `${channel}/users/${context.activity.from?.id ?? 'unknown'}/`,
    conversationStateKey: `${channel}/conversations/${context.activity.conversation?.id ?? 'unknown'}/`,
    conversationKey: conversationKeyOf(context),
  };
}
