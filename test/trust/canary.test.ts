/**
 * Logs without personal data (Law 25). A canary string rides in everything a person can send —
 * free-text answers in every dialog, crisis and concern messages, display names, card values,
 * attachments, malformed and oversized bodies, a storage outage — and must appear in NO log
 * line, nor anywhere on stdout/stderr or the console, of the running bot. The escalation itself
 * carries an excerpt to the clinicians' channel (a notification, not a log): the test shows it
 * does, and that the console notifier's line does not.
 */
import { format } from 'node:util';
import { ConsoleNotifier } from '../../adapters/notify/consoleNotifier';
import { LoopbackClient } from '../../bench/loadClient';
import { startPetitsPas, type RunningApp } from '../../bot/app';
import { hardeningOf } from '../../bot/hardening';
import { createLogger } from '../../bot/observability/logger';
import type { DeliveryResult, EscalationMessage, EscalationNotifier } from '../../core/ports/notifier';
import { testConfig } from '../support/http';
import { MemoryDocumentStore } from '../support/memoryStore';
import { hasCrisisLines, messageActivity, onboard, say, type Ids } from './support/activities';

const CANARY = 'canari-9d2e';
const CRISIS = `${CANARY} je veux mourir`;
const CALM = `${CANARY} j'aime marcher`;

/** Counts deliveries and passes them to the real console notifier (whose line goes to stderr). */
class CountingNotifier implements EscalationNotifier {
  readonly name = 'counting-console';
  readonly messages: EscalationMessage[] = [];
  private readonly inner = new ConsoleNotifier();

  async deliver(message: EscalationMessage): Promise<DeliveryResult> {
    this.messages.push(message);
    return this.inner.deliver(message);
  }
}

/** Everything written to stdout, stderr and the console while the test runs. */
function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const out = process.stdout.write;
  const err = process.stderr.write;
  const grab = (chunk: unknown) => {
    chunks.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
    return true;
  };
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void chunks.push(format(...args))),
  );
  return {
    text: () => chunks.join(''),
    restore: () => {
      process.stdout.write = out;
      process.stderr.write = err;
      for (const spy of spies) spy.mockRestore();
    },
  };
}

