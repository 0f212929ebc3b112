import { Anchor, AppShell, Badge, Burger, Button, Group, NavLink, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useSession, useSessionState } from '../auth/session-context.js';

const LINKS = [
  { to: '/dashboard', label: 'Dashboard' },
  { to: '/flows', label: 'Flows' },
  { to: '/executions', label: 'Executions' },
  { to: '/operations', label: 'Operations' },
];

export function AppLayout({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const { access } = useSession();
  const { signOut } = useSessionState();
  const { pathname } = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <Anchor href="#main" className="skip-link">
        Skip to content
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={1} size="h3" fz={{ base: 'h4', sm: 'h3' }}>
              Chronicle
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Badge variant="light" title="What this token may do" data-testid="role" visibleFrom="xs">
              <VisuallyHidden>Role: </VisuallyHidden>
              {access.roleLabel}
            </Badge>
            <Button variant="subtle" size="xs" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {LINKS.map((link) => (
          <NavLink key={link.to} component={Link} to={link.to} label={link.label} active={pathname.startsWith(link.to)} onClick={close} />
        ))}
        <Badge variant="light" hiddenFrom="xs" m="sm" aria-hidden>
          {access.roleLabel}
        </Badge>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
