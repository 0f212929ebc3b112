export { StandaloneModule } from './standalone.module.js';
export { startStandalone, type RunningStandalone } from './standalone-app.js';
export { checkDataFolder, DataFolderError, DATA_FORMAT } from './data-folder.js';
