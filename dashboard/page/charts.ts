/** Each shown unicorn's magic and health points over the last minutes (uPlot), with the threshold. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { recent, type Sample } from '../model.ts';

/** The span of a chart: the last five minutes of records. */
export const CHART_SPAN_MS = 5 * 60_000;

interface Chart {
  figure: HTMLElement;
  caption: HTMLElement;
  plot: uPlot;
  /** The newest sample drawn, to skip a redraw when nothing is new. */
  newest: number;
}

/** The charts panel: one chart per shown unicorn. */
export class PointsCharts {
  readonly #charts = new Map<string, Chart>();

  constructor(
    readonly container: HTMLElement,
    private readonly onSelect: (name: string) => void,
  ) {}

  /**
   * Shows charts for `names` (in this order), dropping the others; redraws those whose track
   * has new samples, or all when `force`.
   */
  show(
    names: string[],
    trackOf: (name: string) => readonly Sample[],
    threshold: number,
    selected?: string,
    force = false,
  ): void {
    for (const [name, chart] of this.#charts) {
      if (!names.includes(name)) {
        chart.plot.destroy();
        chart.figure.remove();
        this.#charts.delete(name);
      }
    }
    names.forEach((name, i) => {
      const track = recent(trackOf(name), CHART_SPAN_MS);
      let chart = this.#charts.get(name);
      if (!chart) {
        chart = this.#create(name, threshold);
        this.#charts.set(name, chart);
      }
      if (this.container.children[i] !== chart.figure)
        this.container.insertBefore(chart.figure, this.container.children[i] ?? null);
      chart.figure.classList.toggle('selected', name === selected);
      chart.figure.setAttribute('aria-current', name === selected ? 'true' : 'false');
      const newest = track.at(-1)?.t ?? 0;
      if (!force && newest === chart.newest) return;
      chart.newest = newest;
      chart.plot.setData([
        track.map((s) => s.t / 1_000),
        track.map((s) => s.magic),
        track.map((s) => s.health),
        track.map(() => threshold),
      ]);
      const summary = describePoints(name, track, threshold);
      chart.caption.textContent = summary;
      chart.figure.setAttribute('aria-label', summary);
    });
  }

  #create(name: string, threshold: number): Chart {
    const figure = document.createElement('figure');
    figure.className = 'points-chart';
    figure.dataset.name = name;
    figure.setAttribute('role', 'group');
    figure.tabIndex = 0;
    const title = document.createElement('h3');
    title.textContent = name;
    const plotBox = document.createElement('div');
    // The canvas says nothing to a screen reader: the caption below is its text alternative.
    plotBox.setAttribute('aria-hidden', 'true');
    const caption = document.createElement('figcaption');
    figure.append(title, plotBox, caption);
    figure.addEventListener('click', () => this.onSelect(name));
    figure.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') this.onSelect(name);
    });
    const plot = new uPlot(
      {
        width: 360,
        height: 160,
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, min, max) => [Math.min(0, min), Math.max(threshold + 10, max + 10)] } },
        series: [
          {},
          { label: 'Magic', stroke: '#6a3d9a', width: 2 },
          { label: 'Health', stroke: '#2e7d32', width: 2, dash: [8, 4] },
          {
            label: `Threshold (${threshold})`,
            stroke: '#c0392b',
            width: 1.5,
            dash: [2, 4],
            points: { show: false },
          },
        ],
        axes: [{}, { size: 40 }],
      },
      [[], [], [], []],
      plotBox,
    );
    return { figure, caption, plot, newest: -1 };
  }

  /** Drops every chart (a reset). */
  clear(): void {
    for (const chart of this.#charts.values()) {
      chart.plot.destroy();
      chart.figure.remove();
    }
    this.#charts.clear();
  }
}

/** The chart's text alternative: the points now, their range over the span, and the threshold. */
export function describePoints(name: string, track: readonly Sample[], threshold: number): string {
  const last = track.at(-1);
  if (!last) return `${name}: no records yet.`;
  const magic = track.map((s) => s.magic);
  const health = track.map((s) => s.health);
  const minutes = Math.max(1, Math.round((last.t - (track[0] as Sample).t) / 60_000));
  const low =
    last.magic < threshold
      ? ` — below the threshold of ${threshold}: LOW MAGIC`
      : ` (threshold ${threshold})`;
  return `${name}: magic ${last.magic}${low}, health ${last.health}. Over the last ${minutes} min: magic ${Math.min(...magic)}–${Math.max(...magic)}, health ${Math.min(...health)}–${Math.max(...health)}.`;
}
