/**
 * Ctrl-C for every command: the first one fires an AbortSignal that the work honours between
 * units, chunks or trainings (so that what finished is kept), the second one exits at once with
 * the conventional code 130.
 */

/** Runs `work` with a signal the first SIGINT fires (after writing `notice`, if any, to stderr). */
export async function withInterrupt<T>(notice: string | null, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    if (notice !== null) process.stderr.write(`\nrankcheck: ${notice} (Ctrl-C again to quit now)\n`);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await work(abort.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
