import { describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import { defaultConfig, preset, PRESETS } from '../../src/engine/experiment/presets';
import { parseExperiment } from '../../src/engine/experiment/schema';
import { decodeExperiment, encodeExperiment, experimentFragment, MAX_LINK_CHARS } from '../../src/engine/experiment/share-link';

describe('experiment schema', () => {
  it('accepts every preset', () => {
    for (const name of Object.keys(PRESETS)) expect(parseExperiment(preset(name)).ok).toBe(true);
  });

  it('names the field of an out-of-bounds number', () => {
    const cfg = defaultConfig() as any;
    cfg.market.volatility = 7;
    const r = parseExperiment(cfg);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^market\.volatility: /);
  });

  it('refuses duplicate strategy ids, batches larger than the training set, unknown fields and other versions', () => {
    const dup = defaultConfig();
    dup.strategies.push({ id: 'bs-delta', type: 'bs-delta' });
    const r1 = parseExperiment(dup);
    expect(!r1.ok && r1.errors.some((e) => e.startsWith('strategies.4.id: duplicate id'))).toBe(true);
    const big = defaultConfig() as any;
    big.strategies[3].training.batchSize = 100_000;
    const r2 = parseExperiment(big);
    expect(!r2.ok && r2.errors.some((e) => e.startsWith('strategies.3.training.batchSize'))).toBe(true);
    const extra = { ...defaultConfig(), script: 'alert(1)' };
    expect(parseExperiment(extra).ok).toBe(false);
    const r3 = parseExperiment({ ...defaultConfig(), version: 99 });
    expect(!r3.ok && r3.errors[0]).toMatch(/version: .* versions 1 and 2, not 99/);
  });
});

describe('share links', () => {
  it('round-trip the whole experiment, through a fragment or a full URL', () => {
    const cfg = preset('pfhedge-readme');
    cfg.seed = 12345;
    expect(decodeExperiment(encodeExperiment(cfg))).toEqual({ ok: true, value: cfg });
    expect(decodeExperiment(`https://lab.example/#${experimentFragment(cfg)}`)).toEqual({ ok: true, value: cfg });
  });

  it('stay short enough to share', () => {
    expect(experimentFragment(defaultConfig()).length).toBeLessThan(1000);
  });

  it('report corruption, tampering, bad JSON and oversize links without throwing', () => {
    const good = encodeExperiment(defaultConfig());
    const cases: [string, RegExp][] = [
      ['#x=garbage!!', /characters a HedgeLab link never has/],
      [`#x=${good.slice(0, good.length / 2)}`, /corrupted|invalid/],
      [`#x=${LZString.compressToEncodedURIComponent('{"version":1,')}`, /not valid JSON/],
      [`#x=${LZString.compressToEncodedURIComponent(JSON.stringify({ ...defaultConfig(), seed: -4 }))}`, /seed/],
      [`#x=${'A'.repeat(MAX_LINK_CHARS + 1)}`, /too long/],
      ['#y=1', /carries no experiment/],
      ['#x=', /empty/],
    ];
    for (const [link, message] of cases) {
      const r = decodeExperiment(link);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(message);
    }
  });
});
