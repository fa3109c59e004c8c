import { formatAxis, formatBucket, formatValue, type Unit } from '../format';
import type { EChartsOption } from './echarts';

/** The dashboard's palette: calm blues with a green for money and an amber accent. */
export const PALETTE = [
  '#2563eb',
  '#16a34a',
  '#f59e0b',
  '#9333ea',
  '#0891b2',
  '#dc2626',
  '#64748b',
  '#db2777',
];

const base = (unit: Unit): EChartsOption => ({
  color: PALETTE,
  animationDuration: 300,
  textStyle: { fontFamily: 'inherit' },
  grid: { left: 12, right: 16, top: 28, bottom: 8, containLabel: true },
  tooltip: {
    trigger: 'axis',
    axisPointer: { type: 'shadow' },
    valueFormatter: (v) => formatValue(typeof v === 'number' ? v : null, unit),
  },
});

export interface Series {
  name: string;
  /** One value per category; null where the API has none. */
  values: (number | null)[];
}

/** Vertical bars (or lines) over categories such as months; several series are grouped or stacked. */
export function categoryChart(opts: {
  categories: string[];
  series: Series[];
  unit: Unit;
  kind?: 'bar' | 'line';
  stack?: boolean;
  bucketLabels?: boolean;
}): EChartsOption {
  const kind = opts.kind ?? 'bar';
  return {
    ...base(opts.unit),
    legend: opts.series.length > 1 ? { top: 0, type: 'scroll' } : { show: false },
    xAxis: {
      type: 'category',
      data: opts.bucketLabels === false ? opts.categories : opts.categories.map(formatBucket),
      axisTick: { show: false },
    },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatAxis(v, opts.unit) } },
    series: opts.series.map((s) => ({
      name: s.name,
      type: kind,
      data: s.values,
      ...(opts.stack ? { stack: 'total' } : {}),
      ...(kind === 'line'
        ? { showSymbol: true, symbolSize: 5, connectNulls: false, triggerLineEvent: true }
        : { barMaxWidth: 36 }),
      emphasis: { focus: 'series' },
    })),
  } as EChartsOption;
}

/** Horizontal bars, one per label (stages, agents), in the given order top to bottom. */
export function horizontalBars(opts: {
  labels: string[];
  series: Series[];
  unit: Unit;
  stack?: boolean;
  valueLabels?: string[];
}): EChartsOption {
  return {
    ...base(opts.unit),
    legend: opts.series.length > 1 ? { top: 0 } : { show: false },
    grid: {
      left: 12,
      right: opts.valueLabels ? 120 : 24,
      top: opts.series.length > 1 ? 28 : 8,
      bottom: 8,
      containLabel: true,
    },
    yAxis: { type: 'category', data: opts.labels, inverse: true, axisTick: { show: false } },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatAxis(v, opts.unit) } },
    series: opts.series.map((s, i) => ({
      name: s.name,
      type: 'bar',
      data: s.values,
      barMaxWidth: 26,
      ...(opts.stack ? { stack: 'total' } : {}),
      ...(i === opts.series.length - 1 && opts.valueLabels
        ? {
            label: {
              show: true,
              position: 'right',
              color: '#475569',
              formatter: (p: { dataIndex: number }) => opts.valueLabels?.[p.dataIndex] ?? '',
            },
          }
        : {}),
    })),
  } as EChartsOption;
}
