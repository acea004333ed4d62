import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { pageWeightReport } from './scripts/pageWeight';

export default defineConfig({
  root: 'client',
  // client/public: the favicon, served at the root with its own name.
  publicDir: 'public',
  plugins: [pageWeightReport()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/client'),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: {
        caller: resolve(import.meta.dirname, 'client/index.html'),
        agent: resolve(import.meta.dirname, 'client/agent/index.html'),
        volunteer: resolve(import.meta.dirname, 'client/volunteer/index.html'),
        supervisor: resolve(import.meta.dirname, 'client/supervisor/index.html'),
      },
      output: {
        // locales/km/translation.json → assets/locale-km-translation-<hash>.js: which language a
        // page downloaded reads from its requests (the page-weight e2e test checks it).
        chunkFileNames: (chunk) => {
          const locale = /locales\/([^/]+)\/([^/]+)\.json$/.exec(chunk.facadeModuleId ?? '');
          return locale ? `assets/locale-${locale[1]}-${locale[2]}-[hash].js` : 'assets/[name]-[hash].js';
        },
      },
    },
  },
  server: {
    proxy: { '/socket.io': { target: 'http://localhost:3000', ws: true }, '/api': 'http://localhost:3000' },
  },
});
