// The resident pages (/m): phone first, a bottom tab bar, zh-CN by default. Kept light on purpose: plain
// elements and the antd parts the shell already loads, so a phone on a slow network gets going quickly.
import { useEffect } from 'react';
import { ConfigProvider, type ThemeConfig } from 'antd';
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
import { useLargeTextChoice } from './largeText/largeText';

const tabs = [
  { to: '/m', end: true, icon: <HomeOutlined />, label: 'resident.tab.home' },
  { to: '/m/matters', end: false, icon: <ProfileOutlined />, label: 'resident.tab.matters' },
  { to: '/m/raise', end: false, icon: <EditOutlined />, label: 'resident.tab.raise' },
  { to: '/m/notices', end: false, icon: <NotificationOutlined />, label: 'resident.tab.notices' },
  { to: '/m/me', end: false, icon: <UserOutlined />, label: 'resident.tab.me' },
];

// antd's default red (#ff4d4f) is 3.3:1 on white: the resident pages' danger text needs 4.5:1 (WCAG AA).
const residentTheme: ThemeConfig = { token: { colorError: '#cf1322' } };

// 适老化 (GB/T 37668): the antd parts grow with the page — 18 px text, 48 px controls, darker secondary text.
const largeTheme: ThemeConfig = {
  token: {
    colorError: '#cf1322',
    fontSize: 18,
    fontSizeLG: 20,
    fontSizeSM: 16,
    lineHeight: 1.7,
    controlHeight: 48,
    controlHeightLG: 52,
    controlHeightSM: 48,
    colorText: '#141414',
    colorTextSecondary: '#333333',
    colorTextDescription: '#333333',
  },
};

export default function ResidentApp() {
  const large = useLargeTextChoice() === true;
  // On the document too, so that dialogs and messages (drawn outside .m-app) grow with the page.
  useEffect(() => {
    document.documentElement.classList.toggle('m-large', large);
    return () => document.documentElement.classList.remove('m-large');
  }, [large]);
  return (
    <ConfigProvider theme={large ? largeTheme : residentTheme}>
      <ResidentShell large={large} />
    </ConfigProvider>
  );
}

function ResidentShell({ large }: { large: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  // Names and labels come from the server in the request's language: ask again when it changes.
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    void client.invalidateQueries({ predicate: allButMe });
  }, [i18n.language, client]);

  return (
    <div className={large ? 'm-app m-large' : 'm-app'}>
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
      <nav className="m-tabbar" data-testid="tabbar" aria-label={t('resident.nav.main')}>
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
