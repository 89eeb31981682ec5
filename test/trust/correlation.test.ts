/**
 * Correlation ids travel explicitly: on the request, and on the turn through the logic handed to
 * the adapter, so middleware that runs before the logic already logs with the id.
 */
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
import { correlatedTurnLogic, correlationIdFor, requestLogger, setRequestCorrelationId, turnLogger } from '../../bot/hardening/correlation';
import { createLogger } from '../../bot/observability/logger';

function capture(): { lines: Array<Record<string, unknown>>; logger: ReturnType<typeof createLogger> } {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(JSON.parse(line) as Record<string, unknown>)) };
}

describe('correlation ids', () => {
  it('keep a plain short X-Request-Id and replace anything else with a new random id', () => {
    expect(correlationIdFor('proxy-id-1234')).toBe('proxy-id-1234');
    expect(correlationIdFor(['first-id-5678', 'second'])).toBe('first-id-5678');
    for (const bad of [undefined, '', 'short', 'has space in it', 'x'.repeat(65), '<script>alert</script>']) {
      expect(correlationIdFor(bad)).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(correlationIdFor(undefined)).not.toBe(correlationIdFor(undefined));
  });

  it('are added to the lines of a request that has one, and only to those', () => {
    const { lines, logger } = capture();
    const request = {};
    setRequestCorrelationId(request, 'request-id-0001');
    requestLogger(request, logger).info('with_id');
    requestLogger({}, logger).info('without_id');
    expect(lines.map((l) => [l.event, l.correlationId])).toEqual([
      ['with_id', 'request-id-0001'],
      ['without_id', undefined],
    ]);
  });

  it('reach the middleware of the turn the request runs, and not other turns', async () => {
    const { lines, logger } = capture();
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    adapter.use(async (context: TurnContext, next) => {
      turnLogger(context, logger).info('middleware_line');
      await next();
    });
    const logic = async (context: TurnContext) => turnLogger(context, logger).info('logic_line');
    const activity = (text: string) =>
      ({ type: ActivityTypes.Message, text, channelId: 'test', serviceUrl: 'http://127.0.0.1:1', conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } }) as Activity;
    // Two turns at once: each keeps its own id.
    await Promise.all([
      adapter.processActivityDirect('', activity('a'), correlatedTurnLogic(logic, 'turn-id-0001')),
      adapter.processActivityDirect('', activity('b'), correlatedTurnLogic(logic, 'turn-id-0002')),
    ]);
    await adapter.processActivityDirect('', activity('c'), correlatedTurnLogic(logic, undefined));
    const seen = lines.map((l) => `${String(l.event)} ${String(l.correlationId)}`);
    expect(seen.slice(0, 4).sort()).toEqual(['logic_line turn-id-0001', 'logic_line turn-id-0002', 'middleware_line turn-id-0001', 'middleware_line turn-id-0002']);
    expect(seen.slice(4)).toEqual(['middleware_line undefined', 'logic_line undefined']);
  });
});
