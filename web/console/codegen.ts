// Typed GraphQL operations for the console, generated from the server's own
// schema files: a schema change that breaks an operation breaks the build.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: ['../../schema.graphql', '../../ent.graphql'],
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: { Time: 'string', JSON: 'unknown', Cursor: 'string', Map: 'Record<string, unknown>' },
      },
    },
  },
  silent: false,
};

export default config;
