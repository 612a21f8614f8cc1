// Builds the console into graph/console/dist, where the Go package embeds it.
// File names are fixed (no content hashes) so that a rebuild replaces the same
// files and the committed bundle's diff shows exactly what changed:
// index.html, assets/console.js and assets/console.css.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const outDir = fileURLToPath(new URL('../../graph/console/dist', import.meta.url));

export default defineConfig({
  // The Go server mounts the console at /console/.
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: true,
    copyPublicDir: false,
    cssCodeSplit: false,
    modulePreload: false,
    sourcemap: false,
    minify: true,
    // Nothing is loaded from elsewhere: small images are inlined.
    assetsInlineLimit: 8192,
    rolldownOptions: {
      output: {
        codeSplitting: false,
        entryFileNames: 'assets/console.js',
        assetFileNames: (asset) =>
          asset.names.some((name) => name.endsWith('.css')) ? 'assets/console.css' : 'assets/[name][extname]',
      },
    },
  },
});
