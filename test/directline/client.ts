/** A small Direct Line v3 client over real HTTP, as Web Chat uses it with webSocket: false. */
export interface DirectLineActivity {
  type: string;
  id: string;
  timestamp: string;
  channelId: string;
  text?: string;
  locale?: string;
  from: { id: string; role?: string; name?: string };
  recipient?: { id: string };
  conversation: { id: string };
  replyToId?: string;
  suggestedActions?: { actions: Array<{ title: string; value: unknown; type: string }> };
  membersAdded?: Array<{ id: string }>;
  serviceUrl?: string;
}

export interface TokenInfo {
  conversationId: string;
  token: string;
  expires_in: number;
  userId: string;
}

export async function call(url: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body, headers: response.headers };
}

export class DirectLineClient {
  watermark = '';
  private seen: DirectLineActivity[] = [];

  constructor(
    readonly baseUrl: string,
    public info: TokenInfo,
  ) {}

  static async open(baseUrl: string, locale = 'fr-CA'): Promise<DirectLineClient> {
    const generated = await call(`${baseUrl}/v3/directline/tokens/generate`, { method: 'POST', body: { locale } });
    if (generated.status !== 200) throw new Error(`tokens/generate answered ${generated.status}`);
    const client = new DirectLineClient(baseUrl, generated.body as TokenInfo);
    const started = await client.start(locale);
    if (started.status !== 201) throw new Error(`conversations answered ${started.status}`);
    return client;
  }

  get url(): string {
    return `${this.baseUrl}/v3/directline/conversations/${encodeURIComponent(this.info.conversationId)}`;
  }

  start(locale?: string) {
    return call(`${this.baseUrl}/v3/directline/conversations`, { method: 'POST', token: this.info.token, body: { user: {}, locale } });
  }

  post(activity: Record<string, unknown>, token = this.info.token) {
    return call(`${this.url}/activities`, { method: 'POST', token, body: { from: { id: 'someone-else', role: 'user' }, locale: 'fr-CA', ...activity } });
  }

  say(text: string, locale = 'fr-CA') {
    return this.post({ type: 'message', text, locale, channelData: { clientActivityID: `c-${Math.random()}` } });
  }

  poll(token = this.info.token, watermark = this.watermark) {
    return call(`${this.url}/activities${watermark === '' ? '' : `?watermark=${encodeURIComponent(watermark)}`}`, { token });
  }

  /** Polls until `predicate` holds for the new activities seen so far (or fails after `timeoutMs`). */
  async waitFor(predicate: (activities: DirectLineActivity[]) => boolean, timeoutMs = 8000): Promise<DirectLineActivity[]> {
    const fresh: DirectLineActivity[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { status, body } = await this.poll();
      if (status !== 200) throw new Error(`poll answered ${status}: ${JSON.stringify(body)}`);
      fresh.push(...(body.activities as DirectLineActivity[]));
      this.seen.push(...(body.activities as DirectLineActivity[]));
      this.watermark = body.watermark;
      if (predicate(fresh)) return fresh;
      if (Date.now() > deadline) throw new Error(`timed out; saw ${fresh.map((a) => `${a.type}:${a.from.role}`).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  get all(): DirectLineActivity[] {
    return this.seen;
  }
}

export const botMessages = (activities: DirectLineActivity[]) => activities.filter((a) => a.type === 'message' && a.from.role === 'bot');
export const textOf = (activities: DirectLineActivity[]) => botMessages(activities).map((a) => a.text ?? '').join('\n');
