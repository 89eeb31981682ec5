import { z } from 'zod';

/**
 * The shape an inbound activity must have before the SDK sees it. The SDK's own checks answer
 * some bad bodies with a 500 or a console warning; we want a plain 400 and a reason, always.
 */
const id = z.string().min(1).max(1024);
const account = z.looseObject({ id, name: z.string().max(1024).optional() });

export const inboundActivitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(1024).optional(),
  channelId: z.string().min(1).max(128),
  serviceUrl: z.string().min(1).max(2048),
  conversation: z.looseObject({ id }),
  from: account,
  recipient: account.optional(),
  text: z.string().max(200_000).optional(),
  locale: z.string().max(64).optional(),
  deliveryMode: z.string().max(32).optional(),
  attachments: z.array(z.looseObject({ contentType: z.string().max(256) })).max(50).optional(),
  value: z.unknown().optional(),
});

export type ActivityCheck = { ok: true } | { ok: false; reason: string };

export function checkInboundActivity(body: unknown): ActivityCheck {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, reason: 'the body must be a JSON object (a Bot Framework activity)' };
  }
  const parsed = inboundActivitySchema.safeParse(body);
  if (parsed.success) return { ok: true };
  const first = parsed.error.issues[0];
  return { ok: false, reason: `invalid activity: ${first.path.join('.') || 'body'} ${first.message}` };
}
