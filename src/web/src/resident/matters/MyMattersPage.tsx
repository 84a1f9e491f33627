import { useTranslation } from 'react-i18next';
import { Card, Empty, Loaded } from '../ui';
import { useMyMatters } from '../residentApi';
import { MatterRow } from './MatterRow';

export function MyMattersPage() {
  const { t } = useTranslation();
  const matters = useMyMatters(50);
  return (
    <Card title={t('resident.matters.title')}>
      <Loaded query={matters}>
        {(page) =>
          page.items.length ? (
            page.items.map((m) => <MatterRow key={m.id} matter={m} />)
          ) : (
            <Empty>{t('resident.matters.none')}</Empty>
          )
        }
      </Loaded>
    </Card>
  );
}
