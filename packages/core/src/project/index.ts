export { projectResource, projectResources, type ProjectOptions } from './project-resource.js';
export { renderResource } from './render-resource.js';
