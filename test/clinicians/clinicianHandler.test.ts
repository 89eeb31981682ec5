/**
 * The clinician side through a TeamsActivityHandler and TestAdapter, with the channel data Teams
 * sends (tenant and team ids, conversation types, AAD object ids): commands, summaries and every
 * refusal (other tenant, other team, not a member, not the linked clinician, unknown person,
 * withdrawn consent), which must read the same whatever the reason.
 */
import { buildEscalation } from '../../core/escalation/escalation';
import { addMean, addReview, chooseAction, rateConfidence, setStepField, type Plan } from '../../core/plan/plan';
import { ChartRenderer, pngSize, renderTrendChart } from '../../adapters/charts/trendChart';
import { SUMMARY_MARK_ID } from '../../bot/clinicians/summaryService';
import { SECRET_WORDS, TEST_SECRET } from '../support/escalations';
import {
  cardOf,
  CLIN_A,
  CLIN_B,
  createWorld,
  elementsOf,
  linkPerson,
  OTHER_TEAM,
  OTHER_TENANT,
  OUTSIDER,
  teamsActivity,
  textsOf,
  type World,
} from './helpers';

const OWN_WORDS = 'Appeler ma sœur [ici](https://evil.example) le dimanche';
let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.cleanup());

async function preparePlan(personKey: string, at: Date): Promise<void> {
  const day = (n: number) => new Date(at.getTime() - n * 24 * 3_600_000);
  await world.plans.update(
    personKey,
    (plan: Plan) => {
      let p = addMean(plan, { kind: 'catalogue', id: 'sleep-routine', category: 'habits' }, 'now', day(20)).plan;
      p = addMean(p, { kind: 'own', text: OWN_WORDS, category: 'relationships' }, 'explore', day(20)).plan;
      const chosen = chooseAction(p, 'sleep-routine', day(14));
      if (chosen.outcome !== 'chosen') throw new Error('choose failed');
      p = chosen.plan;
      const id = chosen.action.id;
      p = setStepField(p, id, 'what', 'Me coucher à 23 h', day(14)).plan;
      p = setStepField(p, id, 'when', 'en semaine', day(14)).plan;
      p = setStepField(p, id, 'where', 'à la maison', day(14)).plan;
      p = setStepField(p, id, 'howOften', '5 soirs', day(14)).plan;
      p = rateConfidence(p, id, 5, day(14)).plan;
      p = rateConfidence(p, id, 6, day(7)).plan;
      p = rateConfidence(p, id, 8, day(1)).plan;
      p = addReview(p, id, { outcome: 'worked' }, day(2)).plan;
      return p;
    },
    { now: day(21) },
  );
}

