// The run over time with uPlot: the canary's weight (left axis, %) and each metric check's value
// (right axis). Points come from the checks status still holds and from what the stream brought
// while this page was open.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './html.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

const clockTime = (seconds) => new Date(seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** [times, weight, ...one array per metric] for uPlot, from points {time (ms), weight?, values}. */
export function chartData(points) {
  const names = [...new Set(points.flatMap((point) => Object.keys(point.values)))].sort();
  const sorted = [...points].sort((a, b) => a.time - b.time);
  return {
    names,
    data: [
      sorted.map((point) => point.time / 1000),
      sorted.map((point) => point.weight ?? null),
      ...names.map((name) => sorted.map((point) => point.values[name] ?? null)),
    ],
  };
}

export function RunChart({ points }) {
  const element = useRef(null);
  const plot = useRef(null);
  const { names, data } = chartData(points);
  const shape = names.join('|');
  useEffect(() => {
    if (!element.current) return;
    plot.current?.destroy();
    plot.current = new uPlot(
      {
        width: Math.min(900, element.current.clientWidth || 900),
        height: 260,
        scales: {
          // At least a minute wide, so a run's first point does not stretch the axis over years.
          x: { time: true, range: (_plot, min, max) => (max - min < 60 ? [max - 60, max + 1] : [min, max]) },
          weight: { range: [0, 100] },
          // From zero to a quarter above the highest value: a success rate of 100 sits above a weight of 50.
          value: { range: (_plot, min, max) => [Math.min(0, min ?? 0), max > 0 ? max * 1.25 : 1] },
        },
        axes: [
          // One row of clock times, spaced so that they never run into each other.
          { space: 90, values: (_plot, splits) => splits.map((seconds) => clockTime(seconds)) },
          { scale: 'weight', label: 'weight %' },
          { scale: 'value', side: 1, label: 'check value', grid: { show: false } },
        ],
        series: [
          {},
          { label: 'weight %', scale: 'weight', stroke: '#111827', width: 2, spanGaps: true, paths: uPlot.paths.stepped({ align: 1 }) },
          ...names.map((name, index) => ({
            label: name,
            scale: 'value',
            stroke: COLORS[index % COLORS.length],
            spanGaps: true,
            points: { show: true },
          })),
        ],
      },
      data,
      element.current,
    );
    return () => plot.current?.destroy();
  }, [shape]);
  useEffect(() => plot.current?.setData(data), [points]);
  // What is plotted, per series, for anyone who reads the page without eyes (and for the tests).
  const plotted = Object.fromEntries(
    ['weight %', ...names].map((label, index) => [label, data[index + 1].filter((value) => value !== null)]),
  );
  return html`<div class="chart" ref=${element} data-testid="canary-chart" data-plotted=${JSON.stringify(plotted)}></div>`;
}
