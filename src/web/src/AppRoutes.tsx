// Three parts, each loaded only when visited: resident pages (/m), the staff console (/console) and
// the workflow designer (/designer). The sign-in page sends each person to the part for their roles; it is
// loaded only when shown too, and it is plain elements like the resident's home (no antd). Nothing in
// this file uses antd: the resident's shell and home page are plain elements, and antd comes with the parts that use it.
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth, STAFF_ROLES } from './shared/auth';

const SignInPage = lazy(() => import('./shared/SignInPage').then((m) => ({ default: m.SignInPage })));
const ChangePasswordPage = lazy(() =>
  import('./shared/ChangePasswordPage').then((m) => ({ default: m.ChangePasswordPage })),
);
const signUpPages = () => import('./shared/SignUpPages');
const SignUpPage = lazy(() => signUpPages().then((m) => ({ default: m.SignUpPage })));
const ResetPage = lazy(() => signUpPages().then((m) => ({ default: m.ResetPage })));
const ActivatePage = lazy(() => signUpPages().then((m) => ({ default: m.ActivatePage })));
const ClaimPage = lazy(() => signUpPages().then((m) => ({ default: m.ClaimPage })));
const ResidentApp = lazy(() => import('./resident/ResidentApp'));
const ConsoleApp = lazy(() => withAntApp(import('./console/ConsoleApp')));
const DesignerApp = lazy(() => withAntApp(import('./designer/DesignerApp')));

/**
 * A staff part inside antd's settings and App (App.useApp() for message and modal), both loaded when the part is first shown.
 * The resident pages are not wrapped: they show their messages inline (a page there that needs App.useApp()
 * must be wrapped here too).
 */
async function withAntApp(part: Promise<{ default: ComponentType }>) {
  const [{ AntAppShell }, { default: Part }] = await Promise.all([import('./shared/AntAppShell'), part]);
  return {
    default: function StaffPart() {
      return (
        <AntAppShell>
          <Part />
        </AntAppShell>
      );
    },
  };
}

/** While a part's code or the session check loads: plain text, so that showing it needs no antd. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <div role="status" style={{ padding: 48, textAlign: 'center', color: '#595959' }}>
      {t('app.loading')}
    </div>
  );
}

function RequireSignIn({ children }: { children: ReactNode }) {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  // Until a one-time password is changed the server answers nothing else: the change comes before any page.
  if (me.mustChangePassword) return <ChangePasswordPage />;
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
        <Route path="/m/signup" element={<SignUpPage />} />
        <Route path="/m/reset" element={<ResetPage />} />
        <Route path="/m/activate" element={<ActivatePage />} />
        <Route
          path="/m/claim"
          element={
            <RequireSignIn>
              <ClaimPage />
            </RequireSignIn>
          }
        />
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
