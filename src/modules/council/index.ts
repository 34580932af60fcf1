import type { KovModule } from '../../platform/module';
import { councilRoutes } from './routes';
import { seedCouncilDemo } from './seed';
import { councilVotesProvider } from './openData';
import { councilWork } from './workQueue';

export { liveAndComingSittings } from './openSittings';

export const councilModule: KovModule = {
  name: 'council',
  description:
    'Council (volikogu) sittings under KOKS: composition with factions and substitutes, agenda and documents, attendance and quorum, open votes and secret elections (ballot box), recusals, live view (SSE), minutes (HTML, PDF/A) and the public archive with open data.',
  api: councilRoutes,
  seedDemo: seedCouncilDemo,
  openData: [councilVotesProvider],
  workQueue: [councilWork],
};
