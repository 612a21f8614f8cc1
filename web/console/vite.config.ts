// Builds the console into graph/console/dist, where the Go package embeds it.
// File names are fixed (no content hashes) so that a rebuild replaces the same
// files and the committed bundle's diff shows exactly what changed:
// index.html, assets/console.js and assets/console.css.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const outDir = fileURLToPath(new URL('../../graph/console/dist', import.meta.url));
const generated = fileURLToPath(new URL('./src/gql/graphql.ts', import.meta.url));

// operationsOnce replaces each graphql(`…`) call with the document codegen
// generated for it (src/gql/graphql.ts), so that every operation's text is
// in the bundle once: without it, the source string, the lookup table of
// src/gql/gql.ts and the generated document would all ship. The types are
// unchanged: tsc checks the sources as written.
function operationsOnce(): Plugin {
  const call = /\bgraphql\(\s*`([^`]*)`\s*\)/g;
  const head = /^\s*(query|mutation|subscription|fragment)\s+(\w+)/;
  return {
    name: 'hookd-operations-once',
    enforce: 'pre',
    transform(code, id) {
      if (id === generated) {
        // The generated documents' indentation is only for reading.
        return { code: code.replace(/new TypedDocumentString\(`([^`]*)`/g, (_, text: string) => `new TypedDocumentString(\`${text.replace(/\s+/g, ' ').trim()}\``), map: null };
      }
      if (!/\/src\/.*\.tsx?$/.test(id) || id.includes('/src/gql/') || !code.includes('graphql(`')) return null;
      const imports: string[] = [];
      const out = code.replace(call, (_, text: string) => {
        const m = head.exec(text);
        if (!m) throw new Error(`${id}: a graphql() document without a named operation or fragment`);
        const name = m[1] === 'fragment' ? `${m[2]}FragmentDoc` : `${m[2]}Document`;
        imports.push(name);
        return `__op_${name}`;
      });
      if (!imports.length) return null;
      const names = imports.map((n) => `${n} as __op_${n}`).join(', ');
      return { code: `import { ${names} } from ${JSON.stringify(generated)};\n${out}`, map: null };
    },
  };
}

export default defineConfig({
  // The Go server mounts the console at /console/.
  base: '/console/',
  plugins: [operationsOnce()],
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
