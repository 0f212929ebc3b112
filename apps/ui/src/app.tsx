import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useSessionState } from './auth/session-context.js';
import { AppLayout } from './components/app-layout.js';
import { ExecutionPage } from './pages/execution.page.js';
import { ExecutionsPage } from './pages/executions.page.js';
import { FlowsPage } from './pages/flows.page.js';
import { OperationsPage } from './pages/operations.page.js';
import { RunFlowPage } from './pages/run-flow.page.js';
import { SignInPage } from './pages/sign-in.page.js';

// The YAML editor (CodeMirror) is the largest part of the bundle: loaded with the pages that use it.
const FlowPage = lazy(() => import('./pages/flow.page.js').then((m) => ({ default: m.FlowPage })));
const DashboardPage = lazy(() => import('./pages/dashboard.page.js').then((m) => ({ default: m.DashboardPage })));
const NewFlowPage = lazy(() => import('./pages/new-flow.page.js').then((m) => ({ default: m.NewFlowPage })));

export function App() {
  const { session, restoring } = useSessionState();
  if (restoring) {
    return (
      <Center h="100vh">
        <Loader aria-label="Signing in" />
      </Center>
    );
  }
  if (!session) return <SignInPage />;
  return (
    <AppLayout>
      <Suspense fallback={<Loader aria-label="Loading" />}>
      <Routes>
        <Route path="/" element={<Navigate to="/dashboard" replace />} />
        <Route path="/dashboard" element={<DashboardPage />} />
        <Route path="/flows" element={<FlowsPage />} />
        <Route path="/flows/new" element={<NewFlowPage />} />
        <Route path="/flows/:namespace/:id" element={<FlowPage />} />
        <Route path="/flows/:namespace/:id/run" element={<RunFlowPage />} />
        <Route path="/executions" element={<ExecutionsPage />} />
        <Route path="/executions/:id" element={<ExecutionPage />} />
        <Route path="/operations" element={<OperationsPage />} />
        <Route path="*" element={<Navigate to="/dashboard" replace />} />
      </Routes>
      </Suspense>
    </AppLayout>
  );
}
