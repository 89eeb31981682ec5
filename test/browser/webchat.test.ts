import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startPetitsPas, type RunningApp } from '../../bot/app';
import { PROJECT_ROOT } from '../support/dist';
import { testConfig } from '../support/http';

/**
 * The web chat page in a real headless Chromium (Debian's package; scripts/install-test-deps.sh
 * installs it) against the real bot and its local Direct Line. Waits on elements, never on sleeps.
 * Screenshots land in test-output/browser/ (gitignored).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(PROJECT_ROOT, 'test-output', 'browser');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

jest.setTimeout(60_000);

// The callbacks given to page.evaluate/waitForFunction run in the browser; the project compiles
// without the DOM library, so these names are declared here, for this file only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare function getComputedStyle(element: unknown): any;
type HTMLElement = any;

const TRANSCRIPT = '.webchat__basic-transcript';
const BOT_BUBBLE = `${TRANSCRIPT} .webchat__bubble:not(.webchat__bubble--from-user)`;
const USER_BUBBLE = `${TRANSCRIPT} .webchat__bubble.webchat__bubble--from-user`;
const SEND_BOX = '[data-id="webchat-sendbox-input"]';
const SUGGESTED = '.webchat__suggested-actions__button';

interface Watched {
  page: Page;
  context: BrowserContext;
  problems: string[];
}

describe('web chat page in headless Chromium (real bot, local Direct Line)', () => {
  let app: RunningApp;
  let env: ReturnType<typeof testConfig>;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}: the browser tests need it. Install it with "bash scripts/install-test-deps.sh" (apt-get install chromium) or set CHROMIUM_PATH.`);
    }
    mkdirSync(SHOTS, { recursive: true });
    env = testConfig();
    app = await startPetitsPas(env.config);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (app) {
      await app.escalationsSettled();
      await app.stop();
    }
    env?.cleanup();
  });

  /** A fresh browser context; page errors and CSP violations are collected as problems. */
  async function open(viewport = { width: 1024, height: 768 }, path = '/'): Promise<Watched> {
    const context = await browser.newContext({ viewport, locale: 'fr-CA' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.exposeFunction('reportCspViolation', (text: string) => problems.push(`CSP: ${text}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event: { violatedDirective: string; blockedURI: string }) => {
        (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    page.setDefaultTimeout(15_000);
    await page.goto(`${app.url}${path}`);
    return { page, context, problems };
  }

  const transcriptText = (page: Page) => page.locator(TRANSCRIPT).innerText();
  const botBubbles = (page: Page) => page.locator(BOT_BUBBLE).count();

  async function waitForTranscript(page: Page, pattern: RegExp): Promise<void> {
    await page.waitForFunction(
      ({ selector, source, flags }) => new RegExp(source, flags).test((document.querySelector(selector) as HTMLElement | null)?.innerText ?? ''),
      { selector: TRANSCRIPT, source: pattern.source, flags: pattern.flags },
      { timeout: 15_000 },
    );
  }

  async function waitForMoreBotBubbles(page: Page, than: number): Promise<void> {
    await page.waitForFunction(({ selector, count }) => document.querySelectorAll(selector).length > count, { selector: BOT_BUBBLE, count: than }, { timeout: 15_000 });
  }

  /** Web Chat scrolls smoothly to new activities: wait until the last one is fully in view (for screenshots). */
  async function waitForScrolledToLast(page: Page): Promise<void> {
    await page.waitForFunction(
      ({ transcript, bubble }) => {
        const last = [...document.querySelectorAll(bubble)].pop();
        const area = document.querySelector(transcript)?.getBoundingClientRect();
        if (!last || !area) return false;
        const box = last.getBoundingClientRect();
        return box.bottom <= area.bottom + 1 && box.top >= area.top - 1;
      },
      { transcript: TRANSCRIPT, bubble: `${TRANSCRIPT} .webchat__bubble` },
    );
  }

  async function send(page: Page, text: string): Promise<void> {
    const box = page.locator(SEND_BOX);
    await box.fill(text);
    await box.press('Enter');
  }

  it('serves the page in French, with security headers and the emergency line always visible', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    try {
      const response = await page.goto(app.url);
      const headers = response?.headers() ?? {};
      const csp = headers['content-security-policy'];
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).toMatch(/connect-src 'self'(;|$)/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('no-referrer');

      expect(await page.getAttribute('html', 'lang')).toBe('fr-CA');
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Petits pas');
      const emergency = page.getByRole('complementary');
      await expect(emergency.innerText()).resolves.toMatch(/pas un service d'urgence[\s\S]*911[\s\S]*1\s866\sAPPELLE \(277-3553\)/);
      expect(await page.getByRole('link', { name: '911' }).getAttribute('href')).toBe('tel:911');
      expect(await page.getByRole('banner').count()).toBe(1);
      expect(await page.getByRole('main').count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Français' }).getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('false');

      // Contrast AA of the emergency line, computed from the rendered colours.
      const ratio = await emergency.evaluate((element) => {
        const rgb = (value: string) => (value.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
        const luminance = ([r, g, b]: number[]) => {
          const [lr, lg, lb] = [r, g, b].map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
          return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
        };
        const style = getComputedStyle(element);
        const [a, b] = [luminance(rgb(style.color)), luminance(rgb(style.backgroundColor))].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
      });
      expect(ratio).toBeGreaterThanOrEqual(4.5);

      // Keyboard: the first Tab shows the skip link, the next ones reach the language buttons with a visible ring.
      await page.keyboard.press('Tab');
      await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('skip-link');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement;
        const style = getComputedStyle(element);
        return { text: element.innerText, outline: style.outlineStyle, width: style.outlineWidth };
      });
      expect(focused).toMatchObject({ text: 'Français', outline: 'solid', width: '3px' });
    } finally {
      await context.close();
    }
  });

  it('converses in French: greeting, a button reply clicked, then the crisis lines after a crisis message', async () => {
    const { page, context, problems } = await open();
    try {
      await waitForTranscript(page, /Petits pas/);
      await waitForTranscript(page, /pas une thérapie/);
      expect(await page.locator(SEND_BOX).getAttribute('placeholder')).toBe('Écrivez votre message');

      await send(page, 'bonjour');
      await page.locator(SUGGESTED).first().waitFor();
      await waitForScrolledToLast(page);
      await page.screenshot({ path: join(SHOTS, 'fr-buttons.png') });
      const button = page.locator(SUGGESTED).first();
      const title = (await button.innerText()).trim();
      const before = await botBubbles(page);
      await button.click();
      await page.locator(USER_BUBBLE, { hasText: title }).first().waitFor();
      await waitForMoreBotBubbles(page, before);

      await send(page, 'je veux mourir');
      await waitForTranscript(page, /535353/);
      const transcript = await transcriptText(page);
      expect(transcript).toMatch(/911/);
      expect(transcript).toMatch(/1 866 APPELLE/);
      await waitForScrolledToLast(page);
      await page.screenshot({ path: join(SHOTS, 'fr-crisis.png') });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('switches to English: page, Web Chat and a new conversation in English', async () => {
    const { page, context, problems } = await open();
    try {
      await waitForTranscript(page, /Petits pas/);
      await page.getByRole('button', { name: 'English' }).click();
      await page.waitForFunction(() => document.documentElement.lang === 'en-CA');
      expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
      await expect(page.getByRole('complementary').innerText()).resolves.toMatch(/not an emergency service[\s\S]*911[\s\S]*1\s866\sAPPELLE/);
      expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
      await page.getByRole('status').filter({ hasText: 'New conversation in English' }).waitFor();
      await waitForTranscript(page, /not an emergency service|not therapy/);
      expect(await transcriptText(page)).not.toMatch(/thérapie/);
      expect(await page.locator(SEND_BOX).getAttribute('placeholder')).toBe('Type your message');

      const before = await botBubbles(page);
      await send(page, 'hello');
      await waitForMoreBotBubbles(page, before);
      await waitForScrolledToLast(page);
      await page.screenshot({ path: join(SHOTS, 'en-switched.png') });

      // And back: a reload keeps the chosen language.
      await page.reload();
      expect(await page.getAttribute('html', 'lang')).toBe('en-CA');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('fits a phone: emergency line and send box on screen, no sideways scrolling', async () => {
    const { page, context, problems } = await open({ width: 375, height: 667 });
    try {
      await waitForTranscript(page, /Petits pas[\s\S]*911/);
      await send(page, 'bonjour');
      await page.locator(SUGGESTED).first().waitFor();
      const layout = await page.evaluate(
        ({ sendBox }) => {
          const box = (selector: string) => (document.querySelector(selector) as HTMLElement).getBoundingClientRect();
          return {
            emergency: box('.emergency'),
            sendBox: box(sendBox),
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            innerHeight: window.innerHeight,
          };
        },
        { sendBox: SEND_BOX },
      );
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.emergency.top).toBeGreaterThanOrEqual(0);
      expect(layout.emergency.bottom).toBeLessThanOrEqual(layout.innerHeight / 2);
      expect(layout.sendBox.bottom).toBeLessThanOrEqual(layout.innerHeight);
      await waitForScrolledToLast(page);
      await page.screenshot({ path: join(SHOTS, 'phone.png') });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows a clear message for a broken token, and the restart button brings the conversation back', async () => {
    const { page, context } = await browser.newContext({ viewport: { width: 1024, height: 768 } }).then(async (ctx) => ({ context: ctx, page: await ctx.newPage() }));
    try {
      let broken = true;
      await page.route('**/api/directline/token', async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        await route.fulfill({ response, json: broken ? { ...body, token: `${String(body.token).slice(0, -4)}AAAA` } : body });
      });
      await page.goto(app.url);
      const status = page.getByRole('status');
      await status.filter({ hasText: "n'est plus valide" }).waitFor();
      const restart = page.getByRole('button', { name: 'Recommencer la conversation' });
      await restart.waitFor();
      await page.screenshot({ path: join(SHOTS, 'broken-token.png') });

      broken = false;
      await restart.click();
      await waitForTranscript(page, /Petits pas/);
      await expect(status.isHidden()).resolves.toBe(true);
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('chat');
    } finally {
      await context.close();
    }
  });

  it('shows a clear message when the token stops working mid-conversation', async () => {
    const { page, context } = await open();
    try {
      await waitForTranscript(page, /Petits pas/);
      // From now on the page's requests carry a token the server does not know: it answers 403.
      await page.route('**/v3/directline/conversations/*/activities*', (route) =>
        route.continue({ headers: { ...route.request().headers(), authorization: 'Bearer broken.token.here' } }),
      );
      await page.getByRole('status').filter({ hasText: "n'est plus valide" }).waitFor();
      await page.getByRole('button', { name: 'Recommencer la conversation' }).waitFor();
      await page.screenshot({ path: join(SHOTS, 'expired-mid-conversation.png') });
    } finally {
      await context.close();
    }
  });

  it('keeps an over-long message in the box with a clear message, and a long one goes through', async () => {
    const { page, context, problems } = await open();
    try {
      await waitForTranscript(page, /Petits pas/);
      const max = env.config.maxMessageChars;
      const sentBefore = await page.locator(USER_BUBBLE).count();
      await send(page, 'x'.repeat(max + 1));
      await page.getByRole('status').filter({ hasText: 'trop long' }).waitFor();
      expect(await page.locator(SEND_BOX).inputValue()).toHaveLength(max + 1);
      expect(await page.locator(USER_BUBBLE).count()).toBe(sentBefore);
      await page.screenshot({ path: join(SHOTS, 'too-long.png') });

      const before = await botBubbles(page);
      const long = 'Je me sens fatigué ces temps-ci et je cherche des idées pour mieux dormir. '.repeat(60).slice(0, max - 10);
      await send(page, long);
      await waitForMoreBotBubbles(page, before);
      await expect(page.getByRole('status').isHidden()).resolves.toBe(true);
      const again = await botBubbles(page);
      await send(page, 'menu');
      await waitForMoreBotBubbles(page, again);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
