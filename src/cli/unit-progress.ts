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
  return {
    onUnitStart(unit, index, total) {
      if (bar && index === 0) bar.start(total, 0, { unit: unit.id });
      bar?.update(index, { unit: unit.id });
    },
    onUnitDone: (_r, index) => bar?.update(index + 1),
    stop: () => bar?.stop(),
  };
}
