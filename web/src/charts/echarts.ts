/**
 * ECharts, loaded on demand (its own chunk, so the KPI cards paint before it arrives) and only
 * the parts the dashboard uses (./setup.ts): bar and line charts, grid, tooltip, legend, canvas.
 */
import type { ECharts } from 'echarts/core';

export type { EChartsOption } from 'echarts';
export type { ECharts };

let loading: Promise<typeof import('./setup')> | undefined;

export function loadEcharts(): Promise<typeof import('./setup')> {
  loading ??= import('./setup');
  return loading;
}
