import { projectConfig } from '../../vitest.shared';
export default projectConfig('read-model');
