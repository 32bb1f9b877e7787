/**
 * Turns an attribute name or schema URN into a MongoDB field name that is safe to address with dot
 * notation: `.` would split the path (every SCIM extension URN contains `2.0`) and a leading `$`
 * would read as an operator (`$ref`). The encoding is injective because `%` is escaped first.
 *
 * @example
 * encodeFieldKey('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'); // '...enterprise:2%2E0:User'
 * encodeFieldKey('$ref'); // '%24ref'
 */
export function encodeFieldKey(name: string): string {
  let key = name.replaceAll('%', '%25').replaceAll('.', '%2E');
  if (key.startsWith('$')) key = `%24${key.slice(1)}`;
  return key;
}

/** The inverse of {@link encodeFieldKey}. */
export function decodeFieldKey(key: string): string {
  return key.replace(/%(24|2E|25)/g, (_match, code: string) =>
    code === '24' ? '$' : code === '2E' ? '.' : '%',
  );
}
