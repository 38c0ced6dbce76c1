import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations from the server's SDL files. `documentMode: 'string'` keeps graphql-js out of
// the bundle: each operation is a typed string. tests/integration checks the output is current.
const config: CodegenConfig = {
  schema: '../photonix_rt/graphql/schema/*.graphql',
  documents: ['src/lib/api/operations/**/*.ts', 'src/widget/**/*.ts'],
  ignoreNoDocuments: true,
  generates: {
    'src/lib/api/gql/': {
      preset: 'client',
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', ID: 'string' },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};
export default config;
