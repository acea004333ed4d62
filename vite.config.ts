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
    },
  },
  server: {
    proxy: { '/socket.io': { target: 'http://localhost:3000', ws: true }, '/api': 'http://localhost:3000' },
  },
});
