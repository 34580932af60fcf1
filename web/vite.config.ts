import { createRequire } from 'node:module';
import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { localesByLanguage } from './vite-locales.ts';
import { firstViewPreload } from './vite-first-view.ts';

/**
 * react-router's package exports name its development build only (remix-run/react-router#14102):
 * the production build leaves its development warnings out (smaller, and less work on a slow
 * phone), so the build (not the dev server) takes that one, the same version's dist/production.
 */
const routerProduction = path.join(
  path.dirname(createRequire(import.meta.url).resolve('react-router/package.json')),
  'dist/production/index.mjs',
);

export default defineConfig(({ command }) => ({
  root: import.meta.dirname,
  plugins: [localesByLanguage(), react(), firstViewPreload()],
  resolve: command === 'build' ? { alias: [{ find: /^react-router$/, replacement: routerProduction }] } : {},
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 900,
    // Timings of slow plugins are noise on a busy machine; the build's own time is printed.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/auth': 'http://127.0.0.1:3000',
      '/demo-tara': 'http://127.0.0.1:3000',
    },
  },
}));
