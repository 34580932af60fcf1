import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';

const ApiClients = lazyPage(() => import('./ApiClients'), 'ApiClients');

/** API keys of municipal IT systems (shared platform piece; server side in src/platform/auth/apiKeys.ts). */
export const apiClientsWeb: WebModule = {
  name: 'apiClients',
  routes: [{ path: 'admin/api-clients', element: <ApiClients /> }],
  homeCards: [{ to: '/admin/api-clients', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'official' }],
};
