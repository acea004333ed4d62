import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'client',
  publicDir: false,
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
