/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium with WebGPU on SwiftShader
 * (a software Vulkan device, so WebGPU works on machines without a GPU), a fresh profile per launch,
 * and a record of every console error, uncaught page error and Content-Security-Policy violation (on the
 * page and in its workers, from the DevTools protocol's Audits issues: a violation whose error a library
 * catches reaches no console) so that a test can fail on any. The page runs on WebGPU unless a test asks
 * otherwise: the backend a person would have chosen and the lab remembers (localStorage "hedgelab.backend"),
 * so that "auto"'s measurement is left to the tests of it.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
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

/** A DevTools issue, as far as a CSP violation's record needs it. */
interface CdpIssue {
  code: string;
  details: { contentSecurityPolicyIssueDetails?: { violatedDirective: string; contentSecurityPolicyViolationType: string; sourceCodeLocation?: { url: string; lineNumber: number } } };
}

function cspViolation(issue: CdpIssue, where: string): string | null {
  const csp = issue.details.contentSecurityPolicyIssueDetails;
  if (issue.code !== 'ContentSecurityPolicyIssue' || !csp) return null;
  const at = csp.sourceCodeLocation ? ` at ${csp.sourceCodeLocation.url}:${csp.sourceCodeLocation.lineNumber + 1}` : '';
  return `${where} CSP violation: ${csp.violatedDirective} (${csp.contentSecurityPolicyViolationType})${at}`;
}

/**
 * Records the page's CSP violations, and its workers' too: each worker is held at its start until its
 * Audits are enabled (a module's first statements may already violate the policy), then let go.
 */
async function recordCspViolations(cdp: CDPSession, errors: string[]): Promise<void> {
  cdp.on('Audits.issueAdded', ({ issue }: { issue: CdpIssue }) => {
    const violation = cspViolation(issue, 'page');
    if (violation) errors.push(violation);
  });
  let id = 0;
  cdp.on('Target.attachedToTarget', ({ sessionId }: { sessionId: string }) => {
    const send = (method: string) => cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: ++id, method }) });
    // A worker that ends first (the page replaced it, or the page closed) has nothing left to record.
    send('Audits.enable')
      .then(() => send('Runtime.runIfWaitingForDebugger'))
      .catch(() => {});
  });
  cdp.on('Target.receivedMessageFromTarget', ({ message }: { message: string }) => {
    const event = JSON.parse(message) as { method?: string; params?: { issue: CdpIssue } };
    const violation = event.method === 'Audits.issueAdded' && event.params ? cspViolation(event.params.issue, 'worker') : null;
    if (violation) errors.push(violation);
  });
  await cdp.send('Audits.enable');
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
}

/**
 * `backend`: the remembered choice the page opens on ('auto' measures and picks). `serviceWorkers`: whether
 * the page's service worker (workers/service-worker.ts: offline precache, isolation headers) may register;
 * blocked unless a test is about it, so that no other test pays for its precaching.
 */
export async function launchLab(backend: 'auto' | 'webgpu' | 'wasm' = 'webgpu', serviceWorkers: 'allow' | 'block' = 'block'): Promise<Lab> {
  const profile = mkdtempSync(join(tmpdir(), 'hedgelab-chromium-'));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
    serviceWorkers,
  });
  await context.addInitScript((choice) => {
    if (window.localStorage.getItem('hedgelab.backend') === null) window.localStorage.setItem('hedgelab.backend', choice);
  }, backend);
  const errors: string[] = [];
  const watch = async (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker console: ${m.text()}`)));
    await recordCspViolations(await context.newCDPSession(page), errors);
  };
  return {
    context,
    errors,
    async open(url) {
      const page = await context.newPage();
      await watch(page);
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
export function labForFile(backend?: 'auto' | 'webgpu' | 'wasm', serviceWorkers?: 'allow' | 'block'): Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await launchLab(backend, serviceWorkers);
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
