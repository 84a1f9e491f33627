// Small shared pieces of the console pages.
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { dueState } from '../shared/format';

export { Loaded } from '../shared/Loaded';

/**
 * A deadline with how long is left, red once it has passed; a date-only deadline reads as its date. Once done: when,
 * and whether in time — never days left.
 */
export function Due({
  at,
  overdue,
  dueDate,
  doneAt,
}: {
  at?: string | null;
  overdue?: boolean;
  dueDate?: unknown;
  doneAt?: string | null;
}) {
  const { t } = useTranslation();
  const state = dueState({ deadline: at, dueDate, doneAt, overdue });
  if (state.kind === 'none') return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span data-testid={state.kind === 'overdue' ? 'overdue' : undefined}>
      {state.when}{' '}
      {state.kind === 'done' ? (
        <Tag color={state.onTime ? 'green' : 'orange'} data-testid="done-on">
          {t(state.onTime ? 'common.doneOnTime' : 'common.doneLate', { time: state.doneAt })}
        </Tag>
      ) : state.kind === 'overdue' ? (
        <Tag color="red">{t('common.overdue')}</Tag>
      ) : (
        <Tag color={state.hours < 24 ? 'orange' : 'default'}>
          {state.days >= 2 ? t('common.daysLeft', { n: state.days }) : t('common.hoursLeft', { n: state.hours })}
        </Tag>
      )}
    </span>
  );
}

/**
 * Tables keep at least this width and scroll sideways inside a narrow screen rather than squeezing every column to
 * two characters; on a desktop they fill the page as before.
 */
export const TABLE_SCROLL = { x: 760 } as const;

/**
 * Descriptions' columns by screen width: one on a phone, where three squeezed values to a few characters a line;
 * two on a tablet, three on a desktop. Also the span of a row that takes the whole width.
 */
export const DESCRIPTION_COLUMNS = { xs: 1, sm: 2, lg: 3 } as const;
/** The same for a Descriptions in a half-width card: at most two columns. */
export const DESCRIPTION_COLUMNS_NARROW = { xs: 1, sm: 2 } as const;

export function PageTitle({ children, extra }: { children: React.ReactNode; extra?: React.ReactNode }) {
  return (
    <div
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        justifyContent: 'space-between',
        alignItems: 'center',
        marginBottom: 16,
        gap: 12,
      }}
    >
      <Typography.Title level={3} style={{ margin: 0 }}>
        {children}
      </Typography.Title>
      {extra}
    </div>
  );
}

const STEP_COLOURS: Record<string, string> = {
  raise: 'default',
  hear: 'gold',
  deliberate: 'volcano',
  decide: 'magenta',
  execute: 'blue',
  rate: 'cyan',
  closed: 'green',
};
export function StepTag({ step, name }: { step: string; name: string }) {
  return <Tag color={STEP_COLOURS[step] ?? 'default'}>{name}</Tag>;
}
