/**
 * @module
 * The demo's second build: a small JSON API for todo lists, which the demo makes fail at Deploy
 * so a newcomer sees what a failed build looks like next to a healthy one.
 */
import { ansi } from './story.js';
import type { Story } from './story.js';

const { green, red, dim } = ansi;

/** A Fastify and SQLite REST API for todo lists. */
export const TODO_API: Story = {
  project: 'todo-api',
  phases: {
    Scout: {
      start: [0, 'researching', 'Reading the task: a REST API for todo lists'],
      progress: [
        [6, 'researching', 'Comparing Fastify and Express for a small JSON API'],
        [6, 'researching', 'Writing scout-report.md'],
      ],
      end: [4, 'completed', 'Scout report written'],
      failure: 'Scout failed: the task does not say where the todos are stored',
    },
    Architect: {
      start: [2, 'designing', 'Designing the architecture'],
      progress: [
        [8, 'designing', 'Choosing the stack: Fastify, SQLite and Vitest'],
        [8, 'planning', 'Splitting the work into 6 build tasks (build-tasks.json)'],
      ],
      end: [6, 'completed', 'architecture.md and 6 build tasks ready'],
      failure: 'Architect failed: architecture.md was not written',
    },
    Builder: {
      start: [2, 'implementing', 'Starting 3 parallel builders for 6 tasks'],
      progress: [
        [10, 'implementing', 'Building in parallel: HTTP server, database schema, request validation'],
        [10, 'implementing', 'Retrying task 5/6 (request validation) after a TypeError'],
        [10, 'implementing', 'Task 4/6: todo storage queries; task 6/6 waits on it'],
        [10, 'building', 'Installing dependencies and running npm run build'],
      ],
      end: [8, 'completed', '6 of 6 tasks done, build succeeded'],
      failure: 'Builder failed: tsc reported 2 type errors in src/db/todos.ts',
    },
    Screenshot: {
      start: [2, 'capturing', 'Starting the server and capturing the API docs page'],
      progress: [[5, 'capturing', 'Captured 1 of 2 screenshots']],
      end: [3, 'completed', '2 screenshots saved to docs/screenshots'],
      failure: 'Screenshot failed: the server did not start on port 3000',
    },
    Documentation: {
      start: [2, 'documenting', 'Writing README.md'],
      progress: [[7, 'documenting', 'Writing docs/API.md with example requests']],
      end: [5, 'completed', 'README and API guide written'],
      failure: 'Documentation failed: README.md could not be written',
    },
    Deploy: {
      start: [2, 'deploying', 'Deploying to Fly.io'],
      progress: [[6, 'configuring', 'Releasing v1 and waiting for the health check']],
      end: [6, 'completed', 'Deployed to https://todo-api.fly.dev'],
      failure:
        'Deploy failed: health check GET /health returned 503 five times (DATABASE_URL is not set on Fly.io)',
    },
    Feedback: {
      start: [2, 'analyzing', 'Reviewing the build against the task'],
      progress: [],
      end: [8, 'completed', 'Build complete: feedback written, ready to ship'],
      failure: 'Feedback failed: feedback.md was not written',
    },
  },
  suite: [
    { name: 'GET /health answers 200' },
    { name: 'POST /todos creates a todo and answers 201' },
    {
      name: 'POST /todos refuses a missing title with 400',
      reason: 'expected 400, received 500',
      failsThrough: 1,
    },
    { name: 'GET /todos lists todos newest first' },
    {
      name: 'GET /todos pages with ?limit and ?cursor',
      reason: 'expected 10 items, received 25',
      failsThrough: 2,
    },
    { name: 'GET /todos/:id answers 404 for an unknown id' },
    { name: 'PATCH /todos/:id marks a todo done' },
    {
      name: 'PATCH /todos/:id ignores unknown fields',
      reason: 'expected { done: true }, received { done: true, owner: "x" }',
      failsThrough: 1,
    },
    { name: 'DELETE /todos/:id removes the todo' },
    { name: 'the database is migrated on start' },
    { name: 'titles longer than 200 characters are refused' },
    { name: 'errors are JSON { error: { code, message } }' },
  ],
  fixNotes: {
    1: 'Fixing the 400 on a missing title and the PATCH field filter',
    2: 'Fixing cursor paging in GET /todos',
  },
  testCommand: 'npx vitest run',
  tasks: [
    { name: 'HTTP server and health route', files: ['src/server.ts', 'src/routes/health.ts'], dependsOn: [] },
    { name: 'Todo routes', files: ['src/routes/todos.ts'], dependsOn: [] },
    {
      name: 'Database schema and migrations',
      files: ['src/db/schema.sql', 'src/db/migrate.ts'],
      dependsOn: [],
    },
    { name: 'Todo storage queries', files: ['src/db/todos.ts'], dependsOn: ['task-1', 'task-2', 'task-3'] },
    { name: 'Request validation', files: ['src/schemas/todo.ts'], dependsOn: [] },
    {
      name: 'Error handling and paging',
      files: ['src/errors.ts', 'src/routes/todos.ts'],
      dependsOn: ['task-4', 'task-5'],
    },
  ],
  builderRoles: ['routes', 'storage', 'validation'],
  builderFailure: [
    "TypeError: Cannot read properties of undefined (reading 'properties')",
    '    at buildTodoSchema (src/schemas/todo.ts:18:31)',
    '    at src/routes/todos.ts:9:24',
    '    at tests/todos.test.ts:6:1',
  ],
  logs: {
    Scout: [
      [2, 'Fastify: schema-based validation built in, about 3x the requests per second of Express'],
      [7, 'SQLite through better-sqlite3: one file, no server to run'],
      [13, 'Wrote .context-foundry/scout-report.md (61 lines)'],
    ],
    Architect: [
      [3, 'Reading .context-foundry/scout-report.md'],
      [10, 'Stack: Fastify 5, better-sqlite3 11, TypeScript 5.6, Vitest 2'],
      [21, 'Wrote .context-foundry/architecture.md (118 lines) and build-tasks.json'],
    ],
    Builder: [
      [0.5, '$ npm install'],
      [3.5, 'added 142 packages, and audited 143 packages in 3s'],
      [3.7, `found ${green('0')} vulnerabilities`],
      [40.5, '$ npm run build'],
      [41, '> todo-api@0.1.0 build'],
      [41.2, '> tsc -p tsconfig.build.json'],
      [44, green('✓ compiled 11 files to dist/')],
    ],
    Screenshot: [
      [1, '$ node dist/server.js'],
      [2, `${dim('{"level":30,"msg":"Server listening at http://127.0.0.1:3000"}')}`],
      [4, 'Captured docs/screenshots/api-docs.png (1280×800)'],
      [7, 'Captured docs/screenshots/todos-json.png (1280×800)'],
    ],
    Documentation: [
      [3, 'Wrote README.md (74 lines)'],
      [10, 'Wrote docs/API.md (8 endpoints, 14 example requests)'],
    ],
    Deploy: [
      [1, '$ fly deploy --remote-only'],
      [3, '==> Building image with Docker'],
      [6.5, '--> Pushing image done'],
      [7, '==> Creating release v1'],
      [8, 'Waiting for health checks on 1 machine...'],
    ],
    Feedback: [[4, 'Task coverage: 8 of 8 endpoints implemented']],
  },
  failureLogs: {
    Deploy: [
      '$ npm run deploy:check',
      '> todo-api@0.1.0 deploy:check',
      '> node scripts/check-health.mjs https://todo-api.fly.dev/health',
      'GET /health -> 503 (attempt 5 of 5)',
      red('Error: health check failed: GET /health returned 503 five times'),
      '    at waitForHealthy (scripts/check-health.mjs:48:11)',
      '    at async main (scripts/check-health.mjs:71:3) {',
      '  [cause]: Error: DATABASE_URL is not set',
      '      at openDatabase (dist/db/connection.js:12:11)',
      '      at buildServer (dist/server.js:21:14)',
      '}',
      red('✗ Deploy failed: release v1 is not serving; todo-api.fly.dev answers 503'),
    ],
  },
  filesCreated: [
    'package.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'fly.toml',
    'Dockerfile',
    'src/server.ts',
    'src/routes/health.ts',
    'src/routes/todos.ts',
    'src/db/schema.sql',
    'src/db/migrate.ts',
    'src/db/todos.ts',
    'src/schemas/todo.ts',
    'src/errors.ts',
    'tests/todos.test.ts',
    'README.md',
    'docs/API.md',
  ],
  filesModified: ['.gitignore', 'src/routes/todos.ts'],
};
