// Development infrastructure: a real Postgres and a real Kafka started on this machine (for
// `npm start`, the scripts and the tests). Production services never load it (.dependency-cruiser.cjs).
export * from './postgres-server.js';
export { embeddedPostgresMajor, type PostgresBinaries } from './postgres-binaries.js';
export * from './kafka-server.js';
export * from './process.js';
export * from './free-port.js';
