/** The saved files' names (src/ui/file-download.ts fileStem): a typed name made safe for a file system. */
import { describe, expect, it } from 'vitest';
import { fileStem } from '../../src/ui/file-download';

describe('fileStem', () => {
  it('keeps letters, digits and hyphens, lower-cased, and joins the rest with single hyphens', () => {
    expect(fileStem('Deep hedging a European call with costs', 'run')).toBe('deep-hedging-a-european-call-with-costs');
    expect(fileStem('pfhedge README: European call, cost 1e-4', 'run')).toBe('pfhedge-readme-european-call-cost-1e-4');
    expect(fileStem('  Cliquet race: Adam vs DH-KFAC (paper 002)  ', 'run')).toBe('cliquet-race-adam-vs-dh-kfac-paper-002');
  });

  it('falls back when nothing is left', () => {
    expect(fileStem('   ', 'comparison')).toBe('comparison');
    expect(fileStem('€ / €', 'run')).toBe('run');
  });
});
