/**
 * What the charts and the metrics table show after one tiny run on WebGPU (SwiftShader): the P&L axis
 * reaches past the outermost bins, every drawn chart is an image labelled with its key numbers, the table
 * says how many test paths it rests on and which tail columns are too thin to trust, and at phone width
 * the two holding surfaces stack with titles that do not overlap.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, metricsRows, outcome, run, tinyExperiment, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

/** The x-axis range plotly drew the chart with, and the smallest and largest x of its traces. */
const xExtent = (page: Page, testId: string) =>
  page.$eval(`[data-testid=${testId}]`, (div) => {
    const plot = div as HTMLElement & { layout: { xaxis: { range: [number, number] } }; data: { x: number[] }[] };
    const xs = plot.data.flatMap((t) => t.x);
    return { range: plot.layout.xaxis.range, lo: Math.min(...xs), hi: Math.max(...xs) };
  });

/** Each drawn chart's test id, role and text alternative. */
const chartLabels = (page: Page) =>
  page.$$eval('.plot', (divs) =>
    divs
      .filter((d) => ((d as HTMLElement & { data?: unknown[] }).data?.length ?? 0) > 0)
      .map((d) => ({ id: d.getAttribute('data-testid'), role: d.getAttribute('role'), label: d.getAttribute('aria-label') ?? '' })),
  );

/** Whether two boxes share any area. */
const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('charts and metrics table', () => {
  it('pads the P&L axis, labels every chart with its numbers, flags thin tails and stacks the surfaces on a phone', async () => {
    const cfg = tinyExperiment(2);
    cfg.paths.test = 200;
    const page = await lab.open(baseUrl + linkTo(cfg));
    await waitForBackend(page, 'webgpu');
    await run(page);
    expect(await outcome(page)).toBe('done');
    await waitForTraces(page, 'chart-pnl', 4);
    await waitForTraces(page, 'chart-surface', 2);

    // The x-axis reaches beyond the outermost bin edges on both sides (5 % of the span), so no hedge's
    // spike at +premium, in the last bin, is not drawn on the border.
    const pnl = await xExtent(page, 'chart-pnl');
    const span = pnl.hi - pnl.lo;
    expect(pnl.range[0]).toBeCloseTo(pnl.lo - 0.05 * span, 6);
    expect(pnl.range[1]).toBeCloseTo(pnl.hi + 0.05 * span, 6);

    // n and the tail warning: 200 test paths leave 20, 10 and 2 beyond 90, 95 and 99 %.
    expect(await page.textContent('[data-testid=metrics-n]')).toBe('n = 200 test paths');
    const warning = await page.textContent('[data-testid=tail-warning]');
    expect(warning).toMatch(/^VaR 99 and ES 99 are unreliable: fewer than 10 of the 200 test paths lie beyond that level \(2 beyond 99%\)/);
    expect(await page.$$eval('[data-testid=metrics-table] thead th.unreliable', (ths) => ths.map((th) => th.textContent))).toEqual(['VaR 99', 'ES 99']);

    // Every drawn chart is an image to a screen reader, labelled with its key numbers: the P&L chart with
    // each strategy's mean and std exactly as the table prints them.
    const labels = await chartLabels(page);
    expect(labels.map((l) => l.id).sort()).toEqual(['chart-fan', 'chart-loss', 'chart-paths', 'chart-pnl', 'chart-surface']);
    for (const l of labels) expect(l.role).toBe('img');
    const label = (id: string) => labels.find((l) => l.id === id)!.label;
    const rows = await metricsRows(page);
    expect(rows.map((r) => r.strategy)).toEqual(['No hedge', 'Black-Scholes delta', 'Whalley-Wilmott band', 'Deep hedger (MLP) 2x8']);
    for (const r of rows) expect(label('chart-pnl')).toContain(`${r.strategy}: mean ${r.cells[0]}, std ${r.cells[1]}`);
    expect(label('chart-loss')).toMatch(/^Training loss \(the risk measure\) by epoch\. Latest: Deep hedger \(MLP\) 2x8 \S+ after epoch 2\.$/);
    expect(label('chart-surface')).toMatch(/^Hedge ratio over log\(S\/K\) from .* days to maturity: Deep hedger \(MLP\) 2x8 from .*; Black-Scholes delta from \S+ to \S+\.$/);
    expect(label('chart-paths')).toMatch(/^Sample path 1 of 4 over 5 days: spot from 1\.00 to /);
    expect(label('chart-fan')).toMatch(/^Quantiles of the underlying over 5 days: at the end, 5% /);
    await page.screenshot({ path: `${RESULTS_DIR}/charts.png`, fullPage: true });

    // At phone width the surfaces stack: their titles and panels share no pixel and stay on the chart.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => (document.querySelector('[data-testid=chart-surface]') as HTMLElement).getBoundingClientRect().height > 500);
    await page.waitForTimeout(500);
    const boxes = await page.$eval('[data-testid=chart-surface]', (div) => ({
      chart: div.getBoundingClientRect().toJSON() as DOMRect,
      titles: [...div.querySelectorAll('.annotation')].map((a) => a.getBoundingClientRect().toJSON() as DOMRect),
      panels: [...div.querySelectorAll('.nsewdrag')].map((p) => p.getBoundingClientRect().toJSON() as DOMRect),
    }));
    await (await page.$('[data-testid=chart-surface]'))!.screenshot({ path: `${RESULTS_DIR}/charts-phone-surface.png` });
    expect(boxes.titles).toHaveLength(2);
    expect(boxes.panels).toHaveLength(2);
    expect(overlap(boxes.titles[0]!, boxes.titles[1]!)).toBe(false);
    expect(overlap(boxes.panels[0]!, boxes.panels[1]!)).toBe(false);
    for (const t of boxes.titles) {
      expect(t.left).toBeGreaterThanOrEqual(boxes.chart.left);
      expect(t.right).toBeLessThanOrEqual(boxes.chart.right);
      for (const p of boxes.panels) expect(overlap(t, p)).toBe(false);
    }
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
