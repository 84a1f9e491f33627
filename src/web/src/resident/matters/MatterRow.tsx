import { Link } from 'react-router';
import { formatDateTime } from '../../shared/format';
import type { MatterSummary } from '../../shared/types';

export function MatterRow({ matter }: { matter: MatterSummary }) {
  return (
    <Link to={`/m/matters/${matter.id}`} className="m-row" data-testid="matter-row">
      <div className="m-row-title">
        <span>{matter.title}</span>
        <span className={matter.step === 'closed' ? 'm-tag green' : 'm-tag'}>{matter.stepName}</span>
      </div>
      <div className="m-muted">
        {matter.categoryName} · {matter.grid.name} · {formatDateTime(matter.raisedAt)}
      </div>
    </Link>
  );
}
