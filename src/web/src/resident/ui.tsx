// Small building blocks of the resident pages.
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export { Loaded } from '../shared/Loaded';

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
