import type { Page } from '../page';
import { activityPage } from './activity';
import { agentPage } from './agent';
import { conversionPage } from './conversion';
import { dataHealthPage } from './dataHealth';
import { leadPage } from './lead';
import { leadFlowPage } from './leadFlow';
import { leadsPage } from './leads';
import { managerPage } from './manager';
import { pipelinePage } from './pipeline';
import { trendsPage } from './trends';

/** Every page, in sidebar order; the first is the home page. */
export const pages: Page[] = [
  managerPage,
  agentPage,
  pipelinePage,
  conversionPage,
  trendsPage,
  activityPage,
  leadFlowPage,
  dataHealthPage,
  leadsPage,
  leadPage,
];
