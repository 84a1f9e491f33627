// The palette: every activity type the server describes, grouped by category, searchable in both languages.
import { memo, useMemo, useState, type DragEvent } from 'react';
import { Input, Tooltip, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { localized } from '../shared/i18n';
import { CategoryIcon } from './categories';
import { PALETTE_MIME } from './WorkflowCanvas';
import type { ActivityDescriptor } from './types';

function onDragStart(event: DragEvent, type: string) {
  event.dataTransfer.setData(PALETTE_MIME, type);
  event.dataTransfer.effectAllowed = 'copy';
}

function Palette({ descriptors }: { descriptors: ActivityDescriptor[] }) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const matches = (d: ActivityDescriptor) =>
      !q ||
      [
        d.type,
        d.displayName['zh-CN'],
        d.displayName.en,
        d.category.displayName['zh-CN'],
        d.category.displayName.en,
      ].some((s) => s.toLowerCase().includes(q));
    const byCategory = new Map<string, { name: string; items: ActivityDescriptor[] }>();
    for (const d of descriptors.filter(matches)) {
      const group = byCategory.get(d.category.name) ?? { name: localized(d.category.displayName), items: [] };
      group.items.push(d);
      byCategory.set(d.category.name, group);
    }
    return [...byCategory.entries()];
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the names are those of the current language
  }, [descriptors, query, i18n.language]);

  return (
    <div className="dz-palette" data-testid="palette">
      <Input
        allowClear
        prefix={<SearchOutlined />}
        placeholder={t('designer.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="palette-search"
      />
      {groups.map(([category, group]) => (
        <div key={category} className="dz-palette-group">
          <Typography.Text type="secondary" className="dz-palette-heading">
            <CategoryIcon category={category} /> {group.name}
          </Typography.Text>
          {group.items.map((d) => (
            <Tooltip
              key={d.type}
              title={d.description ? localized(d.description) : t('designer.dragHint')}
              placement="right"
              mouseEnterDelay={0.6}
            >
              <div
                className={`dz-palette-item dz-cat-${category}`}
                draggable
                onDragStart={(e) => onDragStart(e, d.type)}
                data-testid={`palette-${d.type}`}
              >
                <span>{localized(d.displayName)}</span>
              </div>
            </Tooltip>
          ))}
        </div>
      ))}
    </div>
  );
}

export default memo(Palette);
