/**
 * What the browser tests do on the HedgeLab page, in a person's terms: open an experiment by link, wait for
 * a backend, press Run and wait for the outcome, read what each chart and the metrics table hold.
 */
import type { Page } from 'playwright-core';
import { defaultConfig } from '../../src/engine/experiment/presets';
import type { Experiment } from '../../src/engine/experiment/schema';
import { experimentFragment } from '../../src/engine/experiment/share-link';

/**
 * The default experiment shrunk to what SwiftShader's software WebGPU trains in seconds: 5 steps,
 * 64 training and 64 test paths, a 2x8 network, batches of 32.
 */
export function tinyExperiment(epochs: number): Experiment {
  const cfg = defaultConfig();
  cfg.name = `Tiny experiment, ${epochs} epochs`;
  cfg.market.steps = 5;
  cfg.market.maturityDays = 5;
  cfg.paths = { train: 64, test: 64 };
  for (const s of cfg.strategies) {
    if (s.type !== 'deep-mlp') continue;
    s.network = { layers: 2, units: 8 };
    s.training = { ...s.training, epochs, batchSize: 32 };
  }
  return cfg;
}

/** Two tiny trained strategies (DHMLP and DHNTB 2x8) of the tiny experiment, for the comparison view. */
export function tinyComparison(epochs: number): Experiment {
  const cfg = tinyExperiment(2);
  cfg.name = `Tiny comparison, ${epochs} epochs`;
  const training = { epochs, batchSize: 32, learningRate: 1e-2, freshPaths: true };
  cfg.strategies = [
    { id: 'dhmlp', type: 'dhmlp', network: { layers: 2, units: 8 }, training },
    { id: 'dhntb', type: 'dhntb', network: { layers: 2, units: 8 }, training },
  ];
  return cfg;
}

export const linkTo = (cfg: Experiment) => `#${experimentFragment(cfg)}`;

export async function waitForBackend(page: Page, backend: string): Promise<void> {
  await page.waitForFunction((b) => document.querySelector('[data-testid=backend-badge]')?.getAttribute('data-backend') === b, backend, {
    timeout: 120_000,
  });
}

/** Presses Run once the button is enabled. */
export async function run(page: Page): Promise<void> {
  await page.click('[data-testid=run-button]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid=run-status][data-phase=running]');
}

/** Waits until the run has ended and returns how ('done', 'stopped' or 'failed'). */
export async function outcome(page: Page, timeout = 300_000): Promise<string> {
  const status = await page.waitForSelector('[data-testid=run-status][data-phase=idle]:not([data-outcome=""])', { timeout });
  return (await status.getAttribute('data-outcome')) ?? '';
}

export interface TraceSummary {
  type: string;
  name: string;
  /** Points along x (or rows of z for a heatmap). */
  points: number;
  /** Columns of z for a heatmap, 0 otherwise. */
  columns: number;
}

/** The traces plotly holds on the chart div with this data-testid. */
export async function traces(page: Page, testId: string): Promise<TraceSummary[]> {
  return page.evaluate((id) => {
    const div = document.querySelector(`[data-testid=${id}]`) as (HTMLElement & { data?: Record<string, unknown>[] }) | null;
    return (div?.data ?? []).map((t) => {
      const z = t.z as unknown[][] | undefined;
      return {
        type: String(t.type),
        name: String(t.name),
        points: z ? z.length : ((t.y as unknown[] | undefined)?.length ?? 0),
        columns: z?.[0]?.length ?? 0,
      };
    });
  }, testId);
}

/** Waits until plotly has drawn `count` traces on a chart (charts redraw shortly after the data arrives). */
export async function waitForTraces(page: Page, testId: string, count: number): Promise<TraceSummary[]> {
  await page.waitForFunction(
    ([id, n]) => ((document.querySelector(`[data-testid=${id}]`) as { data?: unknown[] } | null)?.data?.length ?? 0) >= n,
    [testId, count] as const,
    { timeout: 30_000 },
  );
  return traces(page, testId);
}

/** The metrics table's rows: strategy label and cell texts. */
export async function metricsRows(page: Page): Promise<{ strategy: string; cells: string[] }[]> {
  return page.$$eval('[data-testid=metrics-table] tbody tr:not(.empty)', (rows) =>
    rows.map((r) => ({
      strategy: r.querySelector('th')?.textContent?.trim() ?? '',
      cells: [...r.querySelectorAll('td')].map((td) => td.textContent ?? ''),
    })),
  );
}

/**
 * Every form control's value keyed by what it means: its name, with a strategy row's index replaced by
 * the strategy's id (row order may differ between two forms showing the same experiment).
 */
export async function formValues(page: Page): Promise<Record<string, string>> {
  return page.$$eval('form [name]', (controls) =>
    Object.fromEntries(
      controls.map((c) => {
        const input = c as HTMLInputElement;
        const row = input.closest('[data-testid^="strategy-"]')?.getAttribute('data-testid');
        const key = row ? `${row}/${input.name.replace(/^strategies\.\d+\./, '')}` : input.name;
        return [key, input.type === 'checkbox' ? String(input.checked) : input.value];
      }),
    ),
  );
}

/** The validation message shown beside the field named `name`, or null. */
export async function fieldError(page: Page, name: string): Promise<string | null> {
  const error = await page.$(`label:has([name="${name}"]) .field-error`);
  return error ? error.textContent() : null;
}
