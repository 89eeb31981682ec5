/**
 * A seeded generator of hostile and odd requests for POST /api/messages (and a few other routes).
 * Same seed, same requests: a failure names its index and can be replayed.
 */
import type { OutgoingHttpHeaders } from 'node:http';

export interface FuzzRequest {
  readonly index: number;
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
}

export type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const chance = (rng: Rng, p: number) => rng() < p;

const PIECES = [
  '\ud800', '\udfff', '\udc00x', '\ud83d', 'x\ud83d', // lone surrogates
  '\u202e', '\u202d', '\u2066', '\u200f', 'שלום', 'مرحبا', // bidi, RTL
  '\u200b', '\u200c', '\u200d', '\ufeff', '\u2060', // zero-width
  '😀', '👨‍👩‍👧‍👦', '🏳️‍⚧️', '🇨🇦', '✔', '\u{1F600}'.repeat(3), // emoji
  'e\u0301', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', 'é', 'ç', 'œ', '«', '»', // combining, French
  '\u0000', '\u0001', '\u0007', '\u001b[31m', '\r\n', '\t', '\u0085', '\u2028', '\u2029', '\uffff', '\ufffd', // control, separators
  '%s%n%x', '${process.exit()}', '{{constructor}}', '<script>alert(1)</script>', "'; DROP TABLE x; --", '../../etc/passwd', '\\\\server\\share', 'C:\\con\\nul',
  'menu', 'Menu', 'aide', 'urgence', 'annuler', 'oublie-moi', 'Français', "J'accepte", 'Oui', 'non', '1', '7', 'Reprendre',
  'je veux mourir', "j'ai une corde", 'ce trafic me tue', 'I want to die', 'kms lol', 'chu pu capable',
  ' ', '', '\n\n\n', 'a'.repeat(100),
];

export function oddText(rng: Rng): string {
  if (chance(rng, 0.03)) return pick(rng, PIECES).repeat(10_000).slice(0, int(rng, 5_000, 12_000)); // ~10k chars
  let out = '';
  const parts = int(rng, 1, 12);
  for (let i = 0; i < parts; i++) out += pick(rng, PIECES) + (chance(rng, 0.3) ? ' ' : '');
  return out;
}

const ACTIVITY_TYPES = ['message', 'conversationUpdate', 'event', 'invoke', 'typing', 'messageReaction', 'installationUpdate', 'endOfConversation', 'deleteUserData', 'trace', 'handoff', 'messageUpdate', 'messageDelete', 'suggestion', 'command', 'zzzUnknown', 'Message', 'MESSAGE'];
const LOCALES = ['fr-CA', 'en-CA', 'en-US', 'fr', 'en', 'es-MX', 'fr-FR', '', 'xx', 'zh-Hant-TW', 'EN-ca', 'fr_CA', 'a'.repeat(64)];
const CHANNELS = ['test', 'msteams', 'directline', 'webchat', 'emulator', 'slack', 'x'];

