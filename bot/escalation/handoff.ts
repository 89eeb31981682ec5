/**
 * The "handoff.initiate" event for agent hubs (e.g. Omnichannel) that route a conversation to a
 * human. Teams and Azure Bot Service do nothing with it on their own (see STACK-NOTES): clinician
 * alerts there are the outbox's cards; this event is an extra for channels behind an agent hub.
 *
 * The handoff context carries ids, level and categories only. A transcript, when the caller passes
 * one, is the person's conversation: pass it only to a hub that is allowed to receive it.
 */
import { EventFactory, type Activity, type Transcript, type TurnContext } from 'botbuilder';
import type { Escalation } from '../../core/escalation/escalation';

export interface HandoffContext {
  readonly escalationId: string;
  readonly level: Escalation['level'];
  readonly categories: readonly string[];
}

export function buildHandoffInitiation(
  context: TurnContext,
  escalation: Pick<Escalation, 'id' | 'level' | 'categories'>,
  transcript?: Transcript,
): Activity {
  const handoffContext: HandoffContext = { escalationId: escalation.id, level: escalation.level, categories: [...escalation.categories] };
  return EventFactory.createHandoffInitiation<HandoffContext>(context, handoffContext, transcript);
}
