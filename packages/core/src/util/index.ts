export { splitAttributeList } from './attribute-list.js';
export { isXsdDateTime } from './date-time.js';
export { isPlainObject } from './is-plain-object.js';
export { joinUrl } from './join-url.js';
