import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/graphql-client.js';
import { useSessionState } from '../auth/session-context.js';

/** Sign in with an API token; it is kept for this browser session only. */
export function SignInPage() {
  const { signIn } = useSessionState();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return setError('Enter an API token');
    setBusy(true);
    setError(undefined);
    try {
      await signIn(token);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder p="xl" w="100%" maw={420} shadow="sm">
        <form onSubmit={submit} aria-labelledby="sign-in-title">
          <Stack>
            <Title order={1} size="h2" id="sign-in-title">
              Sign in to Chronicle
            </Title>
            <Text size="sm" c="dimmed">
              Use an API token (CHRONICLE_TOKENS; in standalone mode the ADMIN token printed at start). It is kept only for this browser session.
            </Text>
            <PasswordInput label="API token" value={token} onChange={(e) => setToken(e.currentTarget.value)} error={error} autoComplete="off" data-autofocus autoFocus required />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
