import { TurnContext, type Middleware } from 'botbuilder';
import type { ConversationReferenceStore } from '../../adapters/proactive/conversationReference';
import { errorKind, type Logger } from '../observability/logger';
import { turnLogger } from '../hardening/correlation';
import { personKeyOf } from '../turnKeys';

/**
 * Keeps the person's conversation reference fresh (service URL, tenant, conversation, locale) so
 * check-ins and crisis follow-ups can reach them. In the background: a slow store never delays
 * a reply, and a failure only means the next turn tries again.
 */
export class ReferenceMiddleware implements Middleware {
  constructor(
    private readonly references: ConversationReferenceStore,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type === 'message' && context.activity.conversation?.id && context.activity.serviceUrl) {
      const reference = TurnContext.getConversationReference(context.activity);
      const log = turnLogger(context, this.logger);
      void this.references.refresh(personKeyOf(context), reference).catch((error: unknown) => log.warn('reference_refresh_failed', { error: errorKind(error) }));
    }
    await next();
  }
}
