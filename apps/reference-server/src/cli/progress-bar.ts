/** A progress bar on a stream: redrawn in place on a terminal, a line per step elsewhere. */
export interface ProgressBar {
  update(label: string, done: number, total?: number): void;
  finish(): void;
}

/**
 * Creates a progress bar writing to `stream` (stderr, so stdout stays machine-readable).
 *
 * @example
 * const bar = createProgressBar(process.stderr);
 * bar.update('resources', 50, 200);
 * bar.finish();
 */
export function createProgressBar(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  width = 30,
): ProgressBar {
  let lastLine = '';
  let lastDecile = -1;
  let lastLabel = '';
  return {
    update(label, done, total) {
      if (stream.isTTY) {
        let line: string;
        if (total && total > 0) {
          const ratio = Math.min(1, done / total);
          const filled = Math.round(ratio * width);
          line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${done}/${total} ${label}`;
        } else line = `${label}: ${done}`;
        if (line !== lastLine) stream.write(`\r${line.padEnd(lastLine.length)}`);
        lastLine = line;
        return;
      }
      // Not a terminal (CI logs): one line per phase and per tenth of the way.
      const decile = total ? Math.floor((done / total) * 10) : -1;
      if (label !== lastLabel || decile !== lastDecile) {
        stream.write(`${label}: ${done}${total ? `/${total}` : ''}\n`);
        lastLabel = label;
        lastDecile = decile;
      }
    },
    finish() {
      if (stream.isTTY && lastLine) stream.write('\n');
      lastLine = '';
    },
  };
}
