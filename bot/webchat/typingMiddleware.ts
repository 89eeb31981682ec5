import { ActivityTypes, DeliveryModes, TurnContext, type Middleware } from 'botbuilder';
import { errorKind, type Logger } from '../observability/logger';
import { turnLogger } from '../hardening/correlation';

/**
 * Sends one typing activity at the start of a message turn, so Web Chat (and Teams) shows that
 * Petits pas is working on an answer; the channel hides it when the answer arrives.
 *
 * Why not botbuilder's ShowTypingMiddleware: it sends after a delay and then every `period` until
 * the turn ends, from a timer — with `deliveryMode: expectReplies` those typing activities land in
 * the HTTP response body among the real replies, and a timer can fire while the turn is closing.
 * This one sends once, before the turn's replies (so they cannot overtake it), never for
 * expectReplies, bounded in time, and a failure to send it never fails the turn.
 *
 * Register it after the safety middleware: the crisis path must not wait on anything.
 */
export interface TypingMiddlewareOptions {
  /** Channels to send typing on; all channels when omitted. */
  readonly channels?: readonly string[];
  /** Longest wait for the typing send before the turn goes on regardless. */
  readonly maxWaitMs?: number;
}

export class TypingMiddleware implements Middleware {
  constructor(
    private readonly logger: Logger,
    private readonly options: TypingMiddlewareOptions = {},
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (this.wanted(context)) await this.sendTyping(context);
    await next();
  }

  private wanted(context: TurnContext): boolean {
    const activity = context.activity;
    if (activity.type !== ActivityTypes.Message) return false;
    if (activity.deliveryMode === DeliveryModes.ExpectReplies) return false;
    return !this.options.channels || this.options.channels.includes(activity.channelId);
  }

  private async sendTyping(context: TurnContext): Promise<void> {
    const reference = TurnContext.getConversationReference(context.activity);
    const typing = TurnContext.applyConversationReference({ type: ActivityTypes.Typing }, reference);
    // Straight to the adapter: not through other middleware's send hooks, and the turn does not
    // count as "responded".
    const send = context.adapter.sendActivities(context, [typing]).then(
      () => undefined,
      (error: unknown) => turnLogger(context, this.logger).warn('typing_failed', { error: errorKind(error), channel: context.activity.channelId }),
    );
    let timer: NodeJS.Timeout | undefined;
    const maxWait = new Promise<void>((done) => {
      timer = setTimeout(done, this.options.maxWaitMs ?? 1500);
    });
    await Promise.race([send, maxWait]).finally(() => clearTimeout(timer));
  }
}
