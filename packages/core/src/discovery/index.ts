export { listResponse, type ListResponse } from './list-response.js';
export { resourceTypeDocument, resourceTypesResponse } from './resource-type-documents.js';
export { schemaDocument, schemasResponse } from './schema-documents.js';
export {
  HTTP_BASIC_SCHEME,
  OAUTH_BEARER_TOKEN_SCHEME,
  serviceProviderConfigDocument,
  type AuthenticationScheme,
  type PaginationFeatures,
  type ServiceProviderFeatures,
} from './service-provider-config.js';
