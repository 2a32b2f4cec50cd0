import { defineConfig } from "vite";

// The page is served by the Handoff host from the same origin as the API (docs/web.md). `npm run dev` serves it on
// :5173 instead, calling the host at VITE_HANDOFF_API (an origin the host's Handoff:Server:CorsOrigins allows).
export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No inline scripts or styles: the host's content security policy allows only files of the page's origin.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
});
