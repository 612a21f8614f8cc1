// Builds the GraphiQL page's assets into graph/graphiql/dist, where the Go
// package embeds them. File names are fixed (no content hashes) so that a
// rebuild replaces the same two files: graphiql.js and graphiql.css.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const outDir = fileURLToPath(new URL('../../graph/graphiql/dist', import.meta.url));

export default defineConfig({
  plugins: [react()],
  // The Go server mounts the assets at /graphiql/.
  base: '/graphiql/',
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: '',
    copyPublicDir: false,
    cssCodeSplit: false,
    modulePreload: false,
    sourcemap: false,
    minify: true,
    // Everything (fonts included) is inlined: the page must work offline.
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      input: fileURLToPath(new URL('./src/main.tsx', import.meta.url)),
      onwarn(warning, warn) {
        // react-compiler-runtime's "use no memo" directive only matters to the
        // React compiler, which this build does not run.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      output: {
        codeSplitting: false,
        entryFileNames: 'graphiql.js',
        assetFileNames: (asset) =>
          asset.names.some((name) => name.endsWith('.css')) ? 'graphiql.css' : '[name][extname]',
      },
    },
  },
});