/** encodeURIComponent, except that lone surrogates become a percent-encoded invalid UTF-8 sequence (the server must cope). */
function uriPart(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[^]/gu, (ch) => (ch.length === 1 && /[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch)));
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** An activity that the schema accepts (most of the time) with odd contents. */
function oddActivity(rng: Rng, index: number, sinkUrl: string, conversationPool: number): Record<string, unknown> {
  const conversationId = chance(rng, 0.5) ? `fuzz-pool-${int(rng, 0, conversationPool - 1)}` : chance(rng, 0.75) ? `fuzz-${index}` : `fuzz-${oddText(rng).slice(0, 300) || 'x'}-${index}`;
  const userId = chance(rng, 0.85) ? `user-${conversationId}` : `u-${oddText(rng).slice(0, 100) || 'y'}`;
  const expectReplies = chance(rng, 0.85);
  const activity: Record<string, unknown> = {
    type: chance(rng, 0.7) ? 'message' : pick(rng, ACTIVITY_TYPES),
    id: chance(rng, 0.9) ? `fuzz-activity-${index}` : undefined,
    text: chance(rng, 0.9) ? oddText(rng) : undefined,
    channelId: chance(rng, 0.8) ? 'test' : pick(rng, CHANNELS),
    // Replies without expectReplies go to a local sink: nothing leaves the machine.
    serviceUrl: expectReplies && chance(rng, 0.5) ? 'http://127.0.0.1:9/unused' : sinkUrl,
    conversation: { id: conversationId, ...(chance(rng, 0.1) ? { isGroup: chance(rng, 0.5), conversationType: pick(rng, ['personal', 'channel', 'groupChat']), tenantId: 'tenant-x' } : {}) },
    from: { id: userId, ...(chance(rng, 0.3) ? { name: oddText(rng).slice(0, 200) } : {}), ...(chance(rng, 0.05) ? { aadObjectId: `aad-${index}` } : {}) },
    recipient: { id: 'petits-pas-bot' },
    locale: chance(rng, 0.9) ? pick(rng, LOCALES) : undefined,
    deliveryMode: expectReplies ? 'expectReplies' : chance(rng, 0.5) ? 'normal' : undefined,
  };
  if (activity.type === 'conversationUpdate' || chance(rng, 0.03)) {
    const members = [];
    for (let i = int(rng, 0, 5); i > 0; i--) members.push(pick(rng, [{ id: userId }, { id: 'petits-pas-bot' }, { id: oddText(rng).slice(0, 50) || 'm' }, { id: 'x', name: oddText(rng).slice(0, 50), role: 'user' }]));
    activity.membersAdded = members;
    if (chance(rng, 0.3)) activity.membersRemoved = [{ id: userId }];
  }
  if (activity.type === 'invoke' || activity.type === 'event') activity.name = pick(rng, ['adaptiveCard/action', 'task/fetch', 'composeExtension/query', 'signin/verifyState', 'handoff.status', oddText(rng).slice(0, 40)]);
  if (chance(rng, 0.15)) {
    // Card payloads: Action.Submit data, Action.Execute, imBack values, nested.
    activity.value = pick(rng, [
      { action: 'choose', choice: oddText(rng) },
      { action: { type: 'Action.Execute', verb: 'acknowledge', data: { escalationId: `E-${index}` } } },
      { msteams: { type: 'messageBack', text: oddText(rng) }, data: [1, 'two', { three: null }] },
      nested(int(rng, 1, 40)),
      oddText(rng),
      int(rng, -1e9, 1e9),
      null,
      [oddText(rng), { deep: [[[[[[]]]]]] }],
    ]);
    if (chance(rng, 0.5)) delete activity.text;
  }
  if (chance(rng, 0.08)) {
    activity.attachments = Array.from({ length: int(rng, 0, 4) }, () =>
      pick(rng, [
        { contentType: 'image/png', contentUrl: `${sinkUrl}/files/a.png`, name: oddText(rng).slice(0, 100) },
        { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: oddText(rng) }] } },
        { contentType: 'text/html', content: '<b>x</b>' },
        { contentType: 'application/vnd.microsoft.teams.file.download.info', content: { downloadUrl: `${sinkUrl}/f`, uniqueId: 'u' }, name: 'file.txt' },
      ]),
    );
  }
  if (chance(rng, 0.05)) activity.entities = [{ type: 'clientInfo', locale: pick(rng, LOCALES), timezone: pick(rng, ['America/Toronto', 'Mars/Olympus', '']) }];
  if (chance(rng, 0.05)) activity.channelData = { tenant: { id: 'tenant-x' }, clientActivityID: `c-${index}`, odd: oddText(rng).slice(0, 100) };
  if (chance(rng, 0.02)) activity.timestamp = pick(rng, ['2026-11-23T12:00:00Z', 'not a date', '9999-99-99']);
  return activity;
}

