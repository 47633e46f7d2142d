/**
 * @module
 * The demo's main build: a small Vite weather app that completes, after a test-fix loop and one
 * builder that fails and is retried.
 */
import { ansi } from './story.js';
import type { Story } from './story.js';

const { green, red, dim } = ansi;

/** A weather app built with Vite and TypeScript; the build every simulation plays by default. */
export const WEATHER_APP: Story = {
  project: 'weather-app',
  // Relative durations follow a real small build: Builder and the test-fix loop dominate, Scout
  // is quick so a newcomer sees a phase finish within the first twenty seconds.
  phases: {
    Scout: {
      start: [0, 'researching', 'Reading the task and researching weather APIs'],
      progress: [
        [6, 'researching', 'Comparing the Open-Meteo and OpenWeatherMap APIs'],
        [6, 'researching', 'Writing scout-report.md'],
      ],
      end: [4, 'completed', 'Scout report written'],
      failure: 'Scout failed: the task names no city source and the weather API is unreachable',
    },
    Architect: {
      start: [2, 'designing', 'Designing the architecture'],
      progress: [
        [8, 'designing', 'Choosing the stack: Vite, TypeScript and Vitest'],
        [8, 'planning', 'Splitting the work into 6 build tasks (build-tasks.json)'],
      ],
      end: [6, 'completed', 'architecture.md and 6 build tasks ready'],
      failure: 'Architect failed: architecture.md was not written',
    },
    Builder: {
      start: [2, 'implementing', 'Starting 3 parallel builders for 6 tasks'],
      progress: [
        [10, 'implementing', 'Building in parallel: forecast API client, page layout, response cache'],
        [10, 'implementing', 'Retrying task 5/6 (response cache) after a TypeError'],
        [10, 'implementing', 'Task 4/6: search bar and forecast cards; task 6/6 waits on it'],
        [10, 'building', 'Installing dependencies and running npm run build'],
      ],
      end: [8, 'completed', '6 of 6 tasks done, build succeeded'],
      failure: 'Builder failed: npm run build reported 4 type errors in src/api/forecast.ts',
    },
    Screenshot: {
      start: [2, 'capturing', 'Starting the dev server and capturing screenshots'],
      progress: [[5, 'capturing', 'Captured 3 of 4 screenshots']],
      end: [3, 'completed', '4 screenshots saved to docs/screenshots'],
      failure: 'Screenshot failed: the dev server did not start on port 5173',
    },
    Documentation: {
      start: [2, 'documenting', 'Writing README.md'],
      progress: [[7, 'documenting', 'Writing docs/USAGE.md with screenshots']],
      end: [5, 'completed', 'README and usage guide written'],
      failure: 'Documentation failed: README.md could not be written',
    },
    Deploy: {
      start: [2, 'deploying', 'Creating the GitHub repository'],
      progress: [[6, 'configuring', 'Pushing 24 files to main']],
      end: [6, 'completed', 'Pushed to origin/main'],
      failure: 'Deploy failed: git push was rejected (authentication required)',
    },
    Feedback: {
      start: [2, 'analyzing', 'Reviewing the build against the task'],
      progress: [],
      end: [8, 'completed', 'Build complete: feedback written, ready to ship'],
      failure: 'Feedback failed: feedback.md was not written',
    },
  },
  suite: [
    { name: 'fetchForecast returns a 5-day forecast for a city' },
    { name: 'fetchForecast retries once on HTTP 503' },
    {
      name: 'parseForecast converts Kelvin to Celsius',
      reason: 'expected 21.4, received 294.55',
      failsThrough: 1,
    },
    {
      name: "parseForecast keeps the city's time zone",
      reason: 'expected "2026-11-20T09:00:00+01:00", received "2026-11-20T08:00:00Z"',
      failsThrough: 2,
    },
    { name: 'geocode resolves "Paris, FR" to coordinates' },
    { name: 'geocode rejects an empty query' },
    { name: 'cache answers a repeated query without a request' },
    { name: 'cache expires entries after 10 minutes' },
    { name: 'SearchBar submits on Enter' },
    {
      name: 'SearchBar shows a message for an unknown city',
      reason: 'no element with role "alert" was rendered',
      failsThrough: 1,
    },
    { name: 'ForecastCard renders the temperature and an icon' },
    { name: 'ForecastCard switches between °C and °F' },
    { name: 'App shows a spinner while loading' },
    { name: 'App remembers the last city searched' },
    { name: 'the API key is read from the environment, never bundled' },
  ],
  fixNotes: {
    1: 'Fixing parseForecast unit conversion and the SearchBar error message',
    2: 'Fixing the time zone offset in parseForecast',
  },
  testCommand: 'npx vitest run',
  tasks: [
    { name: 'Forecast API client', files: ['src/api/forecast.ts'], dependsOn: [] },
    { name: 'Geocoding client', files: ['src/api/geocode.ts'], dependsOn: [] },
    { name: 'Page layout and styles', files: ['index.html', 'src/styles.css'], dependsOn: [] },
    {
      name: 'Search bar and forecast cards',
      files: ['src/components/search-bar.ts', 'src/components/forecast-card.ts'],
      dependsOn: ['task-1', 'task-2'],
    },
    { name: 'Response cache', files: ['src/api/cache.ts'], dependsOn: [] },
    {
      name: 'App wiring and unit settings',
      files: ['src/main.ts', 'src/app.ts'],
      dependsOn: ['task-4', 'task-5'],
    },
  ],
  builderRoles: ['API client', 'UI', 'caching'],
  builderFailure: [
    "TypeError: Cannot read properties of undefined (reading 'expiresAt')",
    '    at ForecastCache.get (src/api/cache.ts:27:22)',
    '    at fetchForecastCached (src/api/forecast.ts:61:30)',
    '    at tests/cache.test.ts:14:18',
  ],
  logs: {
    Scout: [
      [
        1,
        '$ curl -s "https://api.open-meteo.com/v1/forecast?latitude=48.85&longitude=2.35&daily=temperature_2m_max"',
      ],
      [
        2,
        '{"latitude":48.86,"longitude":2.34,"timezone":"GMT","daily":{"temperature_2m_max":[9.8,11.2,8.4]}}',
      ],
      [7, 'Open-Meteo: free, no API key, daily and hourly forecasts, a geocoding endpoint'],
      [8, 'OpenWeatherMap: API key required, 60 calls a minute on the free plan'],
      [13, 'Wrote .context-foundry/scout-report.md (84 lines)'],
    ],
    Architect: [
      [3, 'Reading .context-foundry/scout-report.md'],
      [10, 'Stack: Vite 5, TypeScript 5.6 (strict), Vitest 2'],
      [18, 'Planned 6 tasks for 3 parallel builders; task-4 waits for task-1 and task-2'],
      [21, 'Wrote .context-foundry/architecture.md (142 lines) and build-tasks.json'],
    ],
    Builder: [
      [0.5, '$ npm install'],
      [4, 'added 187 packages, and audited 188 packages in 4s'],
      [4.2, '41 packages are looking for funding'],
      [4.4, '  run `npm fund` for details'],
      [4.6, `found ${green('0')} vulnerabilities`],
      [40.5, '$ npm run build'],
      [41, '> weather-app@0.1.0 build'],
      [41.2, '> tsc --noEmit && vite build'],
      [42, 'vite v5.4.11 building for production...'],
      [44, `${green('✓')} 34 modules transformed.`],
      [45, `dist/index.html                  0.46 kB ${dim('│ gzip: 0.30 kB')}`],
      [45.2, `dist/assets/index-B7kQ2x1f.css   2.10 kB ${dim('│ gzip: 0.86 kB')}`],
      [45.4, `dist/assets/index-Cq3mZ8aD.js   14.92 kB ${dim('│ gzip: 5.61 kB')}`],
      [45.6, green('✓ built in 812ms')],
    ],
    Screenshot: [
      [1, '$ npx vite preview --port 5173'],
      [2, '  ➜  Local:   http://localhost:5173/'],
      [2.5, 'Captured docs/screenshots/search.png (1280×800)'],
      [3.5, 'Captured docs/screenshots/forecast.png (1280×800)'],
      [4.5, 'Captured docs/screenshots/units.png (1280×800)'],
      [7.5, 'Captured docs/screenshots/mobile.png (390×844)'],
    ],
    Documentation: [
      [3, 'Wrote README.md (96 lines)'],
      [10, 'Wrote docs/USAGE.md (61 lines, 4 screenshots)'],
    ],
    Deploy: [
      [1, '$ gh repo create weather-app --public --source . --remote origin'],
      [3, `${green('✓')} Created repository dev/weather-app on GitHub`],
      [7, '$ git push -u origin main'],
      [8, 'Writing objects: 100% (31/31), 18.22 KiB | 4.55 MiB/s, done.'],
      [10, 'To github.com:dev/weather-app.git'],
      [10.2, ' * [new branch]      main -> main'],
    ],
    Feedback: [
      [3, 'Task coverage: 6 of 6 requirements met'],
      [6, 'Wrote .context-foundry/feedback/build-feedback-1.json'],
    ],
  },
  failureLogs: {
    Deploy: [
      '$ git push -u origin main',
      red('remote: Invalid username or token. Password authentication is not supported.'),
      red("fatal: Authentication failed for 'https://github.com/dev/weather-app.git/'"),
    ],
  },
  filesCreated: [
    'index.html',
    'package.json',
    'tsconfig.json',
    'vite.config.ts',
    'src/main.ts',
    'src/app.ts',
    'src/api/forecast.ts',
    'src/api/geocode.ts',
    'src/api/cache.ts',
    'src/components/search-bar.ts',
    'src/components/forecast-card.ts',
    'src/styles.css',
    'tests/forecast.test.ts',
    'tests/geocode.test.ts',
    'tests/cache.test.ts',
    'tests/components.test.ts',
    'README.md',
    'docs/USAGE.md',
  ],
  filesModified: ['.gitignore', 'src/api/forecast.ts', 'src/components/search-bar.ts'],
};
