import type { Activity } from 'botbuilder';
import { MemoryStorage } from 'botbuilder';
import { MainDialog } from '../../dialogs/mainDialog';
import { dialogHarness } from '../support/dialogHarness';
import { realTexts } from '../support/texts';

const texts = realTexts();
const VERSION = 'c-test';
const titles = (activity: Partial<Activity>) => activity.suggestedActions?.actions.map((a) => a.title) ?? [];

/** Everything sent in reply to one message. */
async function say(client: ReturnType<typeof dialogHarness>['client'], text: string): Promise<Partial<Activity>[]> {
  const replies: Partial<Activity>[] = [await client.sendActivity(text)];
  for (let next = client.getNextReply(); next; next = client.getNextReply()) replies.push(next);
  return replies.filter(Boolean);
}

function harness(locale: 'fr-CA' | 'en-CA' = 'fr-CA', storage = new MemoryStorage()) {
  return dialogHarness((profile) => new MainDialog({ texts, profile: profile as never, consentVersion: VERSION, defaultTimeZone: 'America/Toronto', now: () => new Date('2026-11-23T15:00:00Z') }), locale, storage);
}

async function onboard(client: ReturnType<typeof dialogHarness>['client']) {
  await say(client, 'bonjour');
  await say(client, 'Français');
  await say(client, "J'accepte");
  await say(client, 'Oui, je partage');
  await say(client, 'Oui, heure du Québec');
  return say(client, 'Aucune');
}

describe('MainDialog with onboarding', () => {
  it('walks a new person through language, consent, sharing, time zone and eligibility, then shows the menu', async () => {
    const { client } = harness();
    const first = await say(client, 'bonjour');
    expect(first[0].text).toBe(texts.t('fr-CA', 'onboarding.language.ask'));
    expect(titles(first[0])).toEqual(['Français', 'English']);
    const consent = await say(client, 'Français');
    expect(consent.map((a) => a.text)).toEqual([texts.t('fr-CA', 'onboarding.consent.store'), texts.t('fr-CA', 'onboarding.consent.storeAsk')]);
    await say(client, "J'accepte");
    await say(client, 'Oui, je partage');
    await say(client, 'Oui, heure du Québec');
    const end = await say(client, 'Aucune');
    expect(end.map((a) => a.text)).toEqual([texts.t('fr-CA', 'onboarding.done'), texts.t('fr-CA', 'menu.prompt')]);
  });

  it('records both consents with version and time', async () => {
    const storage = new MemoryStorage();
    const { client } = harness('fr-CA', storage);
    await onboard(client);
    const stored = Object.values(await storage.read(Object.keys((storage as unknown as { memory: Record<string, string> }).memory))) as Array<{ profile?: { consents?: Record<string, unknown> } }>;
    const profile = stored.find((item) => item.profile)?.profile;
    expect(profile?.consents).toEqual({
      store: { granted: true, version: VERSION, at: '2026-11-23T15:00:00.000Z' },
      share: { granted: true, version: VERSION, at: '2026-11-23T15:00:00.000Z' },
    });
  });

  it('switches to English when the person picks it', async () => {
    const { client } = harness();
    await say(client, 'hello');
    const consent = await say(client, 'English');
    expect(consent[0].text).toBe(texts.t('en-CA', 'onboarding.consent.store'));
  });

  it('explains more on request and asks again, and a refusal keeps nothing but leaves help available', async () => {
    const { client } = harness();
    await say(client, 'bonjour');
    await say(client, 'Français');
    const more = await say(client, 'En savoir plus');
    expect(more[0].text).toBe(texts.t('fr-CA', 'onboarding.consent.moreText'));
    expect(more[1].text).toBe(texts.t('fr-CA', 'onboarding.consent.storeAsk'));
    const refused = await say(client, 'Non merci');
    expect(refused[0].text).toBe(texts.t('fr-CA', 'onboarding.consent.refused'));
    expect(titles(refused[0])).toEqual(['Aide']);
  });

  it('re-asks with the buttons on unclear answers, never assumes consent', async () => {
    const { client } = harness();
    await say(client, 'bonjour');
    await say(client, 'Français');
    const unclear = await say(client, '🤷');
    expect(unclear[0].text).toContain(texts.t('fr-CA', 'onboarding.unknown'));
    expect(titles(unclear[0])).toEqual(["J'accepte", 'Non merci', 'En savoir plus']);
    await say(client, 'bof');
    const third = await say(client, 'peut-être');
    expect(third[0].text).toBe(texts.t('fr-CA', 'onboarding.consent.refused'));
  });

  it('orients kindly to human care when the person reports PTSD, and keeps going', async () => {
    const { client } = harness('en-CA');
    await say(client, 'hi');
    await say(client, 'English');
    await say(client, 'I agree');
    await say(client, 'Not for now');
    await say(client, 'Yes, Quebec time');
    const reply = await say(client, 'Post-traumatic stress');
    expect(reply.map((a) => a.text)).toEqual([texts.t('en-CA', 'onboarding.eligibility.oriented'), texts.t('en-CA', 'onboarding.done'), texts.t('en-CA', 'menu.prompt')]);
  });

  it('accepts another time zone from the list', async () => {
    const { client } = harness();
    await say(client, 'bonjour');
    await say(client, 'Français');
    await say(client, "J'accepte");
    await say(client, 'Pas pour l’instant');
    const list = await say(client, 'Un autre fuseau');
    expect(titles(list[0])).toContain('America/Vancouver');
    const noted = await say(client, 'America/Vancouver');
    expect(noted[0].text).toBe(texts.t('fr-CA', 'onboarding.timezone.noted'));
  });

  it('accepts a typed answer beyond the buttons on the first try (the rule survives the saved state)', async () => {
    const { client } = harness();
    await say(client, 'bonjour');
    await say(client, 'Français');
    await say(client, "J'accepte");
    await say(client, 'non');
    const noted = await say(client, 'America/Vancouver');
    expect(noted[0].text).toBe(texts.t('fr-CA', 'onboarding.timezone.noted'));
  });

  it('shows the menu, routes a choice and re-prompts on unknown input', async () => {
    const { client } = harness();
    await onboard(client);
    const soon = await say(client, 'mon PLAN');
    expect(soon.map((a) => a.text)).toEqual([texts.t('fr-CA', 'menu.comingSoon'), texts.t('fr-CA', 'menu.prompt')]);
    const unknown = await say(client, '🤷🤷🤷');
    expect(unknown[0].text).toBe(texts.t('fr-CA', 'menu.unknown'));
    expect(titles(unknown[0])).toContain('Mon plan');
  });

  it('asks for consent again when the consent text changed (new conversation, same person)', async () => {
    const storage = new MemoryStorage();
    const first = harness('fr-CA', storage);
    await onboard(first.client);
    const later = dialogHarness((profile) => new MainDialog({ texts, profile: profile as never, consentVersion: 'c-changed', defaultTimeZone: 'America/Toronto' }), 'fr-CA', storage, new MemoryStorage());
    const again = await say(later.client, 'bonjour');
    expect(again.map((a) => a.text)).toEqual([texts.t('fr-CA', 'onboarding.consent.changed'), texts.t('fr-CA', 'onboarding.consent.store'), texts.t('fr-CA', 'onboarding.consent.storeAsk')]);
  });
});
