// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The house (DESIGN.md): data flows one way, collector → core → store/live → server → page.
 * Each folder may import only what lies upstream of it; a wrong import fails `npm test`.
 */
const ROOMS = ['collector', 'core', 'store', 'live', 'server', 'render', 'client', 'demo'];
/** Import patterns for sibling folders of `src/`. */
const rooms = (...names) => names.map((name) => `**/${name}/*`);
const others = (...allowed) => rooms(...ROOMS.filter((name) => !allowed.includes(name)));

/** Packages that belong to one room only. */
const SQL = ['better-sqlite3'];
const HTTP = ['hono', 'hono/*', '@hono/*', 'ws'];
const WATCH = ['chokidar'];
const DISK = ['node:fs', 'node:fs/promises', 'fs', 'fs/promises'];

/** One folder's rule: `forbidden` patterns, and patterns allowed only as `import type`. */
function room(folder, { forbidden, typeOnly = [], message }) {
  const patterns = [{ group: forbidden, message }];
  if (typeOnly.length > 0) patterns.push({ group: typeOnly, allowTypeImports: true, message });
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

export default tseslint.config(
  // builds/ and .context-foundry/ hold what builds write (the README's simulate command), not this project.
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'builds/**', '**/.context-foundry/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  room('shared', {
    forbidden: [...rooms(...ROOMS), ...SQL, ...HTTP, ...WATCH, ...DISK],
    message: 'src/shared is imported by everyone and imports nothing of theirs.',
  }),
  room('collector', {
    forbidden: [...others(), ...SQL, ...HTTP],
    message: 'src/collector knows files and formats only: it imports src/shared, never what lies downstream.',
  }),
  room('core', {
    forbidden: [...others('collector'), ...SQL, ...HTTP, ...WATCH, ...DISK],
    message:
      'src/core is the domain: no HTTP, SQL, sockets or disk; it talks to storage through src/core/storage.ts.',
  }),
  room('store', {
    forbidden: [...others('collector', 'core'), ...HTTP, ...WATCH],
    message:
      'src/store owns SQL; it implements core interfaces and never reaches the live, server or page side.',
  }),
  room('live', {
    forbidden: [...others('collector', 'core'), ...SQL, ...WATCH, ...DISK],
    message: 'src/live owns sockets; it never reaches storage, the server or the pages.',
  }),
  room('render', {
    forbidden: [...others('core'), ...SQL, ...HTTP, ...WATCH, ...DISK],
    typeOnly: rooms('core'),
    message:
      'src/render is pure functions of protocol and core types: it imports src/shared, and core only as types.',
  }),
  room('client', {
    forbidden: [...others(), ...SQL, ...HTTP, ...WATCH, ...DISK],
    message: 'src/client runs in the browser: it imports src/shared only.',
  }),
  room('demo', {
    forbidden: [...others('collector'), ...SQL, ...HTTP, ...WATCH],
    message:
      'src/demo simulates a build: it writes files and pushes like any build, through src/shared types.',
  }),
);
