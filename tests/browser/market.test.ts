/**
 * The market picker in the browser: the fan chart of the market on the form, Heston's smile, every model
 * keeping its parameters across switches, the options grid editor with paper 002's grid and its errors
 * beside each row, the correlation matrix, and a regime-switching fit on the bundled S&P 500 series.
 */
import { describe, expect, inject, it } from 'vitest';
import { labForFile, RESULTS_DIR } from './chromium';
import type { Experiment } from '../../src/engine/experiment/schema';
import { fieldError, linkTo, metricsRows, outcome, run, tinyExperiment, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

/** The traces' first y values, to tell a redrawn chart from the one before. */
async function firstValues(page: import('playwright-core').Page, testId: string): Promise<number[]> {
  return page.evaluate((id) => {
    const div = document.querySelector(`[data-testid=${id}]`) as (HTMLElement & { data?: { y?: number[] }[] }) | null;
    return (div?.data ?? []).map((t) => Number(t.y?.at(-1)));
  }, testId);
}

describe('market picker', () => {
  it('previews GBM, then Heston with its smile, and keeps each model’s parameters across switches', async () => {
    const page = await lab.open(baseUrl);
    await waitForBackend(page, 'webgpu');
    const fan = await waitForTraces(page, 'chart-fan', 5);
    expect(fan.map((t) => t.name)).toEqual(['5%', '5%–95%', '25%', '25%–75%', 'median']);
    expect(fan[0]!.points).toBe(21);
    expect(await page.isVisible('[data-testid=chart-smile]')).toBe(false);
    const gbmBands = await firstValues(page, 'chart-fan');

    await page.selectOption('[name="market.model"]', 'heston');
    expect(await page.inputValue('[name="market.v0"]')).toBe('0.0625');
    expect(await page.inputValue('[name="market.kappa"]')).toBe('8');
    expect(await page.inputValue('[name="market.rho"]')).toBe('-0.7');
    const smile = await waitForTraces(page, 'chart-smile', 3);
    for (const t of smile) expect(t.points).toBe(17);
    expect(smile[0]!.name).toMatch(/days$/);
    await page.waitForFunction(
      (before) => {
        const div = document.querySelector('[data-testid=chart-fan]') as (HTMLElement & { data?: { y?: number[] }[] }) | null;
        const now = (div?.data ?? []).map((t) => Number(t.y?.at(-1)));
        return now.length === 5 && now.some((v, i) => v !== before[i]);
      },
      gbmBands,
      { timeout: 30_000 },
    );
    await page.waitForTimeout(500);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${RESULTS_DIR}/market-heston.png`, fullPage: true });

    await page.fill('[name="market.kappa"]', '50x');
    expect(await fieldError(page, 'market.kappa')).toBe('enter a number');
    await page.fill('[name="market.kappa"]', '60');
    expect(await fieldError(page, 'market.kappa')).toBe('must be at most 50');
    await page.fill('[name="market.kappa"]', '5');
    await page.selectOption('[name="market.model"]', 'gbm');
    expect(await page.inputValue('[name="market.volatility"]')).toBe('0.2');
    await page.selectOption('[name="market.model"]', 'heston');
    expect(await page.inputValue('[name="market.kappa"]')).toBe('5');
    expect(lab.errors).toEqual([]);
    await page.close();
  });

  it('edits the options grid: paper 002’s 19 options, with each row’s error beside it', async () => {
    const page = await lab.open(baseUrl);
    await waitForBackend(page, 'webgpu');
    await page.selectOption('[name="market.model"]', 'heston');
    await page.selectOption('[name="instruments.options.grid"]', 'floating');
    expect(await page.$$eval('[data-testid=options-grid] tbody tr:not(.row-errors)', (r) => r.length)).toBe(1);
    await page.click('[data-testid=paper-002-grid]');
    expect(await page.$$eval('[data-testid=options-grid] tbody tr:not(.row-errors)', (r) => r.length)).toBe(19);
    // The default market has 20 steps: options of 40, 80 and 120 steps outlive the claim.
    const rowErrors = await page.$$eval('[data-testid=options-grid] .row-errors', (rows) => rows.map((r) => r.textContent ?? ''));
    expect(rowErrors).toHaveLength(11);
    expect(rowErrors[0]).toContain('option 9 maturity: matures after the claim');
    expect(await page.isDisabled('[data-testid=run-button]')).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${RESULTS_DIR}/options-grid-errors.png`, fullPage: true });

    await page.fill('[name="market.maturityDays"]', '120');
    await page.fill('[name="market.steps"]', '120');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=options-grid] .row-errors').length === 0);
    expect(await page.textContent('[data-testid=options-grid] tbody tr:last-child')).toContain('120');
    await page.fill('[name="instruments.options.options.18.moneyness"]', '3');
    const last = await page.waitForSelector('[data-testid=options-grid] .row-errors');
    expect(await last.textContent()).toContain('option 19 K / S: must be at most 2');
    await page.fill('[name="instruments.options.options.18.moneyness"]', '1.15');
    await page.selectOption('[name="instruments.options.grid"]', 'fixed');
    expect(await fieldError(page, 'instruments.options.grid')).toContain('floating grid');
    await page.selectOption('[name="instruments.options.grid"]', 'floating');
    expect(await page.$$eval('[data-testid=options-grid] tbody tr:not(.row-errors)', (r) => r.length)).toBe(19);
    expect(await page.isEnabled('[data-testid=run-button]')).toBe(true);
    await (await page.$('fieldset:has([name="instruments.options.grid"])'))!.screenshot({ path: `${RESULTS_DIR}/options-grid.png` });
    expect(lab.errors).toEqual([]);
    await page.close();
  });

  it('edits correlated assets: a third asset, a mirrored correlation, an invalid matrix refused beside it', async () => {
    const page = await lab.open(baseUrl);
    await waitForBackend(page, 'webgpu');
    await page.selectOption('[name="market.model"]', 'correlated-gbm');
    expect(await page.inputValue('[name="market.volatilities.1"]')).toBe('0.3');
    expect(await page.inputValue('[name="market.correlation.0.1"]')).toBe('0.5');
    await page.click('[data-testid=add-asset]');
    expect(await page.$$eval('[data-testid=correlated-assets] tbody tr', (r) => r.length)).toBe(3);
    await page.fill('[name="market.correlation.0.2"]', '0.9');
    await page.fill('[name="market.correlation.1.2"]', '-0.9');
    const error = await page.waitForSelector('[data-testid=correlated-assets] .field-error');
    expect(await error.textContent()).toMatch(/positive definite/);
    expect(await page.isDisabled('[data-testid=run-button]')).toBe(true);
    await page.fill('[name="market.correlation.1.2"]', '0.4');
    await page.waitForSelector('[data-testid=correlated-assets] .field-error', { state: 'detached' });
    await waitForTraces(page, 'chart-fan', 5);
    await (await page.$('fieldset:has([name="market.model"])'))!.screenshot({ path: `${RESULTS_DIR}/market-correlated.png` });
    expect(lab.errors).toEqual([]);
    await page.close();
  });

  it('fits regimes to the bundled S&P 500 series and shows the split, the BIC of each K and the regimes', async () => {
    const page = await lab.open(baseUrl);
    await waitForBackend(page, 'webgpu');
    await page.selectOption('[name="market.model"]', 'regime-switching');
    await page.waitForSelector('[data-testid=data-card]');
    expect(await page.inputValue('[name="market.maturityDays"]')).toBe('30');
    const regimes = await page.waitForSelector('[data-testid=regime-summary]', { timeout: 120_000 });
    expect(await regimes.textContent()).toMatch(/K = \d/);
    expect(await page.$$eval('[data-testid=regime-summary] table:first-of-type tbody tr', (r) => r.length)).toBe(6);
    expect(await page.textContent('[data-testid=split-summary]')).toContain('2000-01-03');
    expect((await waitForTraces(page, 'chart-prices', 1))[0]!.points).toBeGreaterThan(5000);
    await waitForTraces(page, 'chart-fan', 5);
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${RESULTS_DIR}/market-regimes.png`, fullPage: true });
    expect(lab.errors).toEqual([]);
    await page.close();
  });

  it('trains a deep hedger on Heston with floating-grid options and on the S&P 500 regime model, on WebGPU', async () => {
    const heston: Experiment = {
      ...tinyExperiment(1),
      name: 'Tiny Heston with options',
      market: { model: 'heston', s0: 1, drift: 0, v0: 0.0625, kappa: 8, theta: 0.0625, xi: 1, rho: -0.7, maturityDays: 6, steps: 6, daysPerYear: 250 },
      instruments: { options: { grid: 'floating', cost: 0.01, options: [{ maturitySteps: 2, moneyness: 1 }, { maturitySteps: 3, moneyness: 1.01 }] } },
    };
    heston.strategies = heston.strategies.filter((s) => s.type !== 'whalley-wilmott');
    const regimes: Experiment = {
      ...tinyExperiment(1),
      name: 'Tiny regime model',
      market: { model: 'regime-switching', data: { source: 'sp500' }, split: { train: 0.7, validation: 0.15 }, maxRegimes: 3, s0: 1, maturityDays: 5, steps: 5, daysPerYear: 252 },
    };
    regimes.strategies = regimes.strategies.filter((s) => s.type !== 'whalley-wilmott');
    for (const cfg of [heston, regimes]) {
      const page = await lab.open(baseUrl + linkTo(cfg));
      await waitForBackend(page, 'webgpu');
      await run(page);
      const ended = await outcome(page);
      expect(ended === 'done' ? 'done' : `${ended}: ${await page.textContent('[data-testid=run-error]')}`).toBe('done');
      const rows = await metricsRows(page);
      expect(rows.map((r) => r.strategy)).toEqual([expect.stringContaining('No hedge'), expect.stringContaining('Black-Scholes delta'), expect.stringContaining('Deep hedger')]);
      for (const r of rows) for (const cell of r.cells) expect(Number.isFinite(Number(cell)), `${r.strategy}: ${cell}`).toBe(true);
      expect(await page.getAttribute('[data-testid=backend-badge]', 'data-backend')).toBe('webgpu');
      await page.close();
    }
    expect(lab.errors).toEqual([]);
  });
});
