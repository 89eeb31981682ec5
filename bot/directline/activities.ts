import { z } from 'zod';

/**
 * What the local Direct Line accepts, from the page (a client activity) and from the bot (a
 * Bot Connector activity). Client activities are rebuilt from a short list of fields: the sender,
 * conversation, channel and service URL always come from the server, never from the client.
 */
const shortText = (max: number) => z.string().max(max);

const clientActivitySchema = z.looseObject({
  type: z.enum(['message', 'event', 'typing'], { message: 'must be message, event or typing' }),
  text: z.string().optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: shortText(64).optional(),
  localTimezone: shortText(64).optional(),
  localTimestamp: shortText(64).optional(),
  name: shortText(256).optional(),
  value: z.unknown().optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  entities: z.array(z.looseObject({ type: shortText(256) })).max(20).optional(),
  attachments: z.array(z.unknown()).max(0, { message: 'are not supported by the local Direct Line' }).optional(),
});

export type ClientActivityCheck =
  | { ok: true; activity: Record<string, unknown> }
  | { ok: false; status: 400 | 413; code: 'BadArgument' | 'MessageTooLong'; message: string };

const FORWARDED = ['type', 'text', 'textFormat', 'locale', 'localTimezone', 'localTimestamp', 'name', 'value', 'channelData', 'entities'] as const;

export function checkClientActivity(body: unknown, maxMessageChars: number): ClientActivityCheck {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, status: 400, code: 'BadArgument', message: 'the body must be a JSON activity' };
  }
  const parsed = clientActivitySchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, status: 400, code: 'BadArgument', message: `invalid activity: ${first.path.join('.') || 'body'} ${first.message}` };
  }
  if ((parsed.data.text?.length ?? 0) > maxMessageChars) {
    return { ok: false, status: 413, code: 'MessageTooLong', message: `the text is longer than ${maxMessageChars} characters` };
  }
  const activity: Record<string, unknown> = {};
  for (const field of FORWARDED) {
    if (parsed.data[field] !== undefined) activity[field] = parsed.data[field];
  }
  return { ok: true, activity };
}

const connectorActivitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  text: z.string().max(200_000).optional(),
});

export type ConnectorActivityCheck = { ok: true; activity: Record<string, unknown> } | { ok: false; message: string };

/** An activity the bot sends through the Bot Connector API (a reply, a proactive message, typing). */
export function checkConnectorActivity(body: unknown): ConnectorActivityCheck {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, message: 'the body must be a JSON activity' };
  const parsed = connectorActivitySchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, message: `invalid activity: ${first.path.join('.') || 'body'} ${first.message}` };
  }
  // The service URL is ours and of no use to the page; ids and timestamps are assigned on storing.
  const { serviceUrl: _serviceUrl, id: _id, timestamp: _timestamp, ...activity } = parsed.data as Record<string, unknown>;
  return { ok: true, activity };
}
