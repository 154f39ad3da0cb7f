/**
 * The lab on a phone (390 x 844): a compact header, Run and the first chart above the fold, the form after
 * the results in folded sections that open on a tap, every control at least 40 px tall, Stop in Run's place
 * while a run goes; and, widened to a desktop, the form back on the left with every section open.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, outcome, run, tinyExperiment, waitForBackend } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();
const PHONE = { width: 390, height: 844 };

/** Each form section's title and whether it is open. */
const sections = (page: Page) =>
  page.$$eval('form details.panel-section', (all) => all.map((d) => `${d.querySelector('summary')?.textContent ?? ''}: ${(d as HTMLDetailsElement).open ? 'open' : 'folded'}`));

/** Every rendered control (a checkbox by its label, the target a finger hits) with its height in px. */
const controlHeights = (page: Page, scope: string) =>
  page.$$eval(`${scope} :is(input, select, button, summary)`, (all) =>
    all
      .map((c) => {
        const target = (c as HTMLInputElement).type === 'checkbox' ? (c.closest('label') ?? c) : c;
        const box = target.getBoundingClientRect();
        const name = c.getAttribute('name') ?? c.getAttribute('data-testid') ?? c.textContent?.trim() ?? c.tagName;
        return { name, height: Math.round(box.height * 10) / 10, shown: c.getClientRects().length > 0 };
      })
      .filter((c) => c.shown)
      .map(({ name, height }) => ({ name, height })),
  );

const top = (page: Page, selector: string) => page.$eval(selector, (e) => e.getBoundingClientRect().top + window.scrollY);

describe('phone width', () => {
  it('puts a compact header, Run and the results first, and folds the form into sections of tall controls', async () => {
    // Opened at the launch's desktop width, narrowed, then loaded again so that the form starts as a phone's.
    const page = await lab.open(baseUrl);
    await page.setViewportSize(PHONE);
    await page.reload();
    await waitForBackend(page, 'webgpu');

    const header = await page.$eval('.lab-header', (e) => e.getBoundingClientRect().height);
    expect(header).toBeLessThanOrEqual(0.12 * PHONE.height);
    const runButton = await page.$eval('[data-testid=run-button]', (e) => e.getBoundingClientRect().toJSON() as DOMRect);
    expect(runButton.bottom).toBeLessThanOrEqual(header);
    expect(await page.isEnabled('[data-testid=run-button]')).toBe(true);
    const marketCard = await top(page, '[data-testid=market-card]');
    expect(marketCard).toBeLessThan(header + 40);
    expect(marketCard).toBeLessThan(await top(page, 'form'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${RESULTS_DIR}/phone.png` });

    expect(await sections(page)).toEqual([
      'Experiment: open',
      'Market: folded',
      'Claim: folded',
      'Instruments: folded',
      'Costs and premium: folded',
      'Risk measure: folded',
      'Strategies: folded',
    ]);
    expect(await page.isVisible('[name="market.volatility"]')).toBe(false);
    await page.click('summary:text-is("Market")');
    expect(await page.isVisible('[name="market.volatility"]')).toBe(true);
    expect(await page.inputValue('[name="market.volatility"]')).toBe('0.2');
    expect((await sections(page))[1]).toBe('Market: open');
    await page.$eval('form', (f) => f.scrollIntoView());
    await page.screenshot({ path: `${RESULTS_DIR}/phone-form.png` });

    // A header that lists why Run waits grows past its budget, so it stops covering the page until the form is fixed.
    const headerPosition = () => page.$eval('.lab-header', (e) => getComputedStyle(e).position);
    expect(await headerPosition()).toBe('sticky');
    await page.fill('[name="market.volatility"]', '-1');
    expect(await page.isDisabled('[data-testid=run-button]')).toBe(true);
    expect(await headerPosition()).toBe('static');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${RESULTS_DIR}/phone-blocked.png` });
    await page.fill('[name="market.volatility"]', '0.2');
    expect(await headerPosition()).toBe('sticky');

    for (const title of ['Claim', 'Instruments', 'Costs and premium', 'Risk measure', 'Strategies']) await page.click(`summary:text-is("${title}")`);
    expect((await sections(page)).every((s) => s.endsWith(': open'))).toBe(true);
    const controls = [...(await controlHeights(page, '.lab-header')), ...(await controlHeights(page, 'form'))];
    expect(controls.length).toBeGreaterThan(40);
    expect(controls.filter((c) => c.height < 40)).toEqual([]);
    await page.screenshot({ path: `${RESULTS_DIR}/phone-form-open.png`, fullPage: true });

    // While a run goes, Stop takes Run's place in the header (a tiny experiment, opened by its link).
    await page.goto(`${baseUrl}${linkTo(tinyExperiment(10))}`);
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[name="market.steps"]')?.value === '5');
    await run(page);
    expect(await page.isVisible('[data-testid=run-button]')).toBe(false);
    expect(await page.isVisible('[data-testid=stop-button]')).toBe(true);
    await page.click('[data-testid=stop-button]');
    expect(await outcome(page)).toBe('stopped');
    expect(await page.isVisible('[data-testid=run-button]')).toBe(true);
    expect(await page.isVisible('[data-testid=stop-button]')).toBe(false);

    // Widened to a desktop: the form is back on the left, every section open under its legend.
    await page.click('summary:text-is("Claim")');
    await page.setViewportSize({ width: 1440, height: 900 });
    expect((await sections(page)).every((s) => s.endsWith(': open'))).toBe(true);
    expect(await page.isVisible('summary:text-is("Claim")')).toBe(false);
    expect(await page.isVisible('legend:text-is("Claim")')).toBe(true);
    const form = await page.$eval('form', (e) => e.getBoundingClientRect().toJSON() as DOMRect);
    const market = await page.$eval('[data-testid=market-card]', (e) => e.getBoundingClientRect().toJSON() as DOMRect);
    expect(form.right).toBeLessThan(market.left);
    expect(Math.abs(form.top - market.top)).toBeLessThan(20);
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
