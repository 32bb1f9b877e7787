/**
 * Splits an `attributes` / `excludedAttributes` parameter (comma-separated text, a list of such
 * texts, or nothing) into trimmed, non-empty paths.
 */
export function splitAttributeList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = typeof value === 'string' ? [value] : value;
  return parts
    .flatMap((part) => part.split(','))
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
