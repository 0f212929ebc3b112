export * from './internal-storage.port.js';
export * from './storage-uris.js';
export * from './content-types.js';
export * from './local-folder-storage.js';
export * from './postgres-chunked-storage.js';
export * from './create-internal-storage.js';
