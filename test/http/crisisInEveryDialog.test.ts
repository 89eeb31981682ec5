import { startPetitsPas, type RunningApp } from '../../bot/app';
import { RecordingNotifier } from '../support/escalations';
import { sendMessage, testConfig, textsOf, type ActivityReply } from '../support/http';
import { onboardOverHttp } from '../support/onboarding';

/**
 * A crisis can come in the middle of any dialog: it is handed to the safety flow at once, and the
 * dialog resumes — with its question asked again — only when the person chooses "Reprendre".
 */
const MENU_OPTIONS = ["Ce qui m'aide", 'Mon plan', 'Faire le point', 'Mes questionnaires', 'Mon plan de sécurité', 'Mes données'];

const lastQuestion = (replies: ActivityReply[]) => [...replies].reverse().find((r) => r.type === 'message' && r.text)?.text;
const crisisLinesShown = (replies: ActivityReply[]) => ['911', 'APPELLE', '535353'].every((line) => textsOf(replies).join('\n').includes(line));

describe('a crisis in the middle of each dialog', () => {
  let app: RunningApp;
  let env: ReturnType<typeof testConfig>;
  const notifier = new RecordingNotifier();

  beforeAll(async () => {
    env = testConfig();
    app = await startPetitsPas(env.config, { notifiers: { primary: notifier }, startScheduler: false });
  });
  afterAll(async () => {
    await app.stop();
    env.cleanup();
  });

  it.each(MENU_OPTIONS)('in "%s": crisis lines at once, one alert, and the same question again on "Reprendre"', async (option) => {
    const ids = { conversationId: `every-${option}`, userId: `every-person-${option}` };
    await onboardOverHttp(app.url, ids);
    const opened = await sendMessage(app.url, option, ids);
    const question = lastQuestion(opened.replies);
    expect(question).toBeDefined();

    const before = notifier.count({ kind: 'alert' });
    const crisis = await sendMessage(app.url, "j'ai pris toutes mes pilules pour en finir", ids);
    expect(crisisLinesShown(crisis.replies)).toBe(true);
    await app.escalationsSettled();
    expect(notifier.count({ kind: 'alert' })).toBe(before + 1);

    await sendMessage(app.url, 'Oui, je suis en sécurité', ids);
    const resumed = await sendMessage(app.url, 'Reprendre', ids);
    expect(lastQuestion(resumed.replies)).toBe(question);
  });
});
