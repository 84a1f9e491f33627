// The forced password change: after a one-time password, before anything else, in the console and the resident pages.
// Plain elements like the sign-in page. It checks only that the two entries match: the password policy is the
// server's, and its message is shown as it comes.
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth';
import { authApi } from './sharedApi';
import { useWrite } from './useWrite';
import './signIn.css';

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { me, forget } = useAuth();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [differ, setDiffer] = useState(false);
  const { run, busy, error, data } = useWrite(() => authApi.changePassword(current, next).then(() => true));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const mismatch = next !== repeat;
    setDiffer(mismatch);
    if (!mismatch && !busy) void run();
  };
  if (data)
    return (
      <main className="signin">
        <div className="signin-card">
          <h1>{t('auth.changeTitle')}</h1>
          <p className="signin-hint" role="status" data-testid="password-changed">
            {t('auth.changed')}
          </p>
          <button
            type="button"
            className="signin-submit"
            data-testid="sign-in-again"
            onClick={() => {
              forget();
              navigate('/login', { replace: true });
            }}
          >
            {t('auth.signInAgain')}
          </button>
        </div>
      </main>
    );
  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} noValidate data-testid="change-password">
        <h1>{t('auth.changeTitle')}</h1>
        <p className="signin-hint">
          {me?.displayName} · {t('auth.changeIntro')}
        </p>
        {error && (
          <p className="signin-alert error" role="alert" data-testid="change-error">
            {error}
          </p>
        )}
        <label className="signin-field">
          <span>{t('auth.currentPassword')}</span>
          <input
            type="password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            autoComplete="current-password"
            data-testid="current-password"
          />
        </label>
        <label className="signin-field">
          <span>{t('auth.newPassword')}</span>
          <input
            type="password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            autoComplete="new-password"
            data-testid="new-password"
          />
        </label>
        <label className="signin-field">
          <span>{t('auth.repeatPassword')}</span>
          <input
            type="password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            autoComplete="new-password"
            aria-invalid={differ || undefined}
            data-testid="repeat-password"
          />
          {differ && <em role="alert">{t('auth.passwordsDiffer')}</em>}
        </label>
        <button type="submit" className="signin-submit" disabled={busy} aria-busy={busy} data-testid="change-submit">
          {t('auth.changeSubmit')}
        </button>
      </form>
    </main>
  );
}
