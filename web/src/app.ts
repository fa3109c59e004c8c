import { ApiError, get, type HealthReport, metric } from './api';
import { ChartSlots } from './charts/slots';
import { type FilterOptions, filterBar } from './components/filterBar';
import { h, icon, replace } from './dom';
import { filterParams, readFilters, today, yearPeriod } from './filters';
import { type ChangeNotice, connectLive, type LiveState } from './live';
import type { Page, PageContext } from './page';
import { pages } from './pages';

const LOGO = 'M5 20V5h3v12h8v3z';

/**
 * The shell: sidebar, filter bar and the current page. Navigation is pushState; every page is a
 * URL (its filters in the query string). Live changes re-render the page in place.
 */
export class DashboardApp {
  private readonly nav = h('nav', { class: 'nav' });
  private readonly title = h('h1', {});
  private readonly filtersEl = h('div', { class: 'filter-slot' });
  private readonly content = h('div', { class: 'content', 'aria-live': 'polite' });
  private readonly status = h('div', { class: 'live-status', 'data-live': 'connecting' }, 'Connecting…');
  private readonly charts = new ChartSlots();
  private page: Page | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private renders = 0;
  private sources: string[] = [];
  private readonly owners = new Map<string, string[]>();
  private stopLive: () => void = () => {};

  constructor(private readonly root: HTMLElement) {}

  start(): void {
    replace(
      this.root,
      h(
        'div',
        { class: 'shell' },
        h(
          'aside',
          { class: 'sidebar' },
          h(
            'a',
            { class: 'brand', href: '/manager', 'data-nav': true },
            icon(LOGO),
            h('span', {}, 'Leadhouse'),
          ),
          this.nav,
          this.status,
        ),
        h('main', {}, h('header', { class: 'topbar' }, this.title, this.filtersEl), this.content),
      ),
    );
    document.addEventListener('click', (e) => this.intercept(e));
    window.addEventListener('popstate', () => this.show());
    this.stopLive = connectLive(
      (n) => this.changed(n),
      (s) => this.setLive(s),
    );
    void this.show();
  }

  stop(): void {
    this.stopLive();
    this.charts.disposeAll();
  }

  go(url: string): void {
    if (url === location.pathname + location.search) return;
    history.pushState(null, '', url);
    void this.show();
  }

  private intercept(e: MouseEvent): void {
    const a = (e.target as Element | null)?.closest('a[data-nav]');
    if (!a || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    this.go(a.getAttribute('href') ?? '/');
  }

  private route(): { page: Page; rest: string[] } {
    const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const page = pages.find((p) => p.path === (parts[0] ?? '')) ?? pages.find((p) => p.path === 'manager');
    return { page: page as Page, rest: parts.slice(1) };
  }

  /** Renders the current URL's page (from scratch after a navigation). */
  private async show(): Promise<void> {
    const { page } = this.route();
    if (page !== this.page) {
      this.page = page;
      this.charts.disposeAll();
      replace(this.content, h('div', { class: 'loading' }, 'Loading…'));
    }
    this.renderNav();
    await this.refresh();
  }

  /** Fetches and redraws the page; a call during a render runs once more after it. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.renderOnce();
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async renderOnce(): Promise<void> {
    const { page, rest } = this.route();
    const filters = readFilters();
    const ctx: PageContext = {
      filters,
      params: new URLSearchParams(location.search),
      rest,
      chart: (key, option, opts) => this.charts.slot(key, option, opts),
      go: (url) => this.go(url),
      setParams: (p) => this.setParams(p),
    };
    document.title = `${page.title} · Leadhouse`;
    this.title.textContent = page.title;
    this.charts.begin();
    const [body, options] = await Promise.all([
      page.render(ctx).catch((e: unknown) => errorView(e)),
      this.filterOptions(filters.source, filters.year),
    ]);
    if (page !== this.route().page) return; // navigated away meanwhile
    replace(
      this.filtersEl,
      page.filters.length ? filterBar(page.filters, filters, options, (p) => this.setParams(p)) : null,
    );
    replace(this.content, body);
    this.renders++;
    this.content.dataset['renders'] = String(this.renders);
    this.content.dataset['page'] = page.path;
    if (this.renders === 1) performance.mark('leadhouse:first-content');
    await this.charts.commit();
  }

  private setParams(p: Record<string, string | null>): void {
    const q = new URLSearchParams({
      ...Object.fromEntries(new URLSearchParams(location.search)),
      ...filterParams(readFilters()),
    });
    for (const [k, v] of Object.entries(p))
      if (v === null || v === '') q.delete(k);
      else q.set(k, v);
    const s = q.toString();
    this.go(`${location.pathname}${s ? `?${s}` : ''}`);
  }

  private changed(n: ChangeNotice): void {
    const source = readFilters().source;
    if (source && n.sources.length > 0 && !n.sources.includes(source)) return;
    void this.refresh();
  }

  private setLive(s: LiveState): void {
    this.status.dataset['live'] = s;
    this.status.textContent = { connecting: 'Connecting…', live: 'Live', offline: 'Offline — retrying' }[s];
  }

  private renderNav(): void {
    const current = this.route().page;
    const keep = new URLSearchParams(filterParams(readFilters()));
    keep.delete('owner');
    replace(
      this.nav,
      ...pages
        .filter((p) => p.nav)
        .map((p) =>
          h(
            'a',
            {
              href: `/${p.path}?${keep}`,
              'data-nav': true,
              class: p === current ? 'active' : '',
              'data-page-link': p.path,
            },
            icon(p.nav?.icon ?? ''),
            h('span', {}, p.nav?.label ?? p.title),
          ),
        ),
    );
  }

  /** Offices (from the sources the server knows) and agents (the year's leaderboard). */
  private async filterOptions(source: string, year: number): Promise<FilterOptions> {
    const now = today().year;
    const years = [now - 3, now - 2, now - 1, now];
    if (this.sources.length === 0)
      this.sources = (await get<HealthReport>('/sources/health').catch(() => ({ sources: [] }))).sources.map(
        (s) => s.source,
      );
    const key = `${source}|${year}`;
    let owners = this.owners.get(key);
    if (!owners) {
      const p = yearPeriod({ year });
      const board = await metric('leaderboard', {
        from: p.from,
        to: p.to,
        source: source || undefined,
      }).catch(() => undefined);
      owners = (board?.rows ?? [])
        .map((r) => String(r['owner'] ?? ''))
        .filter((o) => o !== '' && o !== 'null');
      this.owners.set(key, owners);
    }
    return { sources: this.sources, owners, years };
  }
}

function errorView(e: unknown): HTMLElement {
  const msg = e instanceof ApiError ? `${e.message} (${e.code})` : e instanceof Error ? e.message : String(e);
  return h('div', { class: 'error-box' }, h('strong', {}, 'Could not load this view'), h('p', {}, msg));
}
