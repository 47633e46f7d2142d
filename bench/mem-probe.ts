/**
 * @module
 * Loaded into a server under test with `node --expose-gc --import` (soak, storage): on SIGUSR2
 * it runs a full garbage collection and writes one line `bench-mem {...process.memoryUsage()}`
 * to stderr. The heap after a collection is what the server really holds, so a leak shows as
 * growth rather than hiding in the noise of when the last collection happened; the server does
 * not know it is measured.
 */
const collect = (globalThis as { gc?: () => void }).gc;

process.on('SIGUSR2', () => {
  collect?.();
  process.stderr.write(`bench-mem ${JSON.stringify(process.memoryUsage())}\n`);
});
