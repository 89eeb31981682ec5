import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type { Config } from './config';
import type { Logger } from './observability/logger';
import { errorKind } from './observability/logger';
import { turnLogger } from './hardening/correlation';

/**
 * The CloudAdapter, with credentials from config. Without an app id it runs in local mode: the
 * SDK then accepts unauthenticated requests, which start-up announces loudly.
 */
export function createAdapter(config: Config, logger: Logger, onTurnErrorReply: (context: TurnContext, error: unknown) => Promise<void>): CloudAdapter {
  const credentials: ConfigurationBotFrameworkAuthenticationOptions = config.credentials
    ? {
        MicrosoftAppId: config.credentials.appId,
        MicrosoftAppPassword: config.credentials.appPassword,
        MicrosoftAppType: config.credentials.appType,
        MicrosoftAppTenantId: config.credentials.tenantId,
      }
    : {};
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(credentials));
  adapter.onTurnError = async (context, error) => {
    const log = turnLogger(context, logger);
    log.error('turn_failed', { error: errorKind(error), activityType: context.activity.type, channel: context.activity.channelId });
    try {
      await onTurnErrorReply(context, error);
    } catch (replyError) {
      log.error('turn_error_reply_failed', { error: errorKind(replyError) });
    }
  };
  return adapter;
}
