/**
 * The person's side: LinkCodeDialog with DialogTestClient — consent first (asked here with the
 * onboarding's texts when sharing was not granted), then the code; wrong, expired and used codes;
 * unlinking.
 */
import { AutoSaveStateMiddleware, ConversationState, MemoryStorage, UserState, type Activity, type TurnContext } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { personRefOf } from '../../bot/turnKeys';
import { record, type Consents } from '../../core/consent/consent';
import type { PersonProfile } from '../../core/people/profile';
import { LinkCodeDialog, type LinkCodeDialogOptions } from '../../dialogs/linkCodeDialog';
import { setTurnLocale } from '../../dialogs/turnLocale';
import { CLIN_A, CONSENT_VERSION, createWorld, type World } from './helpers';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.cleanup());

function consents(share: boolean | undefined, store = true): Consents {
  return {
    store: record(store, CONSENT_VERSION, world.now),
    ...(share === undefined ? {} : { share: record(share, CONSENT_VERSION, world.now) }),
  };
}

/** A client whose person (default channel 'test', user 'user1') starts with this profile. */
async function client(profile: PersonProfile, options?: LinkCodeDialogOptions, locale: 'fr-CA' | 'en-CA' = 'fr-CA') {
  const storage = new MemoryStorage();
  const userState = new UserState(storage);
  const accessor = userState.createProperty<PersonProfile>('profile');
  let seeded = false;
  const middleware = [
    {
      onTurn: async (context: TurnContext, next: () => Promise<void>) => {
        if (!seeded) {
          await accessor.set(context, profile);
          seeded = true;
        }
        setTurnLocale(context, locale);
        await next();
      },
    },
    new AutoSaveStateMiddleware(userState),
  ];
  const dialog = new LinkCodeDialog({ texts: world.texts, profile: accessor, consentVersion: CONSENT_VERSION, links: world.links, personRefOf, now: () => world.now });
  const test = new DialogTestClient('test', dialog, options, middleware, new ConversationState(storage));
  return { test, storage, userState };
}

const PERSON_KEY = 'test/user1';
const t = (key: string, vars?: Record<string, string | number>) => world.texts.t('fr-CA', key, vars);
const textOf = (activity: Partial<Activity> | undefined) => activity?.text;

async function issue(): Promise<string> {
  return (await world.links.issueCode(CLIN_A.aad)).code;
}

