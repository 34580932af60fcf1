import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { localesByLanguage } from './vite-locales.ts';
import { firstViewPreload } from './vite-first-view.ts';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [localesByLanguage(), react(), firstViewPreload()],
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
});
