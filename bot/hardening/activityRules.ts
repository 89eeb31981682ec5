/**
 * Checks on an inbound activity beyond bot/activitySchema.ts (which stays the first word on the
 * required fields). These are the shapes the fuzz test found reaching the SDK or our handlers
 * and ending in a turn error (members lists holding null, ids that are objects, ids with control
 * characters or lone surrogates that the connector cannot put in a URL or a header…), plus one
 * safety rule: a request without credentials may only name a loopback serviceUrl.
 *
 * Why the serviceUrl rule: without `deliveryMode: expectReplies` the SDK POSTs its replies to the
 * activity's serviceUrl. With app credentials the token's claims pin it to the channel; in local
 * mode (no credentials) anyone could make the bot send requests (with the person's replies) to any
 * address, and a dead address holds the turn for ~12 s of retries. Requests carrying an
 * Authorization header are left to the SDK, which refuses a bad token with 401.
 *
 * Plain code rather than zod: it runs on every message and must stay in the microseconds.
 */

export type RuleCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const ACTIVITY_TYPE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
/** Control characters (C0, DEL, C1) and lone surrogates: never in a channel's ids. */
const ILL_FORMED_ID = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** The connector carries the conversation id in an HTTP header (x-ms-conversation-id) when it pushes replies. */
const HEADER_SAFE = /^[\x20-\x7e]*$/;
const LOCALE = /^[A-Za-z0-9_-]{0,64}$/;
const DELIVERY_MODES = new Set(['normal', 'notification', 'expectReplies', 'ephemeral']);
const MAX_MEMBERS = 256;
const MAX_LIST = 64;
const MAX_VALUE_DEPTH = 64;

export interface RuleContext {
  /** The request carries an Authorization header (the SDK will verify it). */
  readonly hasCredentials: boolean;
}

export function checkActivityRules(body: unknown, context: RuleContext): RuleCheck {
  if (!isObject(body)) return OK; // bot/activitySchema.ts answers this one
  const a = body;
  if (typeof a.type === 'string' && !ACTIVITY_TYPE.test(a.type)) return bad('type must be a word such as "message"');
  if (a.deliveryMode !== undefined && !(typeof a.deliveryMode === 'string' && DELIVERY_MODES.has(a.deliveryMode))) {
    return bad('deliveryMode must be normal, notification, expectReplies or ephemeral');
  }
  if (a.locale !== undefined && !(typeof a.locale === 'string' && LOCALE.test(a.locale))) return bad('locale must be a language tag such as fr-CA');
  if (typeof a.serviceUrl === 'string') {
    const url = parseUrl(a.serviceUrl);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return bad('serviceUrl must be an http(s) URL');
    if (!context.hasCredentials && !isLoopback(url.hostname)) return bad('without credentials, serviceUrl must be a loopback address');
  }
  for (const field of ['id', 'replyToId', 'timestamp', 'localTimestamp', 'name', 'textFormat', 'inputHint', 'action'] as const) {
    if (a[field] !== undefined && a[field] !== null && typeof a[field] !== 'string') return bad(`${field} must be a string`);
  }
  for (const [name, value] of [['id', a.id], ['replyToId', a.replyToId], ['conversation.id', (a.conversation as { id?: unknown } | undefined)?.id], ['from.id', (a.from as { id?: unknown } | undefined)?.id], ['recipient.id', (a.recipient as { id?: unknown } | undefined)?.id]] as const) {
    if (typeof value === 'string' && ILL_FORMED_ID.test(value)) return bad(`${name} holds control characters or ill-formed unicode`);
  }
  const conversationId = (a.conversation as { id?: unknown } | undefined)?.id;
  if (a.deliveryMode !== 'expectReplies' && typeof conversationId === 'string' && !HEADER_SAFE.test(conversationId)) {
    return bad('conversation.id must be printable ASCII unless deliveryMode is expectReplies (replies are pushed with it in a header)');
  }
  for (const field of ['from', 'recipient'] as const) {
    const account = a[field];
    if (isObject(account)) {
      const problem = accountProblem(account);
      if (problem) return bad(`${field}.${problem}`);
    }
  }
  if (isObject(a.conversation)) {
    const c = a.conversation;
    for (const field of ['tenantId', 'conversationType', 'name'] as const) {
      if (c[field] !== undefined && c[field] !== null && typeof c[field] !== 'string') return bad(`conversation.${field} must be a string`);
    }
    if (c.isGroup !== undefined && c.isGroup !== null && typeof c.isGroup !== 'boolean') return bad('conversation.isGroup must be true or false');
  }
  for (const field of ['membersAdded', 'membersRemoved'] as const) {
    const members = a[field];
    if (members === undefined || members === null) continue;
    if (!Array.isArray(members) || members.length > MAX_MEMBERS) return bad(`${field} must be a list of at most ${MAX_MEMBERS} accounts`);
    for (const member of members) {
      if (!isObject(member) || typeof member.id !== 'string' || member.id.length === 0 || member.id.length > 1024) return bad(`${field} must hold accounts with an id`);
      const problem = accountProblem(member);
      if (problem) return bad(`${field}: ${problem}`);
    }
  }
  for (const field of ['reactionsAdded', 'reactionsRemoved', 'entities', 'attachments'] as const) {
    const list = a[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || list.length > MAX_LIST || !list.every(isObject)) return bad(`${field} must be a list of at most ${MAX_LIST} objects`);
  }
  if (Array.isArray(a.attachments)) {
    for (const attachment of a.attachments as Record<string, unknown>[]) {
      for (const field of ['contentUrl', 'name', 'thumbnailUrl'] as const) {
        if (attachment[field] !== undefined && attachment[field] !== null && typeof attachment[field] !== 'string') return bad(`attachments: ${field} must be a string`);
      }
    }
  }
  if (a.channelData !== undefined && a.channelData !== null && !isObject(a.channelData)) return bad('channelData must be an object');
  // The SDK reads an invoke's value as an object (adaptiveCard/action with a number: TypeError in
  // ActivityHandler.getAdaptiveCardInvokeValue); every channel sends one.
  if (a.type === 'invoke' && a.value !== undefined && a.value !== null && !isObject(a.value)) return bad('an invoke value must be an object');
  if (a.value !== undefined && depthOver(a.value, MAX_VALUE_DEPTH)) return bad(`value is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (a.channelData !== undefined && depthOver(a.channelData, MAX_VALUE_DEPTH)) return bad(`channelData is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  return OK;
}

const OK: RuleCheck = { ok: true };

function bad(reason: string): RuleCheck {
  return { ok: false, reason: `invalid activity: ${reason}` };
}

function accountProblem(account: Record<string, unknown>): string | undefined {
  if (account.id !== undefined && typeof account.id !== 'string') return 'id must be a string';
  for (const field of ['name', 'role', 'aadObjectId'] as const) {
    if (account[field] !== undefined && account[field] !== null && typeof account[field] !== 'string') return `${field} must be a string`;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Iterative, so a hostile nesting cannot overflow the stack here. */
function depthOver(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
