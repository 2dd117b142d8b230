// Time-series charts on uPlot (from its webjar, in the jar): one chart per metric, one line per
// series. Fixed heights, so charts never push the page around when data arrives.
import uPlot from '../vendor/uplot/uPlot.esm.js';

const PALETTE = ['#2d6cdf', '#d9480f', '#2b8a3e', '#9c36b5', '#e8590c', '#0b7285', '#c2255c', '#5c940d'];

export function color(i) { return PALETTE[i % PALETTE.length]; }

/**
 * Draws `lines` ({label, values}) over `times` (epoch seconds) into `el`.
 * Returns the uPlot instance so its owner can destroy it.
 */
export function lineChart(el, times, lines, { format = v => v, axisFormat = format, height = 180 } = {}) {
  const width = Math.max(280, Math.floor(el.getBoundingClientRect().width || 400) - 8);
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  const axis = { stroke: dark ? '#9aa4af' : '#5b6570', grid: { stroke: dark ? '#2c333c' : '#e4e7eb' }, ticks: { stroke: dark ? '#2c333c' : '#e4e7eb' } };
  const opts = {
    width, height,
    // Points as well as lines: a bucket with data between empty ones is a point, not a segment.
    series: [{}, ...lines.map((l, i) => ({ label: l.label, stroke: color(i), width: 2, spanGaps: false,
      points: { show: true, size: 5, fill: color(i) },
      value: (u, v) => v === null || v === undefined ? '–' : format(v) }))],
    // Every metric is zero or more; an empty chart still has a sensible axis.
    scales: { y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [{ ...axis }, { ...axis, values: (u, vals) => vals.map(v => axisFormat(v)), size: 80 }],
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
  };
  return new uPlot(opts, [times, ...lines.map(l => l.values)], el);
}
