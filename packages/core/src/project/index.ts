export { projectResource, projectResources, type ProjectOptions } from './project-resource.js';
