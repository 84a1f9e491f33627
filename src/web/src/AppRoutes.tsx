// Three parts, each loaded only when visited: resident pages (/m), the staff console (/console) and
// the workflow designer (/designer). The sign-in page sends each person to the part for their roles.
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Spin } from 'antd';
import { useAuth, STAFF_ROLES } from './shared/auth';
import { SignInPage } from './shared/SignInPage';

const ResidentApp = lazy(() => import('./resident/ResidentApp'));
const ConsoleApp = lazy(() => import('./console/ConsoleApp'));
const DesignerApp = lazy(() => import('./designer/DesignerApp'));

function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

function RequireSignIn({ children }: { children: ReactNode }) {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

export function HomeRedirect() {
  const { me, loading } = useAuth();
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/login" replace />;
  const staff = me.roles.some((g) => STAFF_ROLES.includes(g.role));
  const designerOnly = me.roles.every((g) => g.role === 'workflowDesigner');
  return <Navigate to={designerOnly ? '/designer' : staff ? '/console' : '/m'} replace />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/login" element={<SignInPage />} />
        <Route
          path="/m/*"
          element={
            <RequireSignIn>
              <ResidentApp />
            </RequireSignIn>
          }
        />
        <Route
          path="/console/*"
          element={
            <RequireSignIn>
              <ConsoleApp />
            </RequireSignIn>
          }
        />
        <Route
          path="/designer/*"
          element={
            <RequireSignIn>
              <DesignerApp />
            </RequireSignIn>
          }
        />
        <Route path="*" element={<HomeRedirect />} />
      </Routes>
    </Suspense>
  );
}
