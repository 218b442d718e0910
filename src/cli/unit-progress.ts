/** The progress bar of a run over audit units (verify, stability): on stderr, only when it is a terminal. */
import cliProgress from 'cli-progress';

interface UnitLike {
  id: string;
}

export interface UnitProgress {
  onUnitStart(unit: UnitLike, index: number, total: number): void;
  onUnitDone(result: unknown, index: number): void;
  /** Removes the bar (idempotent). */
  stop(): void;
}

/** A bar labelled `command` that shows the unit in progress; does nothing when stderr is not a TTY. */
export function unitProgress(command: string): UnitProgress {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          format: `${command} {bar} {value}/{total} units | {unit}`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  // Units of two lanes start and finish out of order: the bar counts them and names the last started.
  let started = false;
  let done = 0;
  return {
    onUnitStart(unit, _index, total) {
      if (bar && !started) bar.start(total, 0, { unit: unit.id });
      started = true;
      bar?.update(done, { unit: unit.id });
    },
    onUnitDone: () => bar?.update(++done),
    stop: () => bar?.stop(),
  };
}
