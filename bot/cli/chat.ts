import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { startPetitsPas } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../observability/logger';

interface Reply {
  type: string;
  text?: string;
  suggestedActions?: { actions: Array<{ title: string; value?: unknown }> };
  attachments?: Array<{ contentType: string; content?: { body?: Array<{ text?: string }> } }>;
}

/**
 * `npm run chat`: a terminal conversation with the same bot logic, over the same HTTP route the
 * channels use (expectReplies), on the same local storage. Type a number to press a button.
 */
async function main(): Promise<void> {
  const result = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' });
  if (!result.ok) {
    process.stderr.write(`Invalid configuration:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(2);
  }
  const app = await startPetitsPas(result.config, { logger: createLogger('error', (line) => process.stderr.write(`${line}\n`)) });
  const person = `terminal-${userInfo().username}`;
  let buttons: string[] = [];
  let sequence = 0;

  const send = async (text: string): Promise<void> => {
    sequence += 1;
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `terminal-${Date.now()}-${sequence}`,
        text,
        locale: process.env.CHAT_LOCALE ?? result.config.defaultLocale,
        channelId: 'terminal',
        serviceUrl: app.url,
        conversation: { id: person },
        from: { id: person, name: 'terminal' },
        recipient: { id: 'petits-pas' },
        deliveryMode: 'expectReplies',
      }),
    });
    const body = (await response.json().catch(() => ({}))) as { activities?: Reply[] };
    buttons = [];
    for (const reply of body.activities ?? []) {
      if (reply.type !== 'message') continue;
      if (reply.text) process.stdout.write(`\x1b[32mPetits pas:\x1b[0m ${reply.text}\n`);
      for (const attachment of reply.attachments ?? []) {
        for (const block of attachment.content?.body ?? []) if (block.text) process.stdout.write(`  ${block.text}\n`);
      }
      const actions = reply.suggestedActions?.actions ?? [];
      if (actions.length) {
        buttons = actions.map((a) => String(a.value ?? a.title));
        process.stdout.write(`${actions.map((a, i) => `  [${i + 1}] ${a.title}`).join('\n')}\n`);
      }
    }
  };

  process.stdout.write('Petits pas — terminal. Écris ton message (Ctrl+D pour quitter). Type your message (Ctrl+D to quit).\n');
  const lines = createInterface({ input: process.stdin, terminal: false });
  await send('bonjour');
  process.stdout.write('> ');
  for await (const line of lines) {
    const choice = /^\d+$/.test(line.trim()) ? buttons[Number(line.trim()) - 1] : undefined;
    await send(choice ?? line);
    process.stdout.write('> ');
  }
  process.stdout.write('\nÀ bientôt ! See you soon!\n');
  await app.stop();
}

void main().catch((error: Error) => {
  process.stderr.write(`chat stopped: ${error.name}\n`);
  process.exit(1);
});
