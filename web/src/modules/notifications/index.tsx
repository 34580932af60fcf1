import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import './notifications.css';

const NotificationBell = lazyPage(() => import('./Bell'), 'NotificationBell');
const CentrePage = lazyPage(() => import('./Centre'), 'CentrePage');
const SettingsPage = lazyPage(() => import('./Settings'), 'SettingsPage');
const VerifyPage = lazyPage(() => import('./Links'), 'VerifyPage');
const UnsubscribePage = lazyPage(() => import('./Links'), 'UnsubscribePage');
const DemoMailboxPage = lazyPage(() => import('./DemoMailbox'), 'DemoMailboxPage');
const DemoMessagePage = lazyPage(() => import('./DemoMailbox'), 'DemoMessagePage');

/** The notification centre (in the header), notification settings, e-mail links and the demo mailbox. */
export const notificationsWeb: WebModule = {
  name: 'notifications',
  routes: [
    { path: 'teavitused', element: <CentrePage /> },
    { path: 'teavitused/seaded', element: <SettingsPage /> },
    { path: 'teavitused/kinnita/:token', element: <VerifyPage /> },
    { path: 'teavitused/loobu/:token', element: <UnsubscribePage /> },
    { path: 'demo-post', element: <DemoMailboxPage /> },
    { path: 'demo-post/:id', element: <DemoMessagePage /> },
  ],
  // Loaded with its strings after the first render; the header keeps its place meanwhile.
  headerTools: [NotificationBell],
};
