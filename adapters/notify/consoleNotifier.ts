/**
 * Local mode with no channel configured: an escalation becomes ONE line on stderr, so a developer
 * running the bot sees it at once. Identifiers, level and categories only — never the excerpt or
 * any of the person's words (terminals get copied into tickets and logs).
 */
import type { DeliveryResult, EscalationMessage, EscalationNotifier } from '../../core/ports/notifier';

export class ConsoleNotifier implements EscalationNotifier {
  readonly name = 'console';

  constructor(private readonly write: (line: string) => void = (line) => process.stderr.write(line)) {}

  async deliver(message: EscalationMessage): Promise<DeliveryResult> {
    const e = message.escalation;
    // Category ids are ours, but they are echoed defensively as [a-z0-9_-] only.
    const categories = e.categories.map((c) => c.replace(/[^A-Za-z0-9_-]/g, '')).filter(Boolean).join(',') || '-';
    const parts = [
      '[petits-pas] ESCALATION',
      message.kind + (message.sequence ? `#${message.sequence}` : ''),
      `level=${e.level}`,
      `categories=${categories}`,
      `person=${e.personId}`,
      `id=${e.id}`,
      `target=${e.target.kind}`,
      `destination=${message.destination}`,
    ];
    this.write(`${parts.join(' ')}\n`);
    return { delivered: true };
  }
}
