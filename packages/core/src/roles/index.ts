export { resolveRole, type RoleResolution, type RoleResolverUser } from './resolve-role.js';
