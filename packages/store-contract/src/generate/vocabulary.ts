/** Value pools shared by the resource and filter generators, so generated filters hit generated data. */
export const FIRST_NAMES = [
  'ada',
  'alan',
  'grace',
  'linus',
  'barbara',
  'edsger',
  'katherine',
  'donald',
  'margaret',
  'ken',
];
export const LAST_NAMES = [
  'lovelace',
  'turing',
  'hopper',
  'torvalds',
  'liskov',
  'dijkstra',
  'johnson',
  'knuth',
  'hamilton',
];
/** Separators, including characters that are special in SQL LIKE patterns and in JSON strings. */
export const SEPARATORS = ['.', '_', '-', '%', '', "'", '\\'];
export const DOMAINS = ['example.com', 'Example.org', 'corp.example', 'mail.test'];
export const EMAIL_TYPES = ['work', 'home', 'other'];
export const TITLES = [
  'Engineer',
  'engineer',
  'Senior Engineer',
  'CEO',
  'Designer',
  'R&D "Core"',
  '100% remote',
  'ops_lead',
];
export const DEPARTMENTS = ['Sales', 'sales', 'Engineering', 'R&D', 'Support_Ops', 'Finance'];
export const BADGES = ['Gold', 'gold', 'GOLD', 'Silver', 'silver', 'zeta', 'Zeta'];
export const TAGS = ['vip', 'VIP', 'beta', 'Remote', 'on_call', 'x%y'];
export const GROUP_NAMES = [
  'Admins',
  'admins',
  'Everyone',
  'Engineering',
  'Sales Team',
  'R&D',
  'On_Call',
  '50% Club',
];

/** Deterministic ids (independent of the seed), so generated filters can name them. */
export function userId(index: number): string {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function groupId(index: number): string {
  return `00000000-0000-4000-9000-${index.toString(16).padStart(12, '0')}`;
}

/** `YYYY-MM-DDTHH:MM:SSZ` for a number of hours after 2023-01-01. */
export function hoursAfterEpoch(hours: number): string {
  return new Date(Date.UTC(2023, 0, 1) + hours * 3_600_000).toISOString().replace('.000Z', 'Z');
}
