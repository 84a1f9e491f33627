// The sign-in page, in plain elements: every resident's first visit starts here on a phone, so it loads no antd
// (a phone on a slow network would otherwise download the whole form library before it can sign in).
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth';
import { setLanguage } from './i18n';
import { oidcSignInUrl, useAuthOptions } from './sharedApi';
import { useWrite } from './useWrite';
import './signIn.css';

export function SignInPage() {
  const { t, i18n } = useTranslation();
  const options = useAuthOptions();
  const demo = options.data?.demo === true;
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const oidcError = params.get('oidcError');
  const oidcErrors = ['unknownAccount', 'accountDeactivated', 'notStaff', 'demoAccountDisabled', 'failed'] as const;
  const oidcMessage = oidcError
    ? t(`auth.oidcError.${oidcErrors.find((code) => code === oidcError) ?? 'failed'}` as const)
    : null;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [shown, setShown] = useState(false);
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const { run, busy, error } = useWrite(() => signIn(username.trim(), password), {
    onSuccess: () => navigate(params.get('next') || '/', { replace: true }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const empty = { username: !username.trim(), password: !password };
    setMissing(empty);
    if (!empty.username && !empty.password && !busy) void run();
  };

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} noValidate>
        <div className="signin-head">
          <h1>{t('app.name')}</h1>
          <button
            type="button"
            className="signin-link"
            data-testid="language-toggle"
            onClick={() => setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
          >
            {t('app.language')}
          </button>
        </div>
        {demo && (
          <>
            <p className="signin-alert warning" role="note" data-testid="demo-banner">
              {t('auth.demoBanner')}
            </p>
            <p className="signin-hint" data-testid="demo-hint">
              {/* the password is typed as it is, not read as words: marked not for translation */}
              {t('auth.demoHint')} <code translate="no">{options.data?.demoPassword ?? ''}</code>
            </p>
          </>
        )}
        {oidcMessage && !error && (
          <p className="signin-alert error" role="alert" data-testid="oidc-error">
            {oidcMessage}
          </p>
        )}
        {error && (
          <p className="signin-alert error" role="alert">
            {error}
          </p>
        )}
        <label className="signin-field">
          <span>{t('auth.username')}</span>
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            autoCapitalize="none"
            aria-invalid={missing.username || undefined}
            data-testid="username"
          />
          {missing.username && <em role="alert">{t('auth.usernameRequired')}</em>}
        </label>
        <label className="signin-field">
          <span>{t('auth.password')}</span>
          <span className="signin-password">
            <input
              type={shown ? 'text' : 'password'}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              aria-invalid={missing.password || undefined}
              data-testid="password"
            />
            <button type="button" className="signin-link" aria-pressed={shown} onClick={() => setShown(!shown)}>
              {t(shown ? 'auth.hidePassword' : 'auth.showPassword')}
            </button>
          </span>
          {missing.password && <em role="alert">{t('auth.passwordRequired')}</em>}
        </label>
        <button type="submit" className="signin-submit" disabled={busy} aria-busy={busy} data-testid="sign-in">
          {t('auth.submit')}
        </button>
        {options.data?.oidc && (
          // A full navigation, not a fetch: the identity provider's pages take over the window and send it back.
          <a className="signin-oidc" href={oidcSignInUrl(params.get('next') || '/')} data-testid="sign-in-oidc">
            {t('auth.oidc')}
          </a>
        )}
        <p className="signin-hint">
          <Link to="/m/signup" className="signin-link" data-testid="sign-up-link">
            {t('auth.signUpLink')}
          </Link>{' '}
          <Link to="/m/reset" className="signin-link" data-testid="reset-link">
            {t('auth.resetLink')}
          </Link>
        </p>
      </form>
    </main>
  );
}
