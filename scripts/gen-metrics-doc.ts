import { writeFileSync } from 'node:fs';
import { renderMetricsDoc } from '../src/metrics/metricsDoc.js';

writeFileSync(new URL('../docs/metrics.md', import.meta.url), renderMetricsDoc());
process.stdout.write('wrote docs/metrics.md\n');
