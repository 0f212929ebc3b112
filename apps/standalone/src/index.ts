export { StandaloneModule } from './standalone.module.js';
export { startStandalone, type RunningStandalone } from './standalone-app.js';
