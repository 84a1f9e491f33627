// 通知: the unread count on a bell, polled; the list in a popover, each opening its link and marked read.
import { useNavigate } from 'react-router';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { Loaded } from '../ui';

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link?: string | null;
  createdAt: string;
  read: boolean;
}

const POLL_MS = 30_000;

export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  // A server without notifications yet answers 404: the bell then shows no count rather than an error.
  const count = useQuery({
    queryKey: ['notifications', 'count'],
    queryFn: () => api.get<{ count: number } | number>('/api/notifications/unread-count'),
    refetchInterval: POLL_MS,
    retry: false,
  });
  const list = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => api.get<Notification[]>('/api/notifications?unread=true'),
    enabled: false,
  });
  const unread = typeof count.data === 'number' ? count.data : (count.data?.count ?? 0);
  const refresh = () => client.invalidateQueries({ queryKey: ['notifications'] });

  async function open(n: Notification) {
    await api.post(`/api/notifications/${n.id}/read`);
    await refresh();
    if (n.link) navigate(n.link.replace(/^https?:\/\/[^/]+/, ''));
  }

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      onOpenChange={(visible) => visible && void list.refetch()}
      title={
        <div style={{ display: 'flex', justifyContent: 'space-between', gap: 24 }}>
          {t('console.notifications.title')}
          <Button
            size="small"
            type="link"
            onClick={async () => {
              await api.post('/api/notifications/read-all');
              await refresh();
              void list.refetch();
            }}
          >
            {t('console.notifications.readAll')}
          </Button>
        </div>
      }
      content={
        <div style={{ width: 340, maxHeight: 420, overflow: 'auto' }}>
          <Loaded query={list}>
            {(items) =>
              items.length === 0 ? (
                <Empty description={t('console.notifications.none')} />
              ) : (
                <List
                  size="small"
                  dataSource={items}
                  renderItem={(n) => (
                    <List.Item style={{ cursor: 'pointer' }} onClick={() => open(n)}>
                      <div>
                        <Typography.Text strong>{n.title}</Typography.Text>
                        <div>{n.body}</div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {formatDateTime(n.createdAt)}
                        </Typography.Text>
                      </div>
                    </List.Item>
                  )}
                />
              )
            }
          </Loaded>
        </div>
      }
    >
      <Badge count={unread} size="small" data-testid="notification-count">
        <Button
          type="text"
          icon={<BellOutlined style={{ fontSize: 18 }} />}
          aria-label={t('console.notifications.title')}
          data-testid="notification-bell"
        />
      </Badge>
    </Popover>
  );
}
