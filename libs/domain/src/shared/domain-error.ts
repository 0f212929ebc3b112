/**
 * Base of every error the domain throws. `code` is stable: adapters and the gateway map it to
 * GraphQL `extensions.code` and HTTP status, so it never changes once published.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
