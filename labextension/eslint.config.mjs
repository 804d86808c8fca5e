// eslint 9 flat config: eslint's and typescript-eslint's recommended rules (type-aware)
// for src/; formatting is prettier's business (eslint-config-prettier turns off what
// would clash).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['lib/', 'node_modules/', '../symnb/labextension/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/naming-convention': [
        'error',
        { selector: 'interface', format: ['PascalCase'], prefix: ['I'] }
      ],
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }],
      // IRenderer.renderModel returns a promise even when it has nothing to await
      '@typescript-eslint/require-await': 'off',
      eqeqeq: 'error',
      curly: 'error',
      'prefer-const': 'error',
      'max-lines-per-function': ['error', { max: 50, skipBlankLines: true, skipComments: true }]
    }
  },
  {
    files: ['*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node }
  },
  prettier
);