describe('link codes from Teams', () => {
  it('gives a member a code in a personal chat, and remembers where to reach them privately', async () => {
    const [reply] = await world.send(teamsActivity({ text: 'nouveau code' }));
    expect(reply.text).toMatch(/^Code de liaison : [A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}\n\nRemettez ce code/);
    expect(reply.text).toContain('6 mars 2025');
    expect(world.store.count('state')).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await world.links.clinicianReference(CLIN_A.aad)).toMatchObject({ conversation: { conversationType: 'personal' } });
    expect(world.membership.calls).toBe(1);
  });

  it('answers an @mention in the team’s channel, the mention removed', async () => {
    const [code] = await world.send(teamsActivity({ conversationType: 'channel', text: 'new code', mention: true, locale: 'en-US' }));
    expect(code.text).toMatch(/^Link code: [A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}/);
    const [help] = await world.send(teamsActivity({ conversationType: 'channel', text: '', mention: true }));
    expect(help.text).toMatch(/^Commandes de l'équipe clinique/);
    expect(await world.links.clinicianReference(CLIN_A.aad)).toBeUndefined(); // never a channel
  });

  it('leaves a person’s own words to their conversation, and refuses clinician commands to non-members', async () => {
    expect(textsOf(await world.send(teamsActivity({ from: OUTSIDER, text: 'code' })))).toBe('PERSON_FLOW ');
    expect(textsOf(await world.send(teamsActivity({ from: CLIN_A, tenantId: OTHER_TENANT, text: 'code' })))).toBe('PERSON_FLOW ');
    expect(textsOf(await world.send({ ...teamsActivity({ text: 'code' }), channelId: 'webchat' }))).toBe('PERSON_FLOW ');
    expect(textsOf(await world.send(teamsActivity({ from: OUTSIDER, text: 'bonjour' })))).toBe('PERSON_FLOW ');
    const [refusal] = await world.send(teamsActivity({ from: OUTSIDER, text: 'résumé P-0123456789AB' }));
    expect(refusal.text).toBe('Cette commande est réservée aux membres de l’équipe clinique.'.replace('’', "'"));
    expect(world.store.count('state')).toBe(0);
  });

  it('refuses in another team’s channel, to a non-member in the channel, and in group chats', async () => {
    expect((await world.send(teamsActivity({ conversationType: 'channel', teamId: OTHER_TEAM, text: 'code', mention: true })))[0].text).toMatch(/seulement dans l'équipe clinique configurée/);
    expect((await world.send(teamsActivity({ conversationType: 'channel', from: OUTSIDER, text: 'code', mention: true })))[0].text).toMatch(/réservée aux membres/);
    expect((await world.send(teamsActivity({ conversationType: 'channel', tenantId: OTHER_TENANT, text: 'code', mention: true })))[0].text).toMatch(/réservée aux membres/);
    expect((await world.send(teamsActivity({ conversationType: 'groupChat', text: 'nouveau code', mention: true })))[0].text).toMatch(/conversation de groupe/);
    expect(textsOf(await world.send(teamsActivity({ conversationType: 'groupChat', text: 'salut', mention: true })))).toBe('PERSON_FLOW ');
    expect(world.store.count('state')).toBe(0);
  });

  it('says so when membership cannot be checked, changing nothing', async () => {
    world.membership.unavailable = true;
    expect((await world.send(teamsActivity({ text: 'délier P-0123456789AB' })))[0].text).toMatch(/Je ne peux pas vérifier votre accès/);
    expect(textsOf(await world.send(teamsActivity({ text: 'code' })))).toBe('PERSON_FLOW ');
    expect(world.store.count('state')).toBe(0);
  });
});

describe('summaries on demand', () => {
  it('sends the linked clinician a card: plan, tiny steps, motivation, scores, satisfaction, escalations', async () => {
    const alex = await world.person(1);
    await preparePlan(alex.personKey, world.now);
    const alexId = await linkPerson(world, CLIN_A, alex);
    const escalation = buildEscalation({
      secret: TEST_SECRET,
      personKey: alex.personKey,
      eventId: 'evt-1',
      level: 'crisis',
      categories: ['suicidal_ideation'],
      text: SECRET_WORDS,
      createdAt: '2025-03-01T03:00:00.000Z',
      locale: 'fr-CA',
    });
    await world.outbox.enqueue(escalation, new Date('2025-03-01T03:00:00.000Z'));
    await world.outbox.acknowledge(escalation.id, escalation.personId, 'Dre Tremblay', new Date('2025-03-01T03:05:00.000Z'));

    const replies = await world.send(teamsActivity({ text: `résumé ${alexId.toLowerCase()}` }));
    expect(replies).toHaveLength(1);
    expect(replies[0].summary).toBe('Résumé entre les rencontres');
    const card = cardOf(replies[0]);
    const all = JSON.stringify(card);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(all).toContain(alexId);
    expect(all).toContain('Période : depuis le début');
    expect(all).toContain('semaine 4 sur 8'); // started 21 days ago
    expect(all).toContain('Me coucher et me lever à heures fixes (le fait déjà)'); // catalogue label, clinician's language
    expect(all).toContain('réussis : 1 ; en partie : 0 ; pas réussis : 0');
    expect(all).toContain('Confiance dans les petits pas (0 à 10)');
    expect(all).toContain('8/10, en hausse');
    expect(all).toContain('Aucun questionnaire rempli');
    expect(all).toMatch(/crise \(idées suicidaires\), réception accusée/);
    expect(all).not.toContain(SECRET_WORDS); // never the excerpt
    // The person's own words only as literal text runs, never as markdown.
    const runs = elementsOf(card).filter((e) => e.type === 'TextRun').map((e) => e.text as string);
    expect(runs.some((t) => t.includes(OWN_WORDS))).toBe(true);
    expect(runs.some((t) => t.includes('Me coucher à 23 h — en semaine — à la maison — 5 soirs'))).toBe(true);
    const blocks = elementsOf(card).filter((e) => e.type === 'TextBlock').map((e) => e.text as string);
    expect(blocks.some((t) => t.includes('evil.example'))).toBe(false);
    // The next summary starts from this one.
    expect((await world.store.get<{ lastSummaryAt: string }>('people', alex.personKey, SUMMARY_MARK_ID))?.body.lastSummaryAt).toBe(world.now.toISOString());
    world.now = new Date('2025-03-10T15:00:00.000Z');
    const next = JSON.stringify(cardOf((await world.send(teamsActivity({ text: `résumé ${alexId}` })))[0]));
    expect(next).toContain('Période : depuis le');
    expect(next).toContain('Aucune alerte');
    expect(next).toContain('réussis : 0 ; en partie : 0 ; pas réussis : 0');
    // Logs: ids only.
    const logs = world.lines.join('\n');
    for (const secret of [SECRET_WORDS, OWN_WORDS, alex.personKey, CLIN_A.name, 'Me coucher']) expect(logs).not.toContain(secret);
    expect(logs).toContain('clinician_summary_sent');
  });

  it('refuses everyone else with the same words, whatever the reason', async () => {
    const alex = await world.person(1);
    const sam = await world.person(2);
    const alexId = await linkPerson(world, CLIN_A, alex);
    const samId = await linkPerson(world, CLIN_A, sam);
    const answer = async (from: typeof CLIN_A, id: string) => {
      const replies = await world.send(teamsActivity({ from, text: `résumé ${id}` }));
      expect(replies.every((r) => !r.attachments)).toBe(true);
      return textsOf(replies).replace(id, '<id>');
    };
    const notLinked = await answer(CLIN_B, alexId);
    const unknown = await answer(CLIN_A, 'P-0123456789AB');
    await world.setShare(sam.userStateKey, false);
    const withdrawn = await answer(CLIN_A, samId);
    expect(notLinked).toBe('Aucune personne liée à vous ne correspond à <id>. ');
    expect(unknown).toBe(notLinked);
    expect(withdrawn).toBe(notLinked);
    // Other tenant or non-member: refused before anything is looked up.
    expect(await answer(OUTSIDER, alexId)).toMatch(/réservée aux membres/);
    const otherTenant = await world.send(teamsActivity({ from: CLIN_A, tenantId: OTHER_TENANT, text: `résumé ${alexId}` }));
    expect(textsOf(otherTenant)).toMatch(/réservée aux membres/);
  });

  it('keeps summaries and the list out of channels', async () => {
    const alex = await world.person(1);
    const alexId = await linkPerson(world, CLIN_A, alex);
    for (const text of [`résumé ${alexId}`, 'liste']) {
      const replies = await world.send(teamsActivity({ conversationType: 'channel', text, mention: true }));
      expect(textsOf(replies)).toMatch(/seulement en conversation privée/);
      expect(textsOf(replies)).not.toContain(alexId);
    }
  });

  it('lists the clinician’s people and unlinks them on request', async () => {
    const alex = await world.person(1);
    const alexId = await linkPerson(world, CLIN_A, alex);
    expect(textsOf(await world.send(teamsActivity({ from: CLIN_B, text: 'liste' })))).toMatch(/Aucune personne n'est liée à vous/);
    const list = textsOf(await world.send(teamsActivity({ text: 'liste' })));
    expect(list).toContain('Personnes liées à vous (1) :');
    expect(list).toContain(`- ${alexId}, depuis le 3 mars 2025`);
    expect(textsOf(await world.send(teamsActivity({ from: CLIN_B, text: `délier ${alexId}` })))).toMatch(/Aucune personne liée à vous ne correspond/);
    expect(await world.links.linkOf(alex.personKey)).toBeDefined();
    expect(textsOf(await world.send(teamsActivity({ text: `délier ${alexId}` })))).toContain(`${alexId} n'est plus lié·e à vous.`);
    expect(textsOf(await world.send(teamsActivity({ text: `résumé ${alexId}` })))).toMatch(/Aucune personne liée à vous/);
    expect(textsOf(await world.send(teamsActivity({ text: 'résumé' })))).toMatch(/Précisez le pseudonyme/);
  });

  it('speaks English to an English Teams client and says when the store is down', async () => {
    expect(textsOf(await world.send(teamsActivity({ text: 'clinician help', locale: 'en-US' })))).toMatch(/^Clinical team commands/);
    world.store.unavailable = true;
    expect(textsOf(await world.send(teamsActivity({ text: 'new code', locale: 'en-US' })))).toMatch(/I can't reach the data right now/);
  });

  it('notifies the clinician privately when a person uses their code', async () => {
    await world.send(teamsActivity({ text: 'code' }));
    await new Promise((resolve) => setImmediate(resolve));
    const alex = await world.person(1);
    const alexId = await linkPerson(world, CLIN_A, alex);
    expect(world.linkedEvents).toEqual([{ clinicianId: CLIN_A.aad, personId: alexId }]);
  });
});

describe('the summary with questionnaires and a chart', () => {
  const renderer = new ChartRenderer();
  afterAll(() => renderer.close());

  it('shows bands, caseness, reliable change, the ruler and the chart image', async () => {
    world.cleanup();
    world = await createWorld({
      renderChart: (input) => renderTrendChart(input, { renderer }),
      measures: {
        scoresFor: async () => [
          { instrument: 'PHQ-9', score: 19, band: 'moderately_severe', at: '2025-01-10T15:00:00.000Z', caseness: true },
          { instrument: 'PHQ-9', score: 12, band: 'moderate', at: '2025-03-01T15:00:00.000Z', caseness: true, reliableChange: 'improved' },
          { instrument: 'GAD-7', score: 9, band: 'mild', at: '2025-03-01T15:00:00.000Z', caseness: true, reliableChange: 'none' },
          { instrument: 'WSAS', score: 14, band: 'significant', at: '2025-03-01T15:00:00.000Z' },
        ],
        motivationFor: async () => [
          { at: '2025-02-10T15:00:00.000Z', value: 4 },
          { at: '2025-02-20T15:00:00.000Z', value: 6 },
          { at: '2025-03-01T15:00:00.000Z', value: 7 },
        ],
        helpfulnessFor: async () => [{ at: '2025-03-01T15:00:00.000Z', value: 8 }],
      },
    });
    const alex = await world.person(1);
    const alexId = await linkPerson(world, CLIN_A, alex);
    const [reply] = await world.send(teamsActivity({ text: `summary ${alexId}`, locale: 'en-CA' }));
    const card = cardOf(reply);
    const facts = elementsOf(card).filter((e) => typeof e.title === 'string' && typeof e.value === 'string') as { title: string; value: string }[];
    const fact = (title: string) => facts.find((f) => f.title === title)?.value;
    expect(fact('PHQ-9')).toBe('12/27, moderate (Mar 1, 2025) · above the clinical cut-off · reliable improvement · −7 since Jan 10, 2025');
    expect(fact('GAD-7')).toBe('9/21, mild (Mar 1, 2025) · above the clinical cut-off · no reliable change');
    expect(fact('WSAS')).toBe('14/40, significant (Mar 1, 2025)');
    expect(fact('Petits pas helps (0 to 10)')).toBe('8/10 (Mar 1, 2025)');
    expect(JSON.stringify(card)).toContain('Motivation (0 to 10 ruler, at check-ins)');
    expect(JSON.stringify(card)).toContain('7/10, rising');
    const image = elementsOf(card).find((e) => e.type === 'Image') as { url: string; altText: string };
    expect(image.altText).toMatch(/^Chart:/);
    expect(image.url).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(image.url.slice('data:image/png;base64,'.length), 'base64');
    expect(pngSize(png)).toEqual({ width: 480, height: 200 });
    expect(JSON.stringify(reply).length).toBeLessThan(28_000); // Teams' message size limit
  });
});

describe('createClinicianSide (what bot/app.ts calls)', () => {
  it('assembles a working side from settings, and refuses everything when not configured', async () => {
    const { createClinicianSide } = await import('../../bot/clinicians');
    const { TestAdapter } = await import('botbuilder');
    const { TestClinicianBot, FakeMembership, TEAM, TENANT } = await import('./helpers');
    const { silentLogger } = await import('../../bot/observability/logger');
    const common = {
      store: world.store,
      texts: world.texts,
      catalogue: world.catalogue,
      plans: world.plans,
      outbox: world.outbox,
      adapter: { continueConversationAsync: async () => undefined },
      botAppId: 'app-id',
      pseudonymSecret: 'another-secret',
      consentVersion: 'c-test00000001',
      defaultLocale: 'fr-CA' as const,
      timeZone: 'America/Toronto',
      logger: silentLogger,
      membership: new FakeMembership(),
      renderChart: null,
    };
    const run = async (side: ReturnType<typeof createClinicianSide>, text: string) => {
      const adapter = new TestAdapter(async (context) => new TestClinicianBot(side.handler).run(context));
      await adapter.processActivity(teamsActivity({ text }));
      return adapter.activeQueue.map((a) => a.text).join('\n');
    };
    const on = createClinicianSide({ ...common, settings: { tenantId: TENANT, teamId: TEAM, linkCodeHours: 24, summaryHoursBefore: 24 } });
    expect(on.team).toEqual({ tenantId: TENANT, teamId: TEAM });
    expect(on.webhook).toBeUndefined();
    expect(await run(on, 'nouveau code')).toMatch(/^Code de liaison/);
    const off = createClinicianSide({ ...common, settings: undefined });
    expect(await run(off, 'nouveau code')).toBe('PERSON_FLOW');
    expect(await run(off, 'résumé P-0123456789AB')).toMatch(/réservée aux membres/);
    expect(typeof on.summaryJob).toBe('function');
  });
});
