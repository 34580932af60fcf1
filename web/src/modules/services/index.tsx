import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import './services.css';

const LifeEventView = lazyPage(() => import('./PublicPages'), 'LifeEventView');
const ServiceDetail = lazyPage(() => import('./PublicPages'), 'ServiceDetail');
const ServicesHome = lazyPage(() => import('./PublicPages'), 'ServicesHome');
const MinuVald = lazyPage(() => import('./MinuVald'), 'MinuVald');
const OpenNow = lazyPage(() => import('./OpenNow'), 'OpenNow');
const Editor = lazyPage(() => import('./ManagePages'), 'Editor');
const Manage = lazyPage(() => import('./ManagePages'), 'Manage');
const National = lazyPage(() => import('./ManagePages'), 'National');
const Satisfaction = lazyPage(() => import('./ManagePages'), 'Satisfaction');

/** Services: the public catalogue and life events, "Minu vald", and the officials' service management. */
export const servicesWeb: WebModule = {
  name: 'services',
  routes: [
    { path: 'teenused', element: <ServicesHome /> },
    { path: 'teenused/:code/:id', element: <ServiceDetail /> },
    { path: 'elusundmused/:code/:event', element: <LifeEventView /> },
    { path: 'minu-vald', element: <MinuVald /> },
    { path: 'teenused-haldus', element: <Manage /> },
    { path: 'teenused-haldus/:code/:id', element: <Editor /> },
    { path: 'teenused-rahulolu', element: <Satisfaction /> },
    { path: 'teenused-elvl', element: <National /> },
  ],
  nav: [
    { to: '/minu-vald', labelKey: 'nav.minuVald', when: 'always', group: 'services', primary: true },
    { to: '/teenused', labelKey: 'nav.services', when: 'always', group: 'services', primary: true },
    { to: '/teenused-haldus', labelKey: 'nav.manage', when: 'official', group: 'manage' },
  ],
  homeSections: [OpenNow],
  homeCards: [
    { to: '/minu-vald', titleKey: 'home.minuTitle', textKey: 'home.minuText', when: 'always' },
    { to: '/teenused', titleKey: 'home.title', textKey: 'home.text', when: 'always' },
    { to: '/teenused-haldus', titleKey: 'home.manageTitle', textKey: 'home.manageText', when: 'official' },
  ],
};