describe('linking with a code', () => {
  it('links a person who already consents to share', async () => {
    const code = await issue();
    const { test } = await client({ consents: consents(true) });
    expect(textOf(await test.sendActivity('code'))).toBe(t('clinician.person.askCode'));
    expect(textOf(await test.sendActivity(`mon code : ${code.toLowerCase()}`))).toBe(t('clinician.person.linked'));
    expect(test.dialogTurnResult.result).toEqual({ linked: true });
    expect(await world.links.linkOf(PERSON_KEY)).toMatchObject({ clinicianId: CLIN_A.aad, userStateKey: 'test/users/user1/' });
  });

  it('asks for the consent to share first, with the onboarding’s words, and records the answer', async () => {
    const code = await issue();
    const { test, storage } = await client({ consents: consents(undefined) });
    expect(textOf(await test.sendActivity('code'))).toBe(t('onboarding.consent.share'));
    const question = test.getNextReply();
    expect(question.text).toBe(t('onboarding.consent.shareAsk'));
    expect(question.suggestedActions?.actions.map((a: { title: string }) => a.title)).toEqual([t('onboarding.consent.shareYes'), t('onboarding.consent.shareNo')]);
    expect(textOf(await test.sendActivity(t('onboarding.consent.shareYes')))).toBe(t('clinician.person.askCode'));
    expect(textOf(await test.sendActivity(code))).toBe(t('clinician.person.linked'));
    const saved = (await storage.read(['test/users/user1/']))['test/users/user1/'] as { profile: PersonProfile };
    expect(saved.profile.consents?.share).toEqual({ granted: true, version: CONSENT_VERSION, at: world.now.toISOString() });
  });

  it('links nobody who declines to share, or who does not let us keep data', async () => {
    await issue();
    const declined = await client({ consents: consents(undefined) });
    expect(textOf(await declined.test.sendActivity('code'))).toBe(t('onboarding.consent.share'));
    expect(textOf(declined.test.getNextReply())).toBe(t('onboarding.consent.shareAsk'));
    expect(textOf(await declined.test.sendActivity('Non'))).toBe(t('clinician.person.shareDeclined'));
    expect(declined.test.dialogTurnResult.result).toEqual({ linked: false });
    const refusedStore = await client({ consents: consents(true, false) });
    expect(textOf(await refusedStore.test.sendActivity('code'))).toBe(t('clinician.person.needStore'));
    expect(await world.links.linkOf(PERSON_KEY)).toBeUndefined();
    expect(world.store.count('people')).toBe(0);
  });

  it('gives three tries for a wrong code, then a kind way out', async () => {
    await issue();
    const { test } = await client({ consents: consents(true) });
    await test.sendActivity('code');
    expect(textOf(await test.sendActivity('je ne sais plus'))).toBe(t('clinician.person.badShape'));
    expect(textOf(test.getNextReply())).toBe(t('clinician.person.askCode'));
    expect(textOf(await test.sendActivity('ZZZZ-ZZZZ'))).toBe(t('clinician.person.invalid'));
    expect(textOf(test.getNextReply())).toBe(t('clinician.person.askCode'));
    expect(textOf(await test.sendActivity('YYYY-YYYY'))).toBe(t('clinician.person.giveUp'));
    expect(test.dialogTurnResult.result).toEqual({ linked: false });
  });

  it('says when a code has expired or was already used', async () => {
    const code = await issue();
    const later = await client({ consents: consents(true) }, { code });
    world.now = new Date(world.now.getTime() + 73 * 3_600_000);
    expect(textOf(await later.test.sendActivity('code'))).toBe(t('clinician.person.expired'));
    world.now = new Date('2025-03-03T15:00:00.000Z');
    const fresh = await issue();
    await world.links.redeem({ code: fresh, personKey: 'webchat/someone-else', mayShare: true });
    const used = await client({ consents: consents(true) }, { code: fresh });
    expect(textOf(await used.test.sendActivity('code'))).toBe(t('clinician.person.used'));
    expect(await world.links.linkOf(PERSON_KEY)).toBeUndefined();
  });

  it('says the store is out without changing anything', async () => {
    const code = await issue();
    const { test } = await client({ consents: consents(true) }, { code });
    world.store.unavailable = true;
    expect(textOf(await test.sendActivity('code'))).toBe(t('clinician.person.unavailable'));
  });

  it('speaks English', async () => {
    const code = await issue();
    const { test } = await client({ consents: consents(true) }, undefined, 'en-CA');
    expect(textOf(await test.sendActivity('code'))).toBe(world.texts.t('en-CA', 'clinician.person.askCode'));
    expect(textOf(await test.sendActivity(code))).toBe(world.texts.t('en-CA', 'clinician.person.linked'));
  });
});

describe('unlinking', () => {
  it('asks, then removes the link', async () => {
    const code = await issue();
    await world.links.redeem({ code, personKey: PERSON_KEY, mayShare: true, userStateKey: 'test/users/user1/' });
    const { test } = await client({ consents: consents(true), timeZone: 'America/Toronto' }, { mode: 'unlink' });
    const ask = await test.sendActivity('délier');
    expect(ask.text).toBe(t('clinician.person.unlinkAsk', { date: '3 mars 2025' }));
    expect(textOf(await test.sendActivity(t('clinician.person.unlinkYes')))).toBe(t('clinician.person.unlinked'));
    expect(test.dialogTurnResult.result).toEqual({ unlinked: true });
    expect(await world.links.linkOf(PERSON_KEY)).toBeUndefined();
  });

  it('keeps the link on a no, and says when there is none', async () => {
    const code = await issue();
    await world.links.redeem({ code, personKey: PERSON_KEY, mayShare: true });
    const keep = await client({ consents: consents(true) }, { mode: 'unlink' });
    await keep.test.sendActivity('délier');
    expect(textOf(await keep.test.sendActivity('non'))).toBe(t('clinician.person.kept'));
    expect(await world.links.linkOf(PERSON_KEY)).toBeDefined();
    await world.links.unlinkPerson(PERSON_KEY);
    const none = await client({ consents: consents(true) }, { mode: 'unlink' });
    expect(textOf(await none.test.sendActivity('délier'))).toBe(t('clinician.person.notLinked'));
  });
});
