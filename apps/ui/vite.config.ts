import { defineConfig } from 'vite';

// The UI is served by the gateway at `/`: built to dist/, assets under /assets/.
// `npm run dev -w @chronicle/ui` proxies the API to a running Chronicle (CHRONICLE_URL).
const api = process.env.CHRONICLE_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // Mantine's "use client" directives mean nothing here (no server components).
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: { '/graphql': { target: api, ws: true }, '/api': api, '/healthz': api, '/readyz': api },
  },
});
