/**
 * Paper 000 in the browser on WebGPU (SwiftShader): a tiny BC-RPPO (Algorithm 1 then Algorithm 2; 2
 * updates of 16 episodes of 5 steps, 2 epochs of behaviour cloning, a 1x8 network) beside its expert, the
 * implied delta (eq. 26), opened by link: its settings on the form, its avg_r curve (eq. 40) and
 * behaviour-cloning loss, the PV_T map (figs. 7-10), where the implied volatility came from, and both rows
 * of the metrics table.
 */
import { describe, expect, inject, it } from 'vitest';
import { RL_DEFAULTS } from '../../src/engine/experiment/rl-defaults';
import type { Experiment } from '../../src/engine/experiment/schema';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, metricsRows, outcome, run, tinyExperiment, traces, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

function tinyAgent(): Experiment {
  const cfg = tinyExperiment(1);
  cfg.name = 'Tiny BC-RPPO';
  const agent = RL_DEFAULTS['bc-rppo']();
  agent.network = { layers: 1, units: 8 };
  agent.rl = { ...agent.rl, updates: 2, episodes: 16, evaluateEvery: 1 };
  agent.bc = { ...agent.bc, epochs: 2, batchSize: 32 };
  agent.rppo = { ...agent.rppo, actorUpdates: 2, criticUpdates: 2, minibatch: 32, frames: 2, gruUnits: 8 };
  cfg.strategies = [{ id: 'implied-delta', type: 'implied-delta' }, agent];
  return cfg;
}

describe('RL agents', () => {
  it('trains a tiny BC-RPPO on WebGPU: its settings, curves, PV_T map and metrics row appear', async () => {
    const page = await lab.open(baseUrl + linkTo(tinyAgent()));
    await waitForBackend(page, 'webgpu');
    // The link's agent is on the form: its environment in sight, the ablation switches on, the rest folded.
    const row = page.locator('[data-testid=strategy-bc-rppo]');
    expect(await row.locator('input[name$=".rl.updates"]').inputValue()).toBe('2');
    expect(await row.locator('input[name$=".bc.enabled"]').isChecked()).toBe(true);
    expect(await row.locator('input[name$=".rppo.gru"]').isChecked()).toBe(true);
    expect(await row.locator('[data-testid=bc-rppo-settings]').getAttribute('open')).toBeNull();
    expect(await row.locator('input[name$=".rppo.gruUnits"]').inputValue()).toBe('8');
    expect(await page.isVisible('[data-testid=implied-volatility-note]')).toBe(true);
    // A wrong value in the fold is said beside its field and, once the fold is closed, on the fold's summary.
    const summary = row.locator('[data-testid=bc-rppo-settings] > summary');
    const frames = row.locator('input[name$=".rppo.frames"]');
    await summary.click();
    await frames.fill('99');
    expect(await row.locator('label:has(input[name$=".rppo.frames"]) .field-error').textContent()).toBe('must be at most 32');
    await summary.click();
    expect(await frames.isVisible()).toBe(false);
    expect(await row.locator('[data-testid=bc-rppo-settings-error]').isVisible()).toBe(true);
    await summary.click();
    await frames.fill('2');
    expect(await row.locator('[data-testid=bc-rppo-settings-error]').count()).toBe(0);
    expect(await row.locator('input[name$=".rppo.gruUnits"]').isVisible()).toBe(true);
    await row.screenshot({ path: `${RESULTS_DIR}/rl-agent-settings.png` });

    await run(page);
    expect(await outcome(page)).toBe('done');

    const curves = await waitForTraces(page, 'chart-agents', 1);
    expect(curves.map((t) => t.name)).toEqual([expect.stringContaining('BC-RPPO')]);
    expect(curves[0]!.points).toBeGreaterThanOrEqual(1);
    const ys = await page.$eval('[data-testid=chart-agents]', (div) => ((div as unknown as { data: { y: number[] }[] }).data[0]!.y));
    for (const y of ys) expect(y).toBeLessThanOrEqual(0);
    const menu = await page.$$eval('[data-testid=agent-metric] option', (options) => options.map((o) => o.textContent ?? ''));
    expect(menu[0]).toBe('avg_r');
    expect(menu).toContain('BC loss');

    const map = await waitForTraces(page, 'chart-pv-map', 1);
    expect(map[0]!.type).toBe('heatmap');
    expect(map[0]!.points).toBe(5);
    // Hovering the busiest cell names how many path-dates it averages (the chart in the middle of the view, clear of the sticky header).
    const cell = await page.$eval('[data-testid=chart-pv-map]', (div) => {
      div.scrollIntoView({ block: 'center' });
      const plotted = div as unknown as {
        _fullLayout: Record<'xaxis' | 'yaxis', { _offset: number; l2p(v: number): number }>;
        data: { x: number[]; y: number[]; customdata: number[][] }[];
      };
      const { x, y, customdata } = plotted.data[0]!;
      let best = { i: 0, j: 0, n: -1 };
      customdata.forEach((row, i) => row.forEach((n, j) => void (n > best.n && (best = { i, j, n }))));
      const { xaxis, yaxis } = plotted._fullLayout;
      const frame = div.getBoundingClientRect();
      return { x: frame.x + xaxis._offset + xaxis.l2p(x[best.j]!), y: frame.y + yaxis._offset + yaxis.l2p(y[best.i]!), n: best.n };
    });
    await page.mouse.move(cell.x, cell.y);
    const hover = await page.waitForSelector('[data-testid=chart-pv-map] .hoverlayer .hovertext', { timeout: 10_000 });
    expect(await hover.textContent()).toContain(`${cell.n} path-dates`);
    expect(await page.textContent('[data-testid=implied-volatility-source]')).toMatch(/proxy/);

    const rows = await metricsRows(page);
    expect(rows.map((r) => r.strategy)).toEqual([expect.stringContaining('Implied delta'), expect.stringContaining('BC-RPPO')]);
    for (const r of rows) {
      expect(r.cells).toHaveLength(16);
      for (const cell of r.cells) expect(Number.isFinite(Number(cell))).toBe(true);
    }
    expect(await traces(page, 'chart-loss')).toEqual([expect.objectContaining({ name: expect.stringContaining('BC-RPPO') })]);
    // Let the last redraws settle (plotly draws one chart per task); from the top, so the sticky header stays there.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(1000);
    await page.screenshot({ path: `${RESULTS_DIR}/rl-agent.png`, fullPage: true });
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
