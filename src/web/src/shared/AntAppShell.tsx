// antd's settings and its App (the context behind App.useApp(): message, notification, modal) for the console and
// the designer only: it brings the dialog, notification and message code, which the resident pages do not use and a
// phone should not download. Loaded with each of those parts, at the route (see AppRoutes.tsx).
import type { ReactNode } from 'react';
import { App as AntApp } from 'antd';
import { AntConfig } from './AntConfig';

export function AntAppShell({ children }: { children: ReactNode }) {
  return (
    <AntConfig>
      <AntApp>{children}</AntApp>
    </AntConfig>
  );
}
