'use client';

import { rocAxisOptions, type RocAxis } from './build-roc-canvas';

/** The choice between the two ROC conventions, the same on every page that draws a ROC curve. */
export function RocAxisSelect({ value, onChange }: { value: RocAxis; onChange: (axis: RocAxis) => void }) {
  return (
    <label>
      ROC convention
      <select value={value} onChange={(e) => onChange(e.target.value as RocAxis)} data-testid="roc-axis">
        {rocAxisOptions.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
