import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { i18nReady } from './i18n';
import './styles.css';
import { App } from './App';
import { startFirstView } from './app/firstView';

startFirstView(window.location.pathname);

// The strings of the chosen language arrive as one chunk; render when they are there (a failed
// download renders anyway: keys instead of text beat a blank page, and a retry is one reload).
void i18nReady.finally(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </StrictMode>,
  ),
);
