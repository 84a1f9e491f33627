// Small building blocks of the resident pages: plain elements (resident.css), so the shell and the home page load
// without antd.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../shared/api';
import '../shared/commonStrings';

/** Loading, error (the server's Problem Details message and a retry) or the content of one query. */
export function Loaded<T>({
  query,
  children,
}: {
  query: { data: T | undefined; error: unknown; isLoading: boolean; refetch: () => unknown };
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isLoading)
    return (
      <div className="m-loading" role="status">
        {t('app.loading')}
      </div>
    );
  if (query.error)
    return (
      <div className="m-error" role="alert" data-testid="load-error">
        <span>{problemMessage(query.error)}</span>
        <button type="button" className="m-button" onClick={() => query.refetch()}>
          {t('common.retry')}
        </button>
      </div>
    );
  return query.data === undefined ? null : <>{children(query.data)}</>;
}

export function Card({
  title,
  children,
  extra,
  testId,
}: {
  title?: ReactNode;
  children: ReactNode;
  extra?: ReactNode;
  testId?: string;
}) {
  return (
    <section className="m-card" data-testid={testId}>
      {(title || extra) && (
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
          {title && <h2>{title}</h2>}
          {extra}
        </div>
      )}
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="m-empty">{children}</div>;
}

/** A link that looks like the big primary button: a button inside a link is two controls to a screen reader. */
export function LinkButton({ to, children, testId }: { to: string; children: ReactNode; testId?: string }) {
  return (
    <Link to={to} className="m-link-button" data-testid={testId}>
      {children}
    </Link>
  );
}
