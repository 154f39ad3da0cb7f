/**
 * Run history in Chromium on WebGPU (issue 18), in one page session: two tiny runs are kept in IndexedDB and
 * listed; one is renamed; the other reopened shows the metrics table it showed after its run; the two are
 * compared (both densities drawn); one is exported, deleted and imported back with the same metrics; a
 * malformed file is refused naming the field, the list unchanged; then with the origin's quota cut to what
 * it uses (DevTools protocol), a third run does not fit: the banner offers the oldest run, and deleting it
 * saves the waiting run.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, metricsRows, outcome, run, tinyExperiment, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

/** The History list's rows: name and best-hedge text, newest first. */
function listed(page: Page): Promise<{ name: string; best: string }[]> {
  return page.$$eval('[data-testid=history-run]', (rows) =>
    rows.map((r) => ({ name: r.querySelector('[data-testid=history-name]')?.textContent ?? '', best: r.querySelector('[data-testid=history-best]')?.textContent ?? '' })),
  );
}

async function waitForRuns(page: Page, count: number): Promise<{ name: string; best: string }[]> {
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=history-run]').length === n, count, { timeout: 30_000 });
  return listed(page);
}

/** Runs the experiment on the form to the end. */
async function runToEnd(page: Page): Promise<void> {
  await run(page);
  expect(await outcome(page)).toBe('done');
}

const row = (page: Page, name: string) => page.locator('[data-testid=history-run]', { has: page.locator(`[data-testid=history-name]:text-is("${name}")`) });

describe('run history', () => {
  it('keeps, renames, reopens, compares, exports and imports runs, refuses a malformed file, and makes room when storage is full', async () => {
    const first = tinyExperiment(1);
    const second = tinyExperiment(2);
    const page = await lab.open(baseUrl + linkTo(first));
    await waitForBackend(page, 'webgpu');
    await runToEnd(page);
    const firstTable = await metricsRows(page);
    await page.evaluate((hash) => (window.location.hash = hash), linkTo(second));
    await runToEnd(page);

    await page.click('#tab-history');
    expect((await waitForRuns(page, 2)).map((r) => r.name)).toEqual([second.name, first.name]);

    // Rename the second run: Enter saves.
    await row(page, second.name).locator('[data-testid=history-rename]').click();
    await page.fill('[data-testid=history-rename-input]', 'Two epochs');
    await page.press('[data-testid=history-rename-input]', 'Enter');
    await page.waitForSelector('[data-testid=history-name]:text-is("Two epochs")');
    expect((await listed(page)).map((r) => r.name)).toEqual(['Two epochs', first.name]);

    // Reopen the first: the Lab shows its table and charts again, without running.
    await row(page, first.name).locator('[data-testid=history-reopen]').click();
    await page.waitForSelector('#lab-view');
    expect(await metricsRows(page)).toEqual(firstTable);
    expect(await waitForTraces(page, 'chart-pnl', 4)).toHaveLength(4);
    expect(await page.getAttribute('[data-testid=run-status]', 'data-outcome')).toBe('done');

    // Compare the two: both runs' densities on each strategy's chart, metrics side by side.
    await page.click('#tab-history');
    await waitForRuns(page, 2);
    for (const box of await page.$$('[data-testid=history-pick]')) await box.check();
    await page.waitForSelector('[data-testid=history-comparison]');
    expect(await page.$$eval('[data-testid=history-compare-strategy]', (cards) => cards.map((c) => c.getAttribute('data-strategy')))).toEqual(['no-hedge', 'bs-delta', 'whalley-wilmott', 'deep-mlp']);
    expect((await waitForTraces(page, 'compare-pnl-deep-mlp', 2)).map((t) => t.name)).toEqual(['Run A', 'Run B']);
    const compared = await page.$$eval('[data-testid=compare-metrics-deep-mlp] tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(compared).toHaveLength(16);
    expect(compared.every((cells) => cells.length === 3 && cells.every((c) => c !== '—'))).toBe(true);
    await page.screenshot({ path: `${RESULTS_DIR}/history-comparison.png`, fullPage: true });

    // Export the renamed run, delete it, import the file back: listed again with the same metrics.
    const before = await listed(page);
    const download = page.waitForEvent('download');
    await row(page, 'Two epochs').locator('[data-testid=history-export]').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('hedgelab-run-two-epochs.json');
    const exported = await file.path();
    await row(page, 'Two epochs').locator('[data-testid=history-delete]').click();
    expect((await waitForRuns(page, 1)).map((r) => r.name)).toEqual([first.name]);
    expect(await page.textContent('[data-testid=history-message]')).toContain('Deleted Two epochs.');
    expect(await page.isVisible('[data-testid=history-comparison]')).toBe(false);
    await page.setInputFiles('[data-testid=history-import]', exported);
    expect(await waitForRuns(page, 2)).toEqual(before);
    expect(await page.textContent('[data-testid=history-message]')).toContain('Imported 1 run.');

    // A malformed file is refused, naming the run and the field; the history is unchanged.
    const malformed = JSON.parse(readFileSync(exported, 'utf8'));
    malformed.view.pnl['deep-mlp'].histogram.density.values[0] = 'high';
    await page.setInputFiles('[data-testid=history-import]', { name: 'broken-run.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(malformed)) });
    const refusal = await page.waitForSelector('[data-testid=history-import-errors]');
    expect(await refusal.textContent()).toContain('broken-run.json: runs[0].view.pnl.deep-mlp.histogram.density: expected numbers');
    expect(await listed(page)).toEqual(before);
    await page.screenshot({ path: `${RESULTS_DIR}/history.png`, fullPage: true });

    // Storage full: the origin's quota cut to what it uses and a third of a run. Chromium's IndexedDB reads the
    // quota when it opens the origin's store, and closes that store 2 s after its last page and the last Blob
    // read from it have gone: the page reloads, its old objects are collected, 3 s pass (the history is not
    // opened again until the next run is saved), then the quota is cut.
    const cdp = await page.context().newCDPSession(page);
    await page.reload();
    await cdp.send('HeapProfiler.collectGarbage');
    await Promise.all([waitForBackend(page, 'webgpu'), page.waitForTimeout(3000)]);
    const origin = new URL(baseUrl).origin;
    const { usage } = (await cdp.send('Storage.getUsageAndQuota', { origin })) as { usage: number };
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + Math.round(statSync(exported).size / 3) });
    await runToEnd(page);
    expect(await page.textContent('[data-testid=run-notice]')).toContain('This run is not saved: storage is full. Free space in History.');
    await page.click('#tab-history');
    await page.waitForSelector('[data-testid=history-full]');
    expect(await page.textContent('[data-testid=history-pending-run]')).toContain(first.name);
    const offers = await page.$$eval('[data-testid=history-offer]', (items) => items.map((li) => li.textContent ?? ''));
    expect(offers[0]).toContain(first.name);
    await page.screenshot({ path: `${RESULTS_DIR}/history-full.png`, fullPage: true });
    await page.locator('[data-testid=history-offer-delete]').first().click();
    await page.waitForSelector('[data-testid=history-full]', { state: 'detached' });
    expect((await waitForRuns(page, 2)).map((r) => r.name)).toEqual([first.name, 'Two epochs']);
    expect(await page.textContent('[data-testid=history-message]')).toContain(`Saved ${first.name}, which waited for space.`);
    expect(await page.isVisible('[data-testid=run-notice]')).toBe(false);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
