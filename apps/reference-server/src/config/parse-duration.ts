const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * Parses a duration such as `500ms`, `30s`, `1m`, `2h` (a bare number is seconds) into milliseconds.
 * Returns `undefined` for anything else.
 *
 * @example
 * parseDuration('90s'); // 90000
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/i.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * (UNITS[(match[2] ?? 's').toLowerCase()] ?? 1000);
  return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}
