import { describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import { defaultConfig, preset, PRESETS } from '../../src/engine/experiment/presets';
import { parseExperiment } from '../../src/engine/experiment/schema';
import { CHECKED_TAG, decodeExperiment, encodeExperiment, experimentFragment, linkChecksum, MAX_LINK_CHARS, URI_ALPHABET } from '../../src/engine/experiment/share-link';

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

/** Every link one substitution, insertion or deletion of a character of lz-string's URI alphabet away from `link`, at positions `[from, to)`. */
function singleEdits(link: string, from = 0, to = link.length + 1): string[] {
  const out: string[] = [];
  for (let i = from; i < Math.min(to, link.length + 1); i++) {
    for (const c of URI_ALPHABET) {
      out.push(link.slice(0, i) + c + link.slice(i));
      if (i < link.length && c !== link[i]) out.push(link.slice(0, i) + c + link.slice(i + 1));
    }
    if (i < link.length) out.push(link.slice(0, i) + link.slice(i + 1));
  }
  return out;
}

describe('share-link integrity (issue 13, defect 9)', () => {
  const cfg = defaultConfig();
  const unchecked = LZString.compressToEncodedURIComponent(JSON.stringify(cfg));

  it('without a checksum, single-character edits decode to a different valid experiment', () => {
    const edits = singleEdits(unchecked, 0, 40);
    const different = edits.filter((e) => {
      const r = decodeExperiment(e);
      return r.ok && JSON.stringify(r.value) !== JSON.stringify(cfg);
    });
    expect(edits.length).toBe(40 * (65 + 64 + 1));
    expect(different.length).toBeGreaterThan(0);
  });

  it('a checked link refuses every single-character edit, each with the reason', () => {
    const link = encodeExperiment(cfg);
    expect(link.startsWith(CHECKED_TAG)).toBe(true);
    expect(link.slice(1, 7)).toBe(linkChecksum(link.slice(7)));
    const edits = singleEdits(link);
    expect(edits.length).toBe(link.length * 130 + 65);
    const results = edits.map((e) => decodeExperiment(e));
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(results.filter((r) => r.ok || !r.error.startsWith('the link'))).toEqual([]);
    const edited = link.slice(0, 100) + (link[100] === 'A' ? 'B' : 'A') + link.slice(101);
    expect(decodeExperiment(edited)).toEqual({ ok: false, error: 'the link is corrupted: its checksum does not match its content (it was edited or cut short)' });
  });

  it('opens a link made before checksums, marked unverified; a checked one is verified', () => {
    expect(decodeExperiment(`#x=${unchecked}`)).toEqual({ ok: true, value: cfg, unverified: true });
    const checked = decodeExperiment(`#${experimentFragment(cfg)}`);
    expect(checked).toEqual({ ok: true, value: cfg });
    expect(checked.ok && 'unverified' in checked).toBe(false);
  });

  it('checksums are six URI-alphabet characters of a 32-bit FNV-1a hash', () => {
    // FNV-1a("") = 0x811c9dc5, FNV-1a("a") = 0xe40c292c (the published test vectors), in base 64, most significant first.
    const base64 = (h: number) => Array.from({ length: 6 }, (_, i) => URI_ALPHABET[Math.floor(h / 64 ** (5 - i)) % 64]).join('');
    expect(linkChecksum('')).toBe(base64(0x811c9dc5));
    expect(linkChecksum('a')).toBe(base64(0xe40c292c));
    expect(linkChecksum('')).toMatch(/^[A-D][A-Za-z0-9+\-$]{5}$/);
  });
});
