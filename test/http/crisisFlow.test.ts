import { startPetitsPas, type RunningApp } from '../../bot/app';
import { RecordingNotifier } from '../support/escalations';
import { sendMessage, testConfig, textsOf, type ActivityReply } from '../support/http';
import { MemoryDocumentStore } from '../support/memoryStore';

/** The crisis path end to end over real HTTP: lines first, "are you safe?", a human alerted. */

const crisisLinesShown = (replies: ActivityReply[]) => {
  const all = textsOf(replies).join('\n');
  return ['911', 'APPELLE', '277-3553', '535353', 'suicide.ca', '811'].every((line) => all.includes(line));
};

describe('crisis flow over HTTP', () => {
  let app: RunningApp;
  let env: ReturnType<typeof testConfig>;
  let store: MemoryDocumentStore;
  let notifier: RecordingNotifier;
  let conversation = 0;
  const nextConversation = () => {
    conversation += 1;
    return { conversationId: `crisis-${conversation}`, userId: `crisis-person-${conversation}` };
  };
  const greet = async (ids: { conversationId: string; userId: string }, locale = 'fr-CA') => sendMessage(app.url, 'bonjour', { ...ids, locale });

  beforeAll(async () => {
    env = testConfig();
    store = new MemoryDocumentStore();
    notifier = new RecordingNotifier();
    app = await startPetitsPas(env.config, { store, notifiers: { primary: notifier } });
  });
  afterAll(async () => {
    await app.stop();
    env.cleanup();
  });
  beforeEach(() => {
    store.unavailable = false;
  });

  it('answers a French crisis message with the crisis lines first, asks if the person is safe, and alerts a human once', async () => {
    const ids = nextConversation();
    await greet(ids);
    const before = notifier.messages.length;
    const { status, replies } = await sendMessage(app.url, 'je veux mourir', ids);
    expect(status).toBe(200);
    const messages = replies.filter((r) => r.type === 'message');
    expect(messages[0].text).toMatch(/pas à traverser ça seul/);
    expect(crisisLinesShown(messages.slice(0, 2))).toBe(true);
    const ask = messages.find((m) => m.text === 'Est-ce que tu es en sécurité en ce moment ?');
    expect(ask?.suggestedActions?.actions.map((a) => a.title)).toEqual(['Oui, je suis en sécurité', 'Non, pas en sécurité']);
    expect(replies.some((r) => r.type === 'event' && r.name === 'handoff.initiate')).toBe(true);
    await app.escalationsSettled();
    const alerts = notifier.messages.slice(before).filter((m) => m.kind === 'alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].escalation.level).toBe('crisis');
    expect(alerts[0].escalation.categories).toContain('suicidal_ideation');
    expect(alerts[0].escalation.personId).toMatch(/^P-/);
  });

  it('reads "yes, I am safe" in context and offers to resume, without a second alert', async () => {
    const ids = nextConversation();
    await greet(ids);
    await sendMessage(app.url, "j'ai pris toutes mes pilules", ids);
    await app.escalationsSettled();
    const before = notifier.messages.length;
    const { replies } = await sendMessage(app.url, 'Oui, je suis en sécurité', ids);
    const texts = textsOf(replies);
    expect(texts[0]).toMatch(/content que tu sois en sécurité/);
    expect(texts.join('\n')).toMatch(/ne remplace pas/);
    expect(replies.at(-1)?.suggestedActions?.actions.map((a) => a.title)).toEqual(['Reprendre', 'Mon plan de sécurité', 'Menu']);
    await app.escalationsSettled();
    expect(notifier.messages.length).toBe(before);
  });

  it('treats "no, not safe" as a crisis: 911 first and a new alert saying the person is not safe', async () => {
    const ids = nextConversation();
    await greet(ids);
    await sendMessage(app.url, 'I want to kill myself', { ...ids, locale: 'en-CA' });
    await app.escalationsSettled();
    const before = notifier.messages.length;
    const { replies } = await sendMessage(app.url, 'no', { ...ids, locale: 'en-CA' });
    expect(textsOf(replies)[0]).toMatch(/Call 911 now/);
    expect(crisisLinesShown(replies)).toBe(true);
    await app.escalationsSettled();
    const alerts = notifier.messages.slice(before);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].escalation.saidSafe).toBe(false);
  });

  it('interrupts a dialog and resumes it only when the person chooses', async () => {
    const ids = nextConversation();
    const question = await greet(ids);
    expect(textsOf(question.replies)).toContain("Tu préfères qu'on se parle en français ou en anglais ?");
    const crisis = await sendMessage(app.url, "chu pu capable, j'vais me tuer ce soir", ids);
    expect(crisisLinesShown(crisis.replies)).toBe(true);
    await sendMessage(app.url, 'oui', ids);
    const resumed = await sendMessage(app.url, 'Reprendre', ids);
    expect(textsOf(resumed.replies)).toEqual(["Tu préfères qu'on se parle en français ou en anglais ?"]);
    const answered = await sendMessage(app.url, 'Français', ids);
    expect(textsOf(answered.replies).join('\n')).toMatch(/Est-ce que tu acceptes que je garde ces informations/);
  });

  it('meets a concern with empathy and the direct question, and reads the answer in context', async () => {
    const ids = nextConversation();
    await greet(ids);
    const concern = await sendMessage(app.url, "j'aimerais m'endormir pis pus jamais me réveiller", ids);
    const texts = textsOf(concern.replies);
    expect(texts.join('\n')).toMatch(/est-ce que tu penses au suicide/);
    expect(crisisLinesShown(concern.replies)).toBe(false);
    const before = notifier.messages.length;
    const yes = await sendMessage(app.url, 'oui', ids);
    expect(crisisLinesShown(yes.replies)).toBe(true);
    await app.escalationsSettled();
    expect(notifier.messages.length).toBe(before + 1);
  });

  it('takes "no" to the direct question calmly', async () => {
    const ids = nextConversation();
    await greet(ids);
    await sendMessage(app.url, 'I feel like a burden to everyone', { ...ids, locale: 'en-CA' });
    const no = await sendMessage(app.url, 'No', { ...ids, locale: 'en-CA' });
    expect(textsOf(no.replies)[0]).toMatch(/Thank you for answering/);
    expect(crisisLinesShown(no.replies)).toBe(false);
  });

  it('shows the crisis lines on the global word "urgence" without raising an alert', async () => {
    const ids = nextConversation();
    await greet(ids);
    const before = notifier.messages.length;
    const { replies } = await sendMessage(app.url, 'urgence', ids);
    expect(crisisLinesShown(replies)).toBe(true);
    expect(textsOf(replies)).toContain('Est-ce que tu es en sécurité en ce moment ?');
    await app.escalationsSettled();
    expect(notifier.messages.length).toBe(before);
  });

  it('does not cry wolf on figures of speech', async () => {
    const ids = nextConversation();
    await greet(ids);
    for (const text of ['je meurs de rire', 'ce trafic me tue', 'I killed it at my presentation']) {
      const { replies } = await sendMessage(app.url, text, ids);
      expect(crisisLinesShown(replies)).toBe(false);
    }
  });

  it('raises repeated concerns over a short span to a crisis', async () => {
    const ids = nextConversation();
    await greet(ids);
    await sendMessage(app.url, 'je suis un fardeau pour tout le monde', ids);
    await sendMessage(app.url, 'non', ids);
    const second = await sendMessage(app.url, 'je vois aucune issue, rien va changer', ids);
    expect(crisisLinesShown(second.replies)).toBe(true);
  });

  it('still sends the crisis lines and alerts a human when storage throws', async () => {
    const ids = nextConversation();
    await greet(ids);
    // The previous test's alert may still be on its way: count from a settled outbox.
    await app.escalationsSettled();
    store.unavailable = true;
    const before = notifier.messages.length;
    const { status, replies } = await sendMessage(app.url, 'je veux en finir, j’ai une corde', ids);
    expect(status).toBe(200);
    expect(crisisLinesShown(replies)).toBe(true);
    expect(textsOf(replies)).toContain('Est-ce que tu es en sécurité en ce moment ?');
    await app.escalationsSettled();
    expect(notifier.messages.length).toBe(before + 1);
  });
});