/** Wrong types, missing fields, hostile keys: the edge must answer 400 (or treat it as a message). */
function brokenActivity(rng: Rng, index: number, sinkUrl: string): Record<string, unknown> {
  const activity = oddActivity(rng, index, sinkUrl, 40);
  const mutations: Array<() => void> = [
    () => delete activity.type,
    () => delete activity.conversation,
    () => delete activity.from,
    () => delete activity.channelId,
    () => delete activity.serviceUrl,
    () => (activity.text = pick(rng, [42, true, null, [], {}, ['menu'], { text: 'menu' }])),
    () => (activity.type = pick(rng, [42, null, '', 'a'.repeat(100), ['message'], 'message\u0000', 'mes sage'])),
    () => (activity.conversation = pick(rng, ['c', 42, null, [], { id: 42 }, { id: '' }, { id: 'x'.repeat(2000) }, { id: null }])),
    () => (activity.from = pick(rng, ['u', null, { id: 1 }, { id: '' }, { name: 'no id' }, { id: 'u', name: 42 }, { id: 'u', role: [] }])),
    () => (activity.recipient = pick(rng, [null, 'bot', { id: 7 }])),
    () => (activity.serviceUrl = pick(rng, ['', 'not a url', 'file:///etc/passwd', 'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data', 'javascript:alert(1)', 'http://[::1]:9/', 'gopher://127.0.0.1/', 42])),
    () => (activity.locale = pick(rng, [42, 'fr-CA\u0000', '\u202efr', 'x'.repeat(100), null])),
    () => (activity.deliveryMode = pick(rng, ['expectreplies', 'EXPECTREPLIES', 'carrier-pigeon', 42, ''])),
    () => (activity.membersAdded = pick(rng, [null, 'all', [null], [1, 2], [{}], [{ id: 5 }], Array.from({ length: 500 }, (_, i) => ({ id: `m${i}` }))])),
    () => (activity.attachments = pick(rng, ['a', [null], [{ contentType: 5 }], Array.from({ length: 100 }, () => ({ contentType: 'x' }))])),
    () => (activity.entities = pick(rng, ['e', [null], [1]])),
    () => (activity.channelData = pick(rng, ['cd', 42, [1]])),
    () => (activity.value = JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`)),
    () => Object.assign(activity, JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}')),
    () => (activity.conversation = JSON.parse('{"id": "proto-x", "__proto__": {"polluted": "yes"}}')),
    () => (activity.id = pick(rng, [42, {}, 'x'.repeat(2000)])),
  ];
  for (let i = int(rng, 1, 3); i > 0; i--) pick(rng, mutations)();
  return activity;
}

const MALFORMED = [
  '', ' ', 'null', 'true', '42', '"message"', '[]', '[{"type":"message"}]', '{', '}', '{"type":"message",', '{"type":"message"}}', '{"type":"message" "text":"x"}',
  "{'type':'message'}", '{"type":"message","text":"\\x41"}', '{"type":"message","text":"\\ud800"}', '{"text": NaN}', '{"a":1e999999}', '{"a":' + '1'.repeat(5000) + '}',
  '\ufeff{"type":"message"}', '{"type":"message"}\u0000', '{"__proto__":{"polluted":"yes"}}', '{"type":"message","text":"' + '\\"'.repeat(1000) + '"}', '{"a":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}',
];

export function generateFuzzRequest(rng: Rng, index: number, sinkUrl: string): FuzzRequest {
  const json = { 'content-type': 'application/json' };
  const roll = rng();
  if (roll < 0.4) return { index, kind: 'odd-activity', method: 'POST', path: '/api/messages', headers: json, body: JSON.stringify(oddActivity(rng, index, sinkUrl, 40)) };
  if (roll < 0.7) return { index, kind: 'broken-activity', method: 'POST', path: '/api/messages', headers: json, body: JSON.stringify(brokenActivity(rng, index, sinkUrl)) };
  if (roll < 0.82) return { index, kind: 'malformed-json', method: 'POST', path: '/api/messages', headers: json, body: pick(rng, MALFORMED) };
  if (roll < 0.86) {
    // Invalid UTF-8 and random bytes.
    const bytes = Buffer.alloc(int(rng, 1, 400));
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(rng, 0, 255);
    const prefix = Buffer.from('{"type":"message","text":"');
    return { index, kind: 'raw-bytes', method: 'POST', path: '/api/messages', headers: json, body: chance(rng, 0.5) ? Buffer.concat([prefix, bytes, Buffer.from('"}')]) : bytes };
  }
  if (roll < 0.875) {
    // Over the 256 KB limit.
    const activity = oddActivity(rng, index, sinkUrl, 40);
    activity.text = 'x'.repeat(int(rng, 262_145, 400_000));
    return { index, kind: 'oversized', method: 'POST', path: '/api/messages', headers: json, body: JSON.stringify(activity) };
  }
  if (roll < 0.93) {
    const activity = JSON.stringify(oddActivity(rng, index, sinkUrl, 40));
    const contentType = pick(rng, ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', 'application/json; charset=utf-16', '', 'application/octet-stream']);
    return { index, kind: 'content-type', method: 'POST', path: '/api/messages', headers: contentType ? { 'content-type': contentType } : {}, body: activity };
  }
  // Other routes and methods, with odd parameters.
  const route = pick(rng, [
    ['GET', '/api/messages'], ['PUT', '/api/messages'], ['DELETE', '/api/messages'], ['GET', `/api/export/${uriPart(oddText(rng).slice(0, 80))}`],
    ['GET', '/api/export/..%2F..%2Fetc%2Fpasswd'], ['GET', `/healthz?x=${uriPart(oddText(rng).slice(0, 50))}`], ['GET', `/?lang=${uriPart(oddText(rng).slice(0, 30))}`],
    ['POST', '/api/directline/token'], ['POST', '/v3/directline/conversations'], ['GET', '/v3/directline/conversations/x/activities?watermark=-1'],
    ['POST', '/v3/directline/conversations/x/activities'], ['GET', '/webchat/../../package.json'], ['OPTIONS', '/api/messages'], ['GET', '/%00'], ['GET', `/${'a/'.repeat(500)}`],
  ] as const);
  return { index, kind: `route ${route[0]} ${route[1].split('?')[0].slice(0, 30)}`, method: route[0], path: route[1], headers: { ...json, ...(chance(rng, 0.5) ? { authorization: pick(rng, ['Bearer x', 'Bearer ' + 'a'.repeat(3000), 'Basic Zm9vOmJhcg==', '']) } : {}), ...(chance(rng, 0.3) ? { origin: 'http://evil.example' } : {}) }, body: route[0] === 'GET' || route[0] === 'OPTIONS' ? undefined : JSON.stringify(oddActivity(rng, index, sinkUrl, 40)) };
}
