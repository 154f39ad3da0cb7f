/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium with WebGPU on SwiftShader
 * (a software Vulkan device, so WebGPU works on machines without a GPU), a fresh profile per launch,
 * and a record of every console error and uncaught page error (CSP violations included) so that a test
 * can fail on any.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots land here (git-ignored). */
export const RESULTS_DIR = 'test-results';

export interface Lab {
  context: BrowserContext;
  /** Console errors and page errors seen so far, on every page and worker of the context. */
  errors: string[];
  /** A new tab that records its errors into `errors`. */
  open(url: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchLab(): Promise<Lab> {
  const profile = mkdtempSync(join(tmpdir(), 'hedgelab-chromium-'));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker console: ${m.text()}`)));
  };
  return {
    context,
    errors,
    async open(url) {
      const page = await context.newPage();
      watch(page);
      await page.goto(url);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One Chromium for the calling test file: launched before its tests and closed after them. */
export function labForFile(): Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await launchLab();
  });
  afterAll(async () => {
    await lab?.close();
  });
  const current = () => {
    if (!lab) throw new Error('the lab is launched before the tests of its file');
    return lab;
  };
  return {
    get context() {
      return current().context;
    },
    get errors() {
      return current().errors;
    },
    open: (url) => current().open(url),
    close: () => current().close(),
  };
}
