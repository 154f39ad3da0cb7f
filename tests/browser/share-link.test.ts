/**
 * Share links in the browser: the fragment carries the experiment both ways, and a malformed, tampered,
 * truncated or oversized link is refused with its reason in a banner while the default experiment loads.
 */
import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, inject, it } from 'vitest';
import { defaultConfig } from '../../src/engine/experiment/presets';
import { labForFile, RESULTS_DIR } from './chromium';
import { formValues, linkTo, tinyExperiment } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

const defaults = defaultConfig();

describe('share links', () => {
  it('round-trip: Copy link copies the page URL, and opening it shows the same form', async () => {
    const page = await lab.open(baseUrl);
    await page.fill('[name="name"]', 'Round trip');
    await page.fill('[name="market.volatility"]', '0.35');
    await page.fill('[name="market.steps"]', '10');
    await page.selectOption('[name="claim.kind"]', 'put');
    await page.fill('[name="claim.strike"]', '1.05');
    await page.selectOption('[name="premium"]', 'zero');
    await page.check('[name="costs.closeAtMaturity"]');
    await page.selectOption('[name="risk.measure"]', 'expected-shortfall');
    await page.fill('[name="risk.alpha"]', '0.9');
    await page.uncheck('[name="strategies.2.enabled"]');
    await page.fill('[name="strategies.3.training.epochs"]', '7');
    await page.fill('[name="strategies.3.network.units"]', '16');
    await page.click('[data-testid=copy-link-button]');
    await page.waitForSelector('[data-testid=copy-link-button]:text("Link copied")');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(page.url());
    expect(copied).toMatch(/#x=[A-Za-z0-9+\-$]+$/);
    const sent = await formValues(page);

    const opened = await lab.open(copied);
    expect(await opened.isVisible('[data-testid=link-error]')).toBe(false);
    const received = await formValues(opened);
    expect(received).toEqual(sent);
    expect(received['market.volatility']).toBe('0.35');
    expect(received['claim.kind']).toBe('put');
    expect(received['strategy-whalley-wilmott/enabled']).toBe('false');
    expect(received['strategy-deep-mlp/training.epochs']).toBe('7');
    expect(lab.errors).toEqual([]);
    await page.close();
    await opened.close();
  });

  it('refuses malformed, truncated, tampered and oversized links with a visible reason, and loads the default', async () => {
    const tiny = linkTo(tinyExperiment(3));
    const tampered = structuredClone(defaults) as unknown as { market: { steps: number } };
    tampered.market.steps = 100_000;
    const cases: [string, string][] = [
      ['#x=garbage!!', 'corrupted'],
      [tiny.slice(0, Math.floor(tiny.length / 2)), 'corrupted'],
      [`#x=${compressToEncodedURIComponent(JSON.stringify(tampered))}`, 'market.steps'],
      [`#x=${'A'.repeat(9000)}`, 'too long'],
    ];
    for (const [i, [hash, reason]] of cases.entries()) {
      const page = await lab.open(baseUrl + hash);
      const banner = await page.waitForSelector('[data-testid=link-error]');
      expect(await banner.textContent()).toContain(reason);
      expect(await page.inputValue('[name="name"]')).toBe(defaults.name);
      expect(await page.inputValue('[name="market.steps"]')).toBe(String(defaults.market.steps));
      expect(await page.inputValue('[name="paths.train"]')).toBe(String(defaults.paths.train));
      if (i === 0) await page.screenshot({ path: `${RESULTS_DIR}/link-error.png` });
      await page.close();
    }
    expect(lab.errors).toEqual([]);
  });

  it('opens a link made before links carried a checksum, with a note that it could not be verified', async () => {
    const page = await lab.open(`${baseUrl}#x=${compressToEncodedURIComponent(JSON.stringify(tinyExperiment(3)))}`);
    const note = await page.waitForSelector('[data-testid=link-unverified]');
    expect(await note.textContent()).toContain('This link could not be verified');
    expect(await page.inputValue('[name="market.steps"]')).toBe('5');
    expect(await page.isVisible('[data-testid=link-error]')).toBe(false);
    await page.click('[data-testid=link-unverified] button[aria-label=Dismiss]');
    expect(await page.isVisible('[data-testid=link-unverified]')).toBe(false);
    expect(page.url()).toContain('#x=C');
    expect(lab.errors).toEqual([]);
    await page.close();
  });

  it('opens a link pasted into the address bar of an open page, and refuses a bad one there too', async () => {
    const page = await lab.open(baseUrl);
    await page.evaluate((hash) => (window.location.hash = hash), linkTo(tinyExperiment(3)));
    await page.waitForFunction(() => (document.querySelector('[name="market.steps"]') as HTMLInputElement).value === '5');
    expect(await page.inputValue('[name="paths.test"]')).toBe('64');
    await page.evaluate(() => (window.location.hash = '#x=not%20a%20link'));
    await page.waitForSelector('[data-testid=link-error]');
    expect(await page.inputValue('[name="market.steps"]')).toBe(String(defaults.market.steps));
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
