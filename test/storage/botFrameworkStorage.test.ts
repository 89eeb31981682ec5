/**
 * The adapter under real Bot Framework state management: ConversationState and UserState load
 * and save through it across turns and across store instances (a restart).
 */
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityTypes, ConversationState, TestAdapter, UserState, type TurnContext } from 'botbuilder';
import { FileDocumentStore } from '../../adapters/storage/fileStore';
import { BotFrameworkStorage } from '../../adapters/storage/botFrameworkStorage';

describe('BotFrameworkStorage with ConversationState and UserState', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fsp.mkdtemp(join(tmpdir(), 'petits-pas-bfstate-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  function countingBot(storage: BotFrameworkStorage) {
    const conversationState = new ConversationState(storage);
    const userState = new UserState(storage);
    const turns = conversationState.createProperty<number>('turns');
    const greeted = userState.createProperty<boolean>('greeted');
    return async (context: TurnContext): Promise<void> => {
      if (context.activity.type !== ActivityTypes.Message) return;
      const n = (await turns.get(context, 0)) + 1;
      await turns.set(context, n);
      const wasGreeted = await greeted.get(context, false);
      await greeted.set(context, true);
      await context.sendActivity(`turn ${n}${wasGreeted ? '' : ' hello'}`);
      await conversationState.saveChanges(context);
      await userState.saveChanges(context);
    };
  }

  test('state persists across turns and across a new store instance', async () => {
    const first = new BotFrameworkStorage(new FileDocumentStore(dir));
    const adapter = new TestAdapter(countingBot(first));
    await adapter.send('un').assertReply('turn 1 hello').send('deux').assertReply('turn 2').startTest();

    // Same conversation, new process-like instance on the same directory.
    const second = new BotFrameworkStorage(new FileDocumentStore(dir));
    const adapterAgain = new TestAdapter(countingBot(second));
    await adapterAgain.send('trois').assertReply('turn 3').startTest();

    const keys = (await new FileDocumentStore(dir).query('state', {})).map((d) => d.id).sort();
    expect(keys).toHaveLength(2);
    expect(keys.some((k) => k.includes('/conversations/'))).toBe(true);
    expect(keys.some((k) => k.includes('/users/'))).toBe(true);
  });
});
