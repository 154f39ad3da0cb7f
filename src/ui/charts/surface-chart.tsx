/**
 * The holding surface: a hedger's holding over log-moneyness x time to maturity, beside the Black-Scholes
 * delta on the same grid and the same colour scale, so a class can see where the network departs from the
 * textbook (paper 001, the "no-transaction band" figures); or every hedger side by side on ONE colour scale
 * (paper 003 fig. 4). A strategy trading several assets has one surface per asset (an asset menu picks
 * it; a surface that names no asset is the claim's, the market's first instrument). Paper 003's sequence hedgers hold what their path's history says, so their surface is empirical: the
 * mean holding of the test (path, date) pairs in each cell; an empty cell is left blank and hovering a cell
 * says how many pairs it averages. At phone width the panels stack, each titled above itself, so neither
 * titles nor axes overlap.
 */
import { useMemo, useState } from 'react';
import { useLab } from '../lab-store';
import { UNDERLYING, type SurfaceSet } from '../run-view';
import { useEmptyMessage } from './empty-message';
import { StrategyMenu, useStrategyPick } from './strategy-pick';
import { usePhoneWidth } from '../phone-width';
import { Plot } from './plot';
import { surfaceFigure, type Surface, type SurfacePanel } from './surface-figure';

type Mode = 'one' | 'all';

const asPanel = (name: string, surface: Surface): SurfacePanel => ({ name, surface, values: surface.hedge, count: surface.count });
const referencePanel = (surface: Surface): SurfacePanel => ({ name: 'Black-Scholes delta', surface, values: surface.reference!, count: undefined });

export function SurfaceChart() {
  const streamed = useLab((s) => s.view.surfaces);
  const strategies = useLab((s) => s.view.strategies);
  // A surface that names no asset holds the claim's underlying: the market's first instrument, by name.
  const claimAsset = useLab((s) => s.view.market?.instruments[0] ?? UNDERLYING);
  const surfaces = useMemo(
    (): Record<string, SurfaceSet> =>
      Object.fromEntries(Object.entries(streamed).map(([id, set]) => [id, Object.fromEntries(Object.entries(set).map(([k, v]) => [k === UNDERLYING ? claimAsset : k, v]))])),
    [streamed, claimAsset],
  );
  const daysPerYear = useLab((s) => s.run.config?.market.daysPerYear ?? 365);
  const { ids, id, record: set, labelOf, pick: setPicked } = useStrategyPick(surfaces);
  const [mode, setMode] = useState<Mode>('one');
  const [picked, setAsset] = useState<string | null>(null);
  const phone = usePhoneWidth();
  const empty = useEmptyMessage({
    before: 'Press Run: the deep hedger’s holdings appear here',
    during: 'Appears when the deep hedger is first scored on the test paths…',
    noDeepHedger: 'No deep hedger in this experiment: tick one to see what it holds',
  });
  const all = mode === 'all' && ids.length > 1;
  const shown = all ? ids : id ? [id] : [];
  const assets = [...new Set(shown.flatMap((i) => Object.keys(surfaces[i] ?? {})))];
  const asset = picked !== null && assets.includes(picked) ? picked : (assets[0] ?? null);

  const panels = useMemo((): SurfacePanel[] => {
    if (asset === null) return [];
    if (!all) {
      const surface = set?.[asset];
      if (!surface || !id) return [];
      return surface.reference ? [asPanel(labelOf(id), surface), referencePanel(surface)] : [asPanel(labelOf(id), surface)];
    }
    const own = ids.flatMap((i) => (surfaces[i]?.[asset] ? [asPanel(labelOf(i), surfaces[i][asset])] : []));
    const withReference = own.find((p) => p.surface.reference);
    return withReference ? [...own, referencePanel(withReference.surface)] : own;
    // `set`, `ids` and `labelOf` follow from the surfaces and the strategies.
  }, [all, asset, id, surfaces, strategies]);

  const figure = useMemo(() => (panels.length ? surfaceFigure(panels, phone, daysPerYear) : null), [panels, phone, daysPerYear]);
  const stackedHeight = phone && panels.length > 1 ? 310 * panels.length : 360;

  return (
    <>
      <div className="chart-picker">
        {ids.length > 1 && (
          <label className="chart-picker">
            Show{' '}
            <select value={mode} onChange={(e) => setMode(e.target.value as Mode)} data-testid="surface-view">
              <option value="one">one hedger beside Black-Scholes</option>
              <option value="all">every hedger, one colour scale</option>
            </select>
          </label>
        )}
        {!all && <StrategyMenu ids={ids} id={id} labelOf={labelOf} pick={setPicked} testId="surface-strategy" />}
        {assets.length > 1 && (
          <label className="chart-picker">
            Asset{' '}
            <select value={asset ?? ''} onChange={(e) => setAsset(e.target.value)} data-testid="surface-asset">
              {assets.map((a) => (
                <option key={a} value={a}>
                  {a === UNDERLYING ? 'the claim’s underlying' : a === claimAsset ? `${a} (the claim’s)` : a}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <Plot figure={figure} empty={empty} testId="chart-surface" height={stackedHeight} />
    </>
  );
}
