/** The little a projection needs from a logger; a pino logger fits. */
export interface ProjectionLogger {
  info?(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const consoleProjectionLogger: ProjectionLogger = {
  warn: (details, message) => console.warn(message, details),
  error: (details, message) => console.error(message, details),
};

export const errorDetails = (error: unknown): { error: string } => ({
  error: error instanceof Error ? (error.stack ?? error.message) : String(error),
});
