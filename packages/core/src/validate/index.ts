export { validateAttributeValue, type ValidateValueOptions } from './validate-value.js';
export { validateResource, type ValidateResourceOptions } from './validate-resource.js';
export { valuesEqual } from './values-equal.js';
