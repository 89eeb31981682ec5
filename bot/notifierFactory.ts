import { ConsoleNotifier } from '../adapters/notify/consoleNotifier';
import { escalationCardLabelsFor } from '../adapters/notify/escalationCardLabels';
import { TeamsNotifier, type ProactiveAdapter } from '../adapters/notify/teamsNotifier';
import { WebhookNotifier } from '../adapters/notify/webhookNotifier';
import type { EscalationNotifier } from '../core/ports/notifier';
import type { Config } from './config';

/**
 * Where escalations go. Primary: the Teams on-call channel when configured, else the signed
 * webhook, else (local mode) one line on the console. Backup (fallbacks and unacknowledged
 * reminders): the Teams backup channel, else the webhook, else the console, so a failing primary is
 * always seen by someone.
 */
export function createNotifiers(config: Config, adapter: ProactiveAdapter): { primary: EscalationNotifier; backup: EscalationNotifier } {
  const console = new ConsoleNotifier();
  const { webhook, teams } = config.escalation;
  const webhookNotifier = webhook ? new WebhookNotifier({ url: webhook.url, secret: webhook.secret }) : undefined;
  if (teams && config.credentials) {
    const reference = (channelId: string) => ({
      serviceUrl: teams.serviceUrl,
      channelId: 'msteams',
      conversation: { id: channelId, isGroup: true, conversationType: 'channel', tenantId: teams.tenantId, name: '' },
    });
    const teamsNotifier = new TeamsNotifier({
      adapter,
      botAppId: config.credentials.appId,
      primary: reference(teams.oncallChannelId),
      backup: teams.backupChannelId ? reference(teams.backupChannelId) : undefined,
      labels: (escalation) => escalationCardLabelsFor(escalation.locale),
    });
    return { primary: teamsNotifier, backup: teams.backupChannelId ? teamsNotifier : (webhookNotifier ?? console) };
  }
  if (webhookNotifier) return { primary: webhookNotifier, backup: console };
  return { primary: console, backup: console };
}
