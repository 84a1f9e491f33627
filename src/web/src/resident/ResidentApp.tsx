// The resident pages (/m): phone first, a bottom tab bar, zh-CN by default. Kept light on purpose: plain
// elements and the antd parts the shell already loads, so a phone on a slow network gets going quickly.
import { useEffect } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { EditOutlined, HomeOutlined, NotificationOutlined, ProfileOutlined, UserOutlined } from '@ant-design/icons';
import { LanguageToggle } from '../shared/LanguageToggle';
import { allButMe } from '../shared/queryKeys';
import './strings';
import './resident.css';
import { HomePage } from './home/HomePage';
import { RaisePage } from './raise/RaisePage';
import { MyMattersPage } from './matters/MyMattersPage';
import { MatterPage } from './matters/MatterPage';
import { VotePage } from './vote/VotePage';
import { RatePage } from './rate/RatePage';
import { NoticesPage } from './notices/NoticesPage';
import { MePage } from './me/MePage';
import { TaskPage } from './me/TaskPage';

const tabs = [
  { to: '/m', end: true, icon: <HomeOutlined />, label: 'resident.tab.home' },
  { to: '/m/matters', end: false, icon: <ProfileOutlined />, label: 'resident.tab.matters' },
  { to: '/m/raise', end: false, icon: <EditOutlined />, label: 'resident.tab.raise' },
  { to: '/m/notices', end: false, icon: <NotificationOutlined />, label: 'resident.tab.notices' },
  { to: '/m/me', end: false, icon: <UserOutlined />, label: 'resident.tab.me' },
];

export default function ResidentApp() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  // Names and labels come from the server in the request's language: ask again when it changes.
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    void client.invalidateQueries({ predicate: allButMe });
  }, [i18n.language, client]);

  return (
    <div className="m-app">
      <header className="m-header">
        <h1>{t('app.name')}</h1>
        <LanguageToggle />
      </header>
      <main className="m-content">
        <Routes>
          <Route index element={<HomePage />} />
          <Route path="raise" element={<RaisePage />} />
          <Route path="matters" element={<MyMattersPage />} />
          <Route path="matters/:id" element={<MatterPage />} />
          <Route path="ballots/:id" element={<VotePage />} />
          <Route path="rate/:matterId" element={<RatePage />} />
          <Route path="notices" element={<NoticesPage />} />
          <Route path="me" element={<MePage />} />
          <Route path="tasks/:id" element={<TaskPage />} />
          <Route path="*" element={<div className="m-empty">{t('app.notFound')}</div>} />
        </Routes>
      </main>
      <nav className="m-tabbar" data-testid="tabbar">
        {tabs.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end} className={({ isActive }) => (isActive ? 'active' : '')}>
            {tab.icon}
            <span>{t(tab.label)}</span>
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
