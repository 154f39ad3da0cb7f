/**
 * What the page tells a person whose experiment cannot run yet, on one page load: a refused link kept in its
 * banner to copy; beside the disabled Run, every error as a link to its field (opening a folded section);
 * the market preview greyed out with the reason while the form is invalid or its data are missing; the
 * Compare card's count of ticked strategies and why "Run comparison" is disabled; and the Lab / Compare
 * tabs worked from the keyboard.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { labForFile, RESULTS_DIR } from './chromium';
import { waitForBackend } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

const BATCH = 'strategies.3.training.batchSize';

/** The blocker entries beside Run, as shown: "words: message". */
const blockers = (page: Page) => page.$$eval('[data-testid=run-blockers] li', (items) => items.map((li) => li.textContent ?? ''));

/** The focused element's name, and whether it lies inside the window below the sticky header. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement;
    const box = el.getBoundingClientRect();
    const header = document.querySelector('.lab-header')!.getBoundingClientRect();
    return { name: el.name, inView: box.top >= header.bottom && box.bottom <= window.innerHeight };
  });

describe('form guidance', () => {
  it('keeps a refused link, says why Run and Run comparison wait, greys a stale preview and works the tabs by keyboard', async () => {
    const broken = `${baseUrl}#x=garbage!!`;
    const page = await lab.open(broken);

    // The refused link stays in the banner, to copy, while the address bar moves on to the default experiment.
    await page.waitForSelector('[data-testid=link-error]');
    expect(await page.textContent('[data-testid=link-error]')).toContain('corrupted');
    expect(await page.inputValue('[data-testid=refused-link]')).toBe(broken);
    expect(page.url()).not.toContain('garbage');
    await page.click('[data-testid=copy-refused-link]');
    await page.waitForSelector('[data-testid=copy-refused-link]:text("Copied")');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(broken);
    await page.screenshot({ path: `${RESULTS_DIR}/refused-link.png` });
    await page.click('[data-testid=link-error] [aria-label=Dismiss]');

    await waitForBackend(page, 'webgpu');
    await page.waitForSelector('[data-testid=market-panel][data-status=ready]');
    expect(await page.$('[data-testid=run-blockers]')).toBeNull();
    expect(await page.textContent('[data-testid=run-status]')).toMatch(/^Ready/);

    // An error far down the form is listed beside Run; its link opens the folded section and focuses the field.
    await page.fill('[name="paths.train"]', '512');
    expect(await blockers(page)).toEqual(['Strategies › Deep hedger (MLP) › Batch size: batch size 1024 exceeds the 512 training paths']);
    expect(await page.isDisabled('[data-testid=run-button]')).toBe(true);
    expect(await page.textContent('[data-testid=run-status]')).toBe('Run waits for the form: one error to fix, listed below');
    await page.evaluate((name) => (document.querySelector(`[name="${name}"]`)!.closest('details')!.open = false), BATCH);
    expect(await page.isVisible(`[name="${BATCH}"]`)).toBe(false);
    await page.click(`[data-testid=run-blockers] button[data-field="${BATCH}"]`);
    expect(await focused(page)).toEqual({ name: BATCH, inView: true });

    // A second error, higher up, comes first; the preview is greyed out under the reason.
    await page.fill('[name="market.volatility"]', '-0.2');
    expect(await blockers(page)).toEqual([
      'Market › Volatility σ (per year): must be at least 0.001',
      'Strategies › Deep hedger (MLP) › Batch size: batch size 1024 exceeds the 512 training paths',
    ]);
    expect(await page.getAttribute('[data-testid=market-panel]', 'data-status')).toBe('stale');
    expect(await page.textContent('[data-testid=preview-stale]')).toBe(
      'Out of date: the form has 2 errors, listed under Run. This is the market of the last valid form.',
    );
    await page.click('[data-testid=run-blockers] button[data-field="market.volatility"]');
    expect(await focused(page)).toEqual({ name: 'market.volatility', inView: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${RESULTS_DIR}/run-blockers.png` });

    // The tabs: arrows, Home and End move the selection and the focus; only the selected tab is in the Tab order.
    await page.focus('[data-testid=tab-lab]');
    await page.keyboard.press('ArrowRight');
    const compareTab = await page.$('[role=tab][aria-selected=true]');
    expect(await compareTab?.getAttribute('id')).toBe('tab-compare');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-compare');
    expect(await page.getAttribute('#tab-lab', 'tabindex')).toBe('-1');
    expect(await page.getAttribute('#compare-view', 'role')).toBe('tabpanel');
    expect(await page.getAttribute('#compare-view', 'aria-labelledby')).toBe('tab-compare');
    expect(await page.getAttribute('#tab-compare', 'aria-controls')).toBe('compare-view');

    // The Compare card counts the ticked strategies of the invalid form and says why it cannot run.
    expect(await page.textContent('[data-testid=compare-ticked]')).toMatch(/^The 4 strategies ticked in the form train on the same paths/);
    expect(await page.isDisabled('[data-testid=compare-run]')).toBe(true);
    expect(await page.textContent('[data-testid=compare-blocked]')).toBe('Run comparison waits for the form: 2 things to fix first, listed under Run above.');
    await page.screenshot({ path: `${RESULTS_DIR}/compare-blocked.png` });
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-lab');
    await page.keyboard.press('End');
    expect(await page.getAttribute('#tab-history', 'aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    expect(await page.getAttribute('#tab-learn', 'aria-selected')).toBe('true');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#tab-lab', 'aria-selected')).toBe('true');
    expect(await page.getAttribute('#lab-view', 'role')).toBe('tabpanel');

    // Fixed, the form runs again and the preview follows it.
    await page.fill('[name="market.volatility"]', '0.2');
    await page.fill(`[name="${BATCH}"]`, '256');
    expect(await page.$('[data-testid=run-blockers]')).toBeNull();
    await page.waitForSelector('[data-testid=market-panel][data-status=ready]');
    expect(await page.$('[data-testid=preview-stale]')).toBeNull();

    // Imported CSV chosen before any file: the S&P 500 preview is greyed out, and the data source is the field to fix.
    await page.selectOption('[name="market.model"]', 'historical');
    await page.waitForSelector('[data-testid=market-panel][data-status=ready] [data-testid=split-summary]', { timeout: 60_000 });
    await page.selectOption('[name="market.data.source"]', 'imported');
    expect(await page.textContent('[data-testid=preview-stale]')).toBe('Out of date: import a CSV file of daily prices to preview this market.');
    expect(await blockers(page)).toEqual(['Data: import a CSV file of daily prices']);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${RESULTS_DIR}/preview-stale.png` });
    await page.click('[data-testid=run-blockers] button[data-field="market.data.file"]');
    expect((await focused(page)).name).toBe('market.data.source');

    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
