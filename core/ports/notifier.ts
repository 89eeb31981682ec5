/**
 * The notifier port: how an escalation reaches a human (Teams channel card, webhook, console in
 * local mode). Implementations never throw for delivery problems: they say whether a retry can help,
 * so the outbox decides between backoff and the backup destination.
 */
import type { Destination, Escalation } from '../escalation/escalation';

export interface EscalationMessage {
  /** 'alert' the first time, 'reminder' when unacknowledged, 'followup' for a later check on the person. */
  readonly kind: 'alert' | 'reminder' | 'followup';
  readonly escalation: Escalation;
  /** 'backup': the second channel (fallback after a refusal, and reminders). */
  readonly destination: Destination;
  /** 1, 2, … for reminders: each reminder is its own event for idempotent receivers. */
  readonly sequence?: number;
}

export type DeliveryResult =
  | { readonly delivered: true; readonly channelMessageId?: string }
  /** `reason`: a status code or error kind, never personal data (it is stored and logged). */
  | { readonly delivered: false; readonly retryable: boolean; readonly reason: string };

export interface EscalationNotifier {
  readonly name: string;
  deliver(message: EscalationMessage): Promise<DeliveryResult>;
}
