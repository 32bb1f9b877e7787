export { type AdminApiHandler, type AdminApiOptions, createAdminApi } from './create-admin-api.ts';
export { type AdminRouteServer, type AdminRoutesOptions, createAdminRoutes } from './create-admin-routes.ts';
export { ADMIN_DISABLED_DETAIL, createAdminAuth } from './admin-auth.ts';
export { ApiError, type ApiErrorBody, isApiError, toApiError } from './api-error.ts';
export { addMapping, type MappingKey, searchFilter, updateMapping } from './extra-operations.ts';
