import { startPetitsPas, type RunningApp } from '../../bot/app';
import { sendMessage, testConfig, textsOf } from '../support/http';
import { onboardOverHttp } from '../support/onboarding';

/** Law 25 rights over HTTP: see what is kept, take it away once, erase it all. */
describe('my data over HTTP', () => {
  let app: RunningApp;
  let env: ReturnType<typeof testConfig>;
  const ids = { conversationId: 'data-1', userId: 'data-person-1' };

  beforeAll(async () => {
    env = testConfig();
    app = await startPetitsPas(env.config, { startScheduler: false });
    await onboardOverHttp(app.url, ids);
  });
  afterAll(async () => {
    await app.stop();
    env.cleanup();
  });

  it('summarises what is kept in plain words', async () => {
    const { replies } = await sendMessage(app.url, 'ce que tu sais sur moi', ids);
    const all = textsOf(replies).join('\n');
    expect(all).toMatch(/Voici ce que je garde sur toi/);
    expect(all).toMatch(/ta langue, ton fuseau horaire et tes consentements/);
    expect(all).toMatch(/Consentement à garder tes données : oui\. Partage avec ton intervenant·e : oui\./);
  });

  it('gives a download link that works once', async () => {
    await sendMessage(app.url, 'mes données', ids);
    const { replies } = await sendMessage(app.url, 'Télécharger mes données', ids);
    const url = /(http:\/\/\S+\/api\/export\/[A-Za-z0-9_-]+)/.exec(textsOf(replies).join('\n'))?.[1];
    expect(url).toBeDefined();
    const first = await fetch(url as string);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-disposition')).toMatch(/attachment/);
    const data = (await first.json()) as { format: string; profile: { consents: { store: { granted: boolean } }; timeZone: string } };
    expect(data.format).toBe('petits-pas-export/1');
    expect(data.profile.consents.store.granted).toBe(true);
    expect(data.profile.timeZone).toBe('America/Toronto');
    const second = await fetch(url as string);
    expect(second.status).toBe(404);
  });

  it('refuses forged links', async () => {
    expect((await fetch(`${app.url}/api/export/not-a-real-token-xxxxxxxxxxxx`)).status).toBe(404);
    expect((await fetch(`${app.url}/api/export/..%2F..%2Fetc`)).status).toBe(404);
  });

  it('keeps everything when the person does not confirm erasure', async () => {
    const ask = await sendMessage(app.url, 'oublie-moi', ids);
    expect(textsOf(ask.replies).join('\n')).toMatch(/Tu veux vraiment que j'efface tout/);
    const kept = await sendMessage(app.url, 'Non, garde tout', ids);
    expect(textsOf(kept.replies)[0]).toMatch(/je garde tout/);
  });

  it('erases everything after confirmation, says what was erased, and starts over next time', async () => {
    await sendMessage(app.url, 'oublie-moi', ids);
    const done = await sendMessage(app.url, 'Oui, efface tout', ids);
    expect(textsOf(done.replies)[0]).toMatch(/^C'est fait\. J'ai effacé : .*ta langue, ton fuseau horaire et tes consentements/);
    const again = await sendMessage(app.url, 'bonjour', ids);
    expect(textsOf(again.replies).join('\n')).toMatch(/Tu préfères qu'on se parle en français ou en anglais/);
  });
});
