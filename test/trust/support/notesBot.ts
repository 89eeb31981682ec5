/**
 * A small bot on the project's HTTP stack (bot/server.ts + CloudAdapter) for the optimistic
 * concurrency tests: a dialog that keeps every note the person sends in dialog state (an answer
 * lost by a last-writer-wins save shows at once), and a profile in user state set by
 * "set <field> <value>". `mode: 'plain'` is the SDK's default (eTag '*'); `mode: 'etag'` is the
 * drop-in from bot/hardening/etagState.ts, wired as bot/app.ts should wire it.
 */
import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, UserState, type TurnContext } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, WaterfallDialog, type DialogState, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Server } from 'restify';
import { BotFrameworkStorage } from '../../../adapters/storage/botFrameworkStorage';
import { EtagConversationState, EtagUserState, OptimisticStorage, OptimisticTurns } from '../../../bot/hardening/etagState';
import { silentLogger, type Logger } from '../../../bot/observability/logger';
import { createServer } from '../../../bot/server';
import type { DocumentStore } from '../../../core/ports/documentStore';

class NotesDialog extends ComponentDialog {
  constructor() {
    super('notes');
    this.addDialog(
      new WaterfallDialog('notes-loop', [
        async (step: WaterfallStepContext) => {
          const notes = (step.options as { notes?: string[] } | undefined)?.notes ?? [];
          await step.context.sendActivity(`notes: ${notes.join(', ') || '(none)'}`);
          return ComponentDialog.EndOfTurn;
        },
        async (step: WaterfallStepContext) => {
          const notes = (step.options as { notes?: string[] } | undefined)?.notes ?? [];
          return step.replaceDialog('notes-loop', { notes: [...notes, String(step.context.activity.text ?? '')] });
        },
      ]),
    );
    this.initialDialogId = 'notes-loop';
  }
}

export interface NotesInstance {
  readonly url: string;
  readonly server: Server;
  readonly turns?: OptimisticTurns;
  close(): Promise<void>;
}

export async function startNotesInstance(store: DocumentStore, mode: 'plain' | 'etag', logger: Logger = silentLogger): Promise<NotesInstance> {
  const storage = mode === 'etag' ? new OptimisticStorage(store) : new BotFrameworkStorage(store);
  const conversationState = mode === 'etag' ? new EtagConversationState(storage, { logger }) : new ConversationState(storage);
  const userState = mode === 'etag' ? new EtagUserState(storage, { logger }) : new UserState(storage);
  const dialogs = new DialogSet(conversationState.createProperty<DialogState>('dialogState')).add(new NotesDialog());
  const profile = userState.createProperty<Record<string, string>>('profile');

  const bot = async (context: TurnContext): Promise<void> => {
    const text = String(context.activity.text ?? '');
    const set = /^set (\w+) (\S+)$/.exec(text);
    if (set) {
      const current = await profile.get(context, {});
      current[set[1]] = set[2];
      await profile.set(context, current);
      await context.sendActivity(`profile: ${JSON.stringify(current)}`);
    } else if (text === 'profile') {
      await context.sendActivity(`profile: ${JSON.stringify(await profile.get(context, {}))}`);
    } else {
      const dc = await dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog('notes');
    }
    await conversationState.saveChanges(context);
    await userState.saveChanges(context);
  };

  const turns = mode === 'etag' ? new OptimisticTurns({ states: [conversationState as EtagConversationState, userState as EtagUserState], logger }) : undefined;
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context, error) => {
    await context.sendActivity(`error: ${(error as Error).name}`);
  };
  const server = createServer({ adapter, runTurn: turns ? (context) => turns.run(context, bot) : bot, health: async () => ({}), logger, hardening: { rateLimit: false } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    turns,
    close: async () => {
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
