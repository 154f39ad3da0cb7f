/**
 * Which strategy a per-strategy chart (holding surface, PV_T map) shows: the one picked in its menu while it
 * still has a record, else the first strategy that has one; with the ids that have one and their labels, for
 * the menu.
 */
import { useState } from 'react';
import { useLab } from '../lab-store';

export function useStrategyPick<T>(records: Record<string, T>) {
  const strategies = useLab((s) => s.view.strategies);
  const ids = strategies.map((s) => s.id).filter((id) => records[id]);
  const [picked, setPicked] = useState<string | null>(null);
  const id = picked !== null && ids.includes(picked) ? picked : (ids[0] ?? null);
  const labelOf = (which: string) => strategies.find((s) => s.id === which)?.label ?? which;
  return { ids, id, record: id ? records[id] : undefined, label: id ? labelOf(id) : '', labelOf, pick: setPicked };
}

/** The menu of a per-strategy chart, shown when more than one strategy has a record. */
export function StrategyMenu(props: { ids: string[]; id: string | null; labelOf: (id: string) => string; pick: (id: string) => void; testId?: string }) {
  if (props.ids.length < 2) return null;
  return (
    <label className="chart-picker">
      Strategy{' '}
      <select value={props.id ?? ''} onChange={(e) => props.pick(e.target.value)} data-testid={props.testId}>
        {props.ids.map((i) => (
          <option key={i} value={i}>
            {props.labelOf(i)}
          </option>
        ))}
      </select>
    </label>
  );
}