describe('the canary never reaches a log', () => {
  let env: ReturnType<typeof testConfig>;
  let app: RunningApp;
  let client: LoopbackClient;
  let notifier: CountingNotifier;
  let output: ReturnType<typeof captureOutput>;
  const logLines: string[] = [];
  const trace: string[] = [];
  let n = 0;
  const ids = (): Ids & { extra: Record<string, unknown> } => {
    n += 1;
    // A display name, as Teams sends it: personal data too.
    return { conversationId: `canary-conv-${n}`, userId: `canary-user-${n}`, extra: { from: { id: `canary-user-${n}`, name: `${CANARY} Tremblay` } } };
  };
  const talk = async (who: ReturnType<typeof ids>, texts: readonly string[], locale = 'fr-CA') => {
    const answers = [];
    for (const text of texts) {
      const answer = await say(client, text, who, { ...who.extra, locale });
      expect([text, answer.status]).toEqual([text, 200]);
      if (process.env.CANARY_TRACE) trace.push(`>> ${text}\n${answer.text}`);
      answers.push(answer);
    }
    return answers;
  };

  beforeAll(async () => {
    output = captureOutput();
    env = testConfig({ LOG_LEVEL: 'debug' });
    notifier = new CountingNotifier();
    app = await startPetitsPas(env.config, {
      logger: createLogger('debug', (line) => logLines.push(line)),
      notifiers: { primary: notifier },
      startScheduler: false,
    });
    // This test is about logs: the conversation below is longer than 30 messages in 10 s.
    hardeningOf(app.server)?.setRateLimit(false);
    client = new LoopbackClient(app.url);
  });
  afterAll(async () => {
    client?.close();
    await app?.stop();
    output?.restore();
    env?.cleanup();
  });

  it('goes through every dialog, the crisis flow and odd inputs, and the canary is in no log line nor on the console', async () => {
    // Onboarding with a free-text answer where a button was expected.
    const first = ids();
    await talk(first, ['bonjour', 'Français', "J'accepte", 'Oui, je partage', 'Un autre fuseau', CANARY, 'America/Toronto', 'Aucune']);

    const person = ids();
    await onboard(client, person);
    // What helps (own idea), my plan, safety plan, check-in: free text everywhere.
    await talk(person, ["Ce qui m'aide", 'Habitudes de vie', 'Mon idée à moi', CALM, 'Je le fais déjà', CALM, 'Menu']);
    await talk(person, ['Mon plan', CALM, 'Menu']);
    await talk(person, ['Mon plan de sécurité', 'On le fait', `${CANARY} je m'isole`, "C'est tout pour cette étape", CALM, 'Passer', 'Menu']);
    await talk(person, ['Faire le point', CALM, CALM, 'Menu']);
    await talk(person, ['Mes questionnaires', CALM, 'Menu', 'Aide', CALM]);
    // My data, and the export link (the person's own download, not a log).
    const [, download] = await talk(person, ['Mes données', 'Télécharger mes données']);
    const link = /http:\/\/\S+\/api\/export\/[A-Za-z0-9_-]+/.exec(download.text)?.[0];
    expect(link).toBeDefined();
    const exported = await client.request('GET', new URL(link as string).pathname);
    expect(exported.status).toBe(200);

    // Crisis: the lines, "not safe", and a human alerted.
    const crisis = await talk(person, [CRISIS, 'Non, pas en sécurité', 'Reprendre']);
    expect(hasCrisisLines(crisis[0].text)).toBe(true);
    // Concern, then "yes" to the direct question; English crisis; the emergency word.
    await talk(ids(), [`${CANARY} je suis un fardeau pour tout le monde`, 'oui']);
    await talk(ids(), [`${CANARY} I want to kill myself`, 'yes I am safe'], 'en-CA');
    await talk(ids(), ['urgence', CALM]);

    // Odd inputs: a card value, an attachment, a locale, malformed and oversized bodies, a 400.
    const odd = ids();
    const base = messageActivity(CALM, odd, odd.extra);
    await client.postJson('/api/messages', { ...base, text: undefined, value: { note: CALM, nested: { answer: CRISIS } } });
    await client.postJson('/api/messages', { ...base, attachments: [{ contentType: 'image/png', name: `${CANARY}.png`, contentUrl: `http://127.0.0.1:9/${CANARY}.png` }] });
    await client.postJson('/api/messages', { ...base, locale: CANARY });
    expect((await client.request('POST', '/api/messages', `{"type":"message","text":"${CRISIS}"`)).status).toBe(400);
    expect((await client.postJson('/api/messages', { ...base, text: `${CRISIS} ${'x'.repeat(300_000)}` })).status).toBe(413);
    expect((await client.postJson('/api/messages', { ...base, membersAdded: [CANARY], type: 'conversationUpdate' })).status).toBe(400);
    expect((await client.postJson('/api/messages', { ...base, text: 42, note: CANARY })).status).toBe(400);

    // Forget me, then a canary after erasure.
    await talk(person, ['oublie-moi', 'Oui, efface tout', CALM]);

    await app.escalationsSettled();
    const alerts = notifier.messages.filter((m) => m.kind === 'alert');
    expect(alerts.length).toBeGreaterThanOrEqual(3);
    // The clinicians' notification carries the words (by design)…
    expect(alerts.some((m) => m.escalation.excerpt.includes(CANARY))).toBe(true);

    if (process.env.CANARY_TRACE) require('node:fs').writeFileSync('/tmp/canary-trace.txt', trace.join('\n'));
    const console = output.text();
    // …the console notifier's line does not, nor anything else written anywhere.
    expect(console).toContain('[petits-pas] ESCALATION');
    expect(logLines.length).toBeGreaterThan(50);
    const leaks = [...logLines, ...console.split('\n')].filter((line) => line.toLowerCase().includes('9d2e'));
    expect(leaks).toEqual([]);
    expect(console.toLowerCase()).not.toContain('tremblay');

    // Structured JSON, one object per line, and the turn's lines carry its correlation id.
    const records = logLines.map((line) => JSON.parse(line) as { event?: string; time?: string; correlationId?: string });
    expect(records.every((r) => typeof r.event === 'string' && typeof r.time === 'string')).toBe(true);
    const screened = records.filter((r) => r.event === 'screened');
    expect(screened.length).toBeGreaterThan(20);
    expect(screened.every((r) => typeof r.correlationId === 'string')).toBe(true);
  }, 90_000);
});

describe('the canary never reaches a log when storage fails', () => {
  it('logs error kinds only while the store is down, including the crisis path', async () => {
    const output = captureOutput();
    const env = testConfig({ LOG_LEVEL: 'debug' });
    const store = new MemoryDocumentStore();
    const lines: string[] = [];
    const notifier = new CountingNotifier();
    const app = await startPetitsPas(env.config, { store, logger: createLogger('debug', (line) => lines.push(line)), notifiers: { primary: notifier }, startScheduler: false });
    const client = new LoopbackClient(app.url);
    try {
      const who = { conversationId: 'canary-down-1', userId: 'canary-down-1' };
      await onboard(client, who);
      await say(client, "Ce qui m'aide", who);
      store.unavailable = true;
      const storageDown = await say(client, CALM, who);
      expect(storageDown.text).toMatch(/Je n'arrive pas à enregistrer|réessaie|Réessaie/);
      const crisis = await say(client, CRISIS, who);
      expect(hasCrisisLines(crisis.text)).toBe(true);
      await app.escalationsSettled();
      expect(notifier.messages.length).toBe(1);
      expect(lines.some((l) => l.includes('"level":"error"') || l.includes('"level":"warn"'))).toBe(true);
      const leaks = [...lines, ...output.text().split('\n')].filter((line) => line.toLowerCase().includes('9d2e'));
      expect(leaks).toEqual([]);
    } finally {
      store.unavailable = false;
      client.close();
      await app.stop();
      output.restore();
      env.cleanup();
    }
  }, 60_000);
});
