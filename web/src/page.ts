import type { EChartsOption } from './charts/echarts';
import type { ChartClick } from './charts/slots';
import type { Filters } from './filters';

/** Which filters a page shows in the bar. */
export type FilterKind = 'source' | 'period' | 'owner';

export interface PageContext {
  filters: Filters;
  /** The whole query string (pages with their own parameters read them here). */
  params: URLSearchParams;
  /** Path segments after the page's own (e.g. /lead/office_a/42 → ['office_a', '42']). */
  rest: string[];
  chart(
    key: string,
    option: EChartsOption,
    opts?: { height?: number; onClick?: (c: ChartClick) => void; label?: string },
  ): HTMLDivElement;
  /** Goes to an in-app URL (pushState). */
  go(url: string): void;
  /** Replaces some query parameters of the current page. */
  setParams(p: Record<string, string | null>): void;
}

export interface Page {
  /** First path segment: /manager, /agent … */
  path: string;
  title: string;
  nav?: { label: string; icon: string };
  filters: FilterKind[];
  /** Fetches what the page shows and builds it; called again on every live change. */
  render(ctx: PageContext): Promise<Node>;
}
