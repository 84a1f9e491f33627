// 通知: the unread count on a bell, polled; the list in a popover, each opening its link and marked read.
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { App, Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { meetingKeys, notificationKeys, taskKeys, workItemKeys } from '../../shared/queryKeys';
import { useWrite } from '../../shared/useWrite';
import { notificationsApi, useUnreadCount, useUnreadNotifications } from '../consoleApi';
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

export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  // Controlled, so that opening a notification closes the list as it navigates.
  const [shown, setShown] = useState(false);
  const { message } = App.useApp();
  const refused = (text: string) => message.error({ content: text, className: 'problem-message' });
  const count = useUnreadCount();
  const list = useUnreadNotifications();
  const unread = typeof count.data === 'number' ? count.data : (count.data?.count ?? 0);
  useRefreshToDoOnNews(unread);
  const { run: open } = useWrite((n: Notification) => notificationsApi.read(n.id), {
    invalidate: [notificationKeys.all],
    onError: refused,
    onSuccess: (_, n) => {
      setShown(false);
      if (n.link) navigate(n.link.replace(/^https?:\/\/[^/]+/, ''));
    },
  });
  const { run: readAll } = useWrite(notificationsApi.readAll, {
    invalidate: [notificationKeys.all],
    onError: refused,
    onSuccess: () => void list.refetch(),
  });

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={shown}
      onOpenChange={(visible) => {
        setShown(visible);
        if (visible) void list.refetch();
      }}
      title={
        <div style={{ display: 'flex', justifyContent: 'space-between', gap: 24 }}>
          {t('console.notifications.title')}
          <Button size="small" type="link" onClick={() => readAll()}>
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
                    <List.Item style={{ cursor: 'pointer' }} onClick={() => open(n)} data-testid="notification-item">
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

/**
 * A new notification usually means new work (a task, a work item, a 大事 on a draft meeting): 待办 is refreshed then,
 * so that a secretary already on it does not keep reading "没有待办任务" beside the bell that says otherwise.
 */
function useRefreshToDoOnNews(unread: number) {
  const client = useQueryClient();
  const seen = useRef(unread);
  useEffect(() => {
    if (unread > seen.current) {
      void client.invalidateQueries({ queryKey: taskKeys.all });
      void client.invalidateQueries({ queryKey: meetingKeys.drafts });
      void client.invalidateQueries({ queryKey: workItemKeys.mine });
    }
    seen.current = unread;
  }, [unread, client]);
}
