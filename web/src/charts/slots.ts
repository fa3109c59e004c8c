import { h } from '../dom';
import { type ECharts, type EChartsOption, loadEcharts } from './echarts';

export interface ChartClick {
  name: string;
  seriesName: string | undefined;
  dataIndex: number;
}

interface Slot {
  el: HTMLDivElement;
  chart?: ECharts;
  option: EChartsOption;
  onClick: ((c: ChartClick) => void) | undefined;
}

/**
 * Chart containers that outlive a re-render: a page asks for `slot('funnel', option)` on every
 * refresh and gets the same element back, so a live update redraws the chart in place (no new
 * instance, no flicker) and a chart the page no longer shows is disposed.
 */
export class ChartSlots {
  private readonly slots = new Map<string, Slot>();
  private used = new Set<string>();
  private readonly observer = new ResizeObserver((entries) => {
    for (const e of entries) for (const s of this.slots.values()) if (s.el === e.target) s.chart?.resize();
  });

  begin(): void {
    this.used = new Set();
  }

  slot(
    key: string,
    option: EChartsOption,
    opts: { height?: number; onClick?: (c: ChartClick) => void; label?: string } = {},
  ): HTMLDivElement {
    this.used.add(key);
    let s = this.slots.get(key);
    if (!s) {
      s = { el: h('div', { class: 'chart', 'data-chart': key, role: 'img' }), option, onClick: undefined };
      this.slots.set(key, s);
      this.observer.observe(s.el);
    }
    s.el.style.height = `${opts.height ?? 280}px`;
    if (opts.label) s.el.setAttribute('aria-label', opts.label);
    s.option = option;
    s.onClick = opts.onClick;
    s.el.classList.toggle('clickable', Boolean(opts.onClick));
    return s.el;
  }

  /** Draws the charts of this render (call once the elements are in the document). */
  async commit(): Promise<void> {
    for (const [key, s] of this.slots)
      if (!this.used.has(key)) {
        s.chart?.dispose();
        this.observer.unobserve(s.el);
        this.slots.delete(key);
      }
    if (this.slots.size === 0) return;
    const echarts = await loadEcharts();
    for (const s of this.slots.values()) {
      if (!s.el.isConnected) continue;
      const fresh = !s.chart;
      s.chart ??= echarts.init(s.el, undefined, { renderer: 'canvas' });
      s.chart.setOption(s.option, { notMerge: true, lazyUpdate: false });
      if (fresh) {
        const slot = s;
        s.chart.on('click', (p) => {
          const params = p as { name?: string; seriesName?: string; dataIndex?: number };
          slot.onClick?.({
            name: params.name ?? '',
            seriesName: params.seriesName,
            dataIndex: params.dataIndex ?? 0,
          });
        });
      }
    }
  }

  disposeAll(): void {
    for (const s of this.slots.values()) s.chart?.dispose();
    this.slots.clear();
    this.observer.disconnect();
  }
}
