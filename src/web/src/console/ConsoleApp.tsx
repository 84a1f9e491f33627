// The staff console (/console): desktop layout with a side menu showing only what the signed-in roles can use.
import { useEffect, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Button, Drawer, Grid, Layout, Menu, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  ApartmentOutlined,
  ClusterOutlined,
  AuditOutlined,
  BarChartOutlined,
  FileExcelOutlined,
  CalendarOutlined,
  FileSearchOutlined,
  InboxOutlined,
  MenuOutlined,
  RobotOutlined,
  ScheduleOutlined,
  SolutionOutlined,
  TeamOutlined,
  ToolOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import { useAuth } from '../shared/auth';
import { LanguageToggle } from '../shared/LanguageToggle';
import { allButMe } from '../shared/queryKeys';
import './strings';
import { areasFor, type ConsoleArea } from './access';
import { InboxPage } from './inbox/InboxPage';
import { TaskPage } from './inbox/TaskPage';
import { MattersPage } from './matters/MattersPage';
import { MatterDetailPage } from './matters/MatterDetailPage';
import { MeetingsPage } from './meetings/MeetingsPage';
import { MeetingPage } from './meetings/MeetingPage';
import { BallotsPage } from './ballots/BallotsPage';
import { BallotPage } from './ballots/BallotPage';
import { WorkItemsPage } from './workitems/WorkItemsPage';
import { WorkItemPage } from './workitems/WorkItemPage';
import { ReviewCyclesPage } from './reviewcycles/ReviewCyclesPage';
import { MeasuresPage } from './measures/MeasuresPage';
import { LedgersPage } from './ledgers/LedgersPage';
import { NotificationBell } from './notifications/NotificationBell';
import { OrgPage } from './admin/OrgPage';
import { UsersPage } from './admin/UsersPage';
import { RegisterPage } from './register/RegisterPage';
import { RobotsPage } from './robots/RobotsPage';
import { BodiesPage } from './bodies/BodiesPage';
import { VerificationPage } from './verification/VerificationPage';

const MENU: { area: ConsoleArea; path: string; icon: React.ReactNode }[] = [
  { area: 'inbox', path: '/console', icon: <InboxOutlined /> },
  { area: 'matters', path: '/console/matters', icon: <FileSearchOutlined /> },
  { area: 'meetings', path: '/console/meetings', icon: <CalendarOutlined /> },
  { area: 'ballots', path: '/console/ballots', icon: <AuditOutlined /> },
  { area: 'workItems', path: '/console/work-items', icon: <ToolOutlined /> },
  { area: 'reviewCycles', path: '/console/review-cycles', icon: <ScheduleOutlined /> },
  { area: 'measures', path: '/console/measures', icon: <BarChartOutlined /> },
  { area: 'ledgers', path: '/console/ledgers', icon: <FileExcelOutlined /> },
  { area: 'verification', path: '/console/verification', icon: <UserAddOutlined /> },
  { area: 'register', path: '/console/register', icon: <SolutionOutlined /> },
  { area: 'bodies', path: '/console/bodies', icon: <ClusterOutlined /> },
  { area: 'org', path: '/console/org', icon: <ApartmentOutlined /> },
  { area: 'users', path: '/console/users', icon: <TeamOutlined /> },
  { area: 'robots', path: '/console/robots', icon: <RobotOutlined /> },
];

export default function ConsoleApp() {
  const { t, i18n } = useTranslation();
  const { me, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    void client.invalidateQueries({ predicate: allButMe });
  }, [i18n.language, client]);

  const areas = areasFor(me);
  const items = MENU.filter((m) => areas.includes(m.area));
  const selected = [...items]
    .reverse()
    .find((m) => location.pathname === m.path || (m.path !== '/console' && location.pathname.startsWith(m.path)));
  const allow = (area: ConsoleArea, element: React.ReactNode) =>
    areas.includes(area) ? element : <Navigate to="/console" replace />;
  // On a phone the menu opens from a button in the header, over the page, rather than from antd's floating
  // trigger, which sat on top of the page heading.
  const narrow = Grid.useBreakpoint().lg === false;
  const [menuOpen, setMenuOpen] = useState(false);
  const brand = (
    <div
      style={{
        height: 56,
        display: 'flex',
        alignItems: 'center',
        padding: '0 20px',
        fontWeight: 600,
        fontSize: 17,
        color: '#c0392b',
      }}
    >
      {t('app.name')}
    </div>
  );
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected ? [selected.path] : []}
      data-testid="console-menu"
      items={items.map((m) => ({
        key: m.path,
        icon: m.icon,
        label: t(`console.menu.${m.area}`),
        onClick: () => {
          setMenuOpen(false);
          navigate(m.path);
        },
      }))}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {narrow ? (
        <Drawer
          placement="left"
          open={menuOpen}
          onClose={() => setMenuOpen(false)}
          size={220}
          closable={false}
          styles={{ body: { padding: 0 } }}
        >
          {brand}
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider width={200} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
          {brand}
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: narrow ? '8px 12px' : '0 20px',
            display: 'flex',
            flexWrap: 'wrap',
            gap: 8,
            alignItems: 'center',
            justifyContent: narrow ? 'space-between' : 'flex-end',
            borderBottom: '1px solid #f0f0f0',
            height: 'auto',
            minHeight: 56,
            lineHeight: 'normal',
          }}
        >
          {narrow && (
            <Button
              icon={<MenuOutlined />}
              onClick={() => setMenuOpen(true)}
              aria-label={t('console.openMenu')}
              data-testid="console-menu-button"
            />
          )}
          <Space size={narrow ? 'small' : 'middle'} wrap>
            <NotificationBell />
            <Typography.Text data-testid="console-user">
              {me?.displayName} ·{' '}
              {me?.roles
                .map((g) => g.roleName)
                .filter((v, i, all) => all.indexOf(v) === i)
                .join('、')}
            </Typography.Text>
            <LanguageToggle />
            <Button
              size="small"
              onClick={async () => {
                await signOut();
                navigate('/login', { replace: true });
              }}
            >
              {t('app.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: narrow ? 12 : 20, minWidth: 0 }}>
          <Routes>
            <Route index element={<InboxPage />} />
            <Route path="tasks/:id" element={allow('inbox', <TaskPage />)} />
            <Route path="matters" element={allow('matters', <MattersPage />)} />
            <Route path="matters/:id" element={allow('matters', <MatterDetailPage />)} />
            <Route path="meetings" element={allow('meetings', <MeetingsPage />)} />
            <Route path="meetings/:id" element={allow('meetings', <MeetingPage />)} />
            <Route path="ballots" element={allow('ballots', <BallotsPage />)} />
            <Route path="ballots/:id" element={allow('ballots', <BallotPage />)} />
            <Route path="work-items" element={allow('workItems', <WorkItemsPage />)} />
            <Route path="work-items/:id" element={allow('workItems', <WorkItemPage />)} />
            <Route path="review-cycles" element={allow('reviewCycles', <ReviewCyclesPage />)} />
            <Route path="measures" element={allow('measures', <MeasuresPage />)} />
            <Route path="ledgers" element={allow('ledgers', <LedgersPage />)} />
            <Route path="register" element={allow('register', <RegisterPage />)} />
            <Route path="org" element={allow('org', <OrgPage />)} />
            <Route path="users" element={allow('users', <UsersPage />)} />
            <Route path="robots" element={allow('robots', <RobotsPage />)} />
            <Route path="bodies" element={allow('bodies', <BodiesPage />)} />
            <Route path="verification" element={allow('verification', <VerificationPage />)} />
            <Route path="*" element={<Typography.Text>{t('app.notFound')}</Typography.Text>} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
