/**
 * The page as it first opens: served cross-origin isolated under a strict CSP that it never violates, no console errors, the
 * WebGPU backend active, and a form that checks every field as it is typed.
 */
import { describe, expect, inject, it } from 'vitest';
import { labForFile, RESULTS_DIR } from './chromium';
import { fieldError, waitForBackend } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

describe('page load', () => {
  it('is served cross-origin isolated, under a CSP with no inline or evaluated script', async () => {
    const response = await lab.context.request.get(baseUrl);
    const headers = response.headers();
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    const csp = headers['content-security-policy'] ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src '));
    expect(scriptSrc).toBe("script-src 'self' 'wasm-unsafe-eval' blob:");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('ws:');
  });

  it('opens on the default experiment with WebGPU active, no console errors and no CSP violation in the page or its worker', async () => {
    const page = await lab.open(baseUrl);
    await waitForBackend(page, 'webgpu');
    expect(await page.textContent('[data-testid=backend-badge]')).toContain('webgpu');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.textContent('h1')).toContain('HedgeLab');
    expect(await page.inputValue('[name="market.volatility"]')).toBe('0.2');
    expect(await page.isEnabled('[data-testid=run-button]')).toBe(true);
    expect(page.url()).toContain('#x=');
    await page.screenshot({ path: `${RESULTS_DIR}/page-loaded.png`, fullPage: true });
    expect(lab.errors.filter((e) => e.includes('CSP violation'))).toEqual([]);
    expect(lab.errors).toEqual([]);

    // The record does see a violation: an inline script, which the policy refuses to run.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.inlineRan = "yes"';
      document.body.append(script);
    });
    await expect.poll(() => lab.errors).toContainEqual(expect.stringMatching(/^page CSP violation: script-src-elem \(kInlineViolation\)/));
    expect(await page.getAttribute('body', 'data-inline-ran')).toBeNull();
    lab.errors.length = 0;
    await page.close();
  });

  it('shows each validation error beside its field, keeps what was typed, and holds Run until the form is valid', async () => {
    const page = await lab.open(baseUrl);
    await waitForBackend(page, 'webgpu');
    const validLink = page.url();

    await page.fill('[name="market.steps"]', '2O');
    await page.fill('[name="paths.train"]', '8');
    expect(await fieldError(page, 'market.steps')).toBe('enter a number');
    expect(await fieldError(page, 'paths.train')).toBe('must be at least 16');
    expect(await fieldError(page, 'market.volatility')).toBeNull();
    expect(await page.inputValue('[name="market.steps"]')).toBe('2O');
    expect(await page.isDisabled('[data-testid=run-button]')).toBe(true);
    expect(await page.isDisabled('[data-testid=copy-link-button]')).toBe(true);
    expect(page.url()).toBe(validLink);
    await page.screenshot({ path: `${RESULTS_DIR}/form-errors.png` });

    await page.fill('[name="market.steps"]', '20');
    await page.fill('[name="paths.train"]', '512');
    expect(await fieldError(page, 'market.steps')).toBeNull();
    expect(await fieldError(page, 'paths.train')).toBeNull();
    expect(await fieldError(page, 'strategies.3.training.batchSize')).toBe('batch size 1024 exceeds the 512 training paths');
    expect(await page.isDisabled('[data-testid=run-button]')).toBe(true);

    await page.fill('[name="strategies.3.training.batchSize"]', '256');
    expect(await fieldError(page, 'strategies.3.training.batchSize')).toBeNull();
    expect(await page.isEnabled('[data-testid=run-button]')).toBe(true);
    expect(page.url()).not.toBe(validLink);
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
