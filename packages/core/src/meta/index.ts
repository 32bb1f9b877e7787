export { formatEtag, parseEtag } from './etag.js';
export {
  buildMeta,
  resourceLocation,
  toScimResource,
  type ScimMeta,
  type ToScimResourceOptions,
} from './to-scim-resource.js';
