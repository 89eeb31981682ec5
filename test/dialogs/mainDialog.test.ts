import type { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { MainDialog } from '../../dialogs/mainDialog';
import { setTurnLocale } from '../../dialogs/turnLocale';
import { realTexts } from '../support/texts';

const texts = realTexts();

function client(locale: 'fr-CA' | 'en-CA') {
  const middleware = [{ onTurn: async (context: Parameters<typeof setTurnLocale>[0], next: () => Promise<void>) => { setTurnLocale(context, locale); await next(); } }];
  return new DialogTestClient('test', new MainDialog(texts), undefined, middleware);
}

const titles = (activity: Partial<Activity>) => activity.suggestedActions?.actions.map((a) => a.title) ?? [];

describe('MainDialog', () => {
  it('shows the menu with buttons in French', async () => {
    const c = client('fr-CA');
    const reply = await c.sendActivity('salut');
    expect(reply.text).toBe(texts.t('fr-CA', 'menu.prompt'));
    expect(titles(reply)).toEqual(expect.arrayContaining(['Ce qui m\'aide', 'Mon plan', 'Aide']));
  });

  it('accepts a button title typed freely, ignoring case and accents, and comes back to the menu', async () => {
    const c = client('fr-CA');
    await c.sendActivity('salut');
    const first = await c.sendActivity('mon PLAN');
    expect(first.text).toBe(texts.t('fr-CA', 'menu.comingSoon'));
    const menu = c.getNextReply();
    expect(menu.text).toBe(texts.t('fr-CA', 'menu.prompt'));
  });

  it('re-prompts with the options on unknown input instead of a dead end', async () => {
    const c = client('en-CA');
    await c.sendActivity('hi');
    const reply = await c.sendActivity('🤷🤷🤷');
    expect(reply.text).toBe(texts.t('en-CA', 'menu.unknown'));
    expect(titles(reply)).toContain('My plan');
  });

  it('answers help from the menu in English', async () => {
    const c = client('en-CA');
    await c.sendActivity('hi');
    const reply = await c.sendActivity('Help');
    expect(reply.text).toBe(texts.t('en-CA', 'help.text'));
  });
});
