export { ProjectionModule } from './projection.module.js';
