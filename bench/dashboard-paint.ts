// First meaningful paint of the dashboard in headless Chromium: the time from navigation start to
// the moment the page's KPI cards are in the document with the API's values (the app's
// `leadhouse:first-content` mark), cold (new browser context: empty cache) and warm (reload).
//
//   node --import tsx bench/dashboard-paint.ts --url http://localhost:3000 [--runs 10] [--path /manager?…] [--token …]
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:3000' },
    path: { type: 'string', default: '/manager' },
    runs: { type: 'string', default: '10' },
    token: { type: 'string' },
  },
});
const runs = Number(values.runs);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
  ],
});

const MARK = `performance.getEntriesByName('leadhouse:first-content')[0]?.startTime ?? -1`;
const FCP = `performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1`;

async function measure(warm: boolean): Promise<{ fmp: number; fcp: number }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  if (values.token)
    await context.addInitScript(`sessionStorage.setItem('leadhouse.token', ${JSON.stringify(values.token)})`);
  const page = await context.newPage();
  await page.goto(`${values.url}${values.path}`);
  await page.waitForSelector('.content[data-renders]', { timeout: 30_000 });
  if (warm) {
    await page.reload();
    await page.waitForSelector('.content[data-renders]', { timeout: 30_000 });
  }
  const fmp = Number(await page.evaluate(MARK));
  const fcp = Number(await page.evaluate(FCP));
  await context.close();
  return { fmp, fcp };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
for (const warm of [false, true]) {
  const out: { fmp: number; fcp: number }[] = [];
  for (let i = 0; i < runs; i++) out.push(await measure(warm));
  const fmp = out.map((o) => o.fmp);
  console.log(
    JSON.stringify({
      cache: warm ? 'warm' : 'cold',
      runs,
      fmp_median_ms: Math.round(pct(fmp, 50)),
      fmp_p90_ms: Math.round(pct(fmp, 90)),
      fmp_max_ms: Math.round(Math.max(...fmp)),
      fcp_median_ms: Math.round(
        pct(
          out.map((o) => o.fcp),
          50,
        ),
      ),
    }),
  );
}
await browser.close();
