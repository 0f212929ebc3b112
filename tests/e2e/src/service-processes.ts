// Moved to @chronicle/testing so that other suites (tests/kestra) start services the same way.
export { startService, type ServiceProcess } from '@chronicle/testing';
