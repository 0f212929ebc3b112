import { Alert } from '@mantine/core';

/** An API error as a person reads it: in the page, never a crash. */
export function ErrorPanel({ title = 'Something went wrong', message }: { title?: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <Alert color="red" title={title} role="alert" variant="light">
      {message}
    </Alert>
  );
}

/** A feature this server's API does not offer (yet). */
export function NotAvailable({ feature, detail }: { feature: string; detail: string }) {
  return (
    <Alert color="gray" title={`${feature}: not available`} variant="light" data-testid="not-available">
      {detail}
    </Alert>
  );
}
