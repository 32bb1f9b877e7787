/** Limits applied while parsing, so that a hostile filter is rejected before it costs anything. */
export interface FilterLimits {
  /**
   * Longest accepted text, in UTF-16 code units; checked before any parsing.
   * @default 4096
   */
  maxLength?: number;
  /**
   * Deepest accepted nesting of parentheses, `not ( … )` and value paths `attr[…]`.
   * @default 32
   */
  maxDepth?: number;
  /**
   * Most AST nodes (comparisons, `pr`, `and`, `or`, `not`, value paths) in one filter.
   * @default 500
   */
  maxNodes?: number;
}

/** The default limits of `parseFilter` and `parsePatchPath`. */
export const DEFAULT_FILTER_LIMITS: Readonly<Required<FilterLimits>> = Object.freeze({
  maxLength: 4096,
  maxDepth: 32,
  maxNodes: 500,
});
