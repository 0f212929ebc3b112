/** An ISO-8601 date-time with a zone (Z or an offset): without one, "06:00" would depend on the server's zone. */
export const isZonedDateTime = (text: string): boolean =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text));
