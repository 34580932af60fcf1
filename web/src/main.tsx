import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { i18nReady } from './i18n';
import './styles.css';
import { App } from './App';
import { startFirstView } from './app/firstView';

const firstView = startFirstView(window.location.pathname);

// The strings of the chosen language arrive as one chunk; render when they are there (a failed
// download renders anyway: keys instead of text beat a blank page, and a retry is one reload),
// and with them the first view's code, strings and data (at most a second's wait: app/firstView.ts).
void Promise.all([i18nReady, firstView]).finally(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </StrictMode>,
  ),
);
