import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The dependency direction (README, "Architecture"), bottom first. A layer may import the layers below it,
 * never those above; imports within a layer are free. eslint-plugin-import-x checks it (no-restricted-paths)
 * and that no import cycle comes back (no-cycle).
 */
const LAYERS = [
  { name: 'text utilities', paths: ['src/text', 'src/errors.ts', 'src/paths.ts', 'src/log.ts', 'src/slices.ts', 'src/crash.ts'] },
  { name: 'knowledge loader', paths: ['src/knowledge'] },
  { name: 'engine', paths: ['src/engine'] },
  { name: 'question store', paths: ['src/questions'] },
  { name: 'relevance evaluation', paths: ['src/eval'] },
  { name: 'Discord layer', paths: ['src/discord'] },
  { name: 'commands', paths: ['commands'] },
  { name: 'composition root', paths: ['src/app.ts', 'src/config.ts'] },
  { name: 'entry points', paths: ['src/main.ts', 'src/cli'] },
];

const layerZones = LAYERS.flatMap((layer, i) =>
  LAYERS.slice(i + 1).map((above) => ({
    target: layer.paths,
    from: above.paths,
    message: `the ${layer.name} must not import the ${above.name} (README, "Architecture": dependencies point down)`,
  })),
);

/** Only the Discord layer and what sits above it talk to Discord. */
const BELOW_DISCORD = LAYERS.slice(
  0,
  LAYERS.findIndex((layer) => layer.name === 'Discord layer'),
).flatMap((layer) => layer.paths.map((path) => (path.endsWith('.ts') ? path : `${path}/**`)));

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'dist/', '.dev/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Imported files are parsed as TypeScript too (no-cycle follows their imports).
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // TypeScript's NodeNext style: "./x.js" in the source is ./x.ts on disk.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    files: BELOW_DISCORD,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'discord.js', message: 'Only src/discord (and above) talks to Discord: keep this module plain data.' }],
          patterns: [{ group: ['@discordjs/*', 'discord-api-types', 'discord-api-types/*'], message: 'Only src/discord (and above) talks to Discord.' }],
        },
      ],
    },
  },
);
