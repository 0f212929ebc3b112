import { useState } from 'react';
import { ApiRequestError, errorMessage, type FlowIssue } from '../api/graphql-client.js';
import { DEPLOY_FLOW } from '../api/operations.js';
import type { Flow } from '../api/types.js';
import { useSession } from '../auth/session-context.js';

/** Deploys YAML; keeps the error message and the issues with their lines for the editor. */
export function useDeploy() {
  const { client } = useSession();
  const [issues, setIssues] = useState<readonly FlowIssue[]>([]);
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);

  const deploy = async (source: string): Promise<Flow | undefined> => {
    setBusy(true);
    try {
      const { deployFlow } = await client.request<{ deployFlow: Flow }>(DEPLOY_FLOW, { source });
      setIssues([]);
      setMessage(undefined);
      return deployFlow;
    } catch (error) {
      setMessage(errorMessage(error));
      setIssues(error instanceof ApiRequestError ? error.issues : []);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { deploy, issues, message, busy };
}
