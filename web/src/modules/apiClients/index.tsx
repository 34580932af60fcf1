import type { WebModule } from '../types';
import { locales } from './locales';
import { ApiClients } from './ApiClients';

/** API keys of municipal IT systems (shared platform piece; server side in src/platform/auth/apiKeys.ts). */
export const apiClientsWeb: WebModule = {
  name: 'apiClients',
  locales,
  routes: [{ path: 'admin/api-clients', element: <ApiClients /> }],
  homeCards: [{ to: '/admin/api-clients', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'official' }],
};
