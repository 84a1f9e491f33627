// The resident pages (/m): phone first, a bottom tab bar, zh-CN by default. The shell and the home page are plain
// elements (resident.css): a phone's first load is them and the app's core, no antd. Every other page loads when it
// is first visited; those that use antd's inputs and alerts bring antd and its settings with them (antPage below).
import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../shared/i18n';
import { allButMe } from '../shared/queryKeys';
import './strings';
import './resident.css';
import { HomePage } from './home/HomePage';
import { useLargeTextChoice } from './largeText/largeText';
import { TabIcon, type TabIconName } from './tabIcons';

/** A page without antd, loaded when first visited. */
function page(load: () => Promise<ComponentType>) {
  return lazy(async () => ({ default: await load() }));
}

/** A page with antd's parts, loaded together with antd's settings for the resident pages (large text included). */
function antPage(load: () => Promise<ComponentType>) {
  return lazy(async () => {
    const [{ ResidentAntConfig }, Page] = await Promise.all([import('./ResidentAntConfig'), load()]);
    return {
      default: function ResidentAntPage() {
        return (
          <ResidentAntConfig>
            <Page />
          </ResidentAntConfig>
        );
      },
    };
  });
}

const RaisePage = antPage(() => import('./raise/RaisePage').then((m) => m.RaisePage));
const MyMattersPage = page(() => import('./matters/MyMattersPage').then((m) => m.MyMattersPage));
const MatterPage = antPage(() => import('./matters/MatterPage').then((m) => m.MatterPage));
const VotePage = antPage(() => import('./vote/VotePage').then((m) => m.VotePage));
const RatePage = antPage(() => import('./rate/RatePage').then((m) => m.RatePage));
const MinutesPage = page(() => import('./minutes/MinutesPage').then((m) => m.MinutesPage));
const NoticesPage = page(() => import('./notices/NoticesPage').then((m) => m.NoticesPage));
const MePage = antPage(() => import('./me/MePage').then((m) => m.MePage));
const TaskPage = antPage(() => import('./me/TaskPage').then((m) => m.TaskPage));

const tabs: { to: string; end: boolean; icon: TabIconName; label: string }[] = [
  { to: '/m', end: true, icon: 'home', label: 'resident.tab.home' },
  { to: '/m/matters', end: false, icon: 'matters', label: 'resident.tab.matters' },
  { to: '/m/raise', end: false, icon: 'raise', label: 'resident.tab.raise' },
  { to: '/m/notices', end: false, icon: 'notices', label: 'resident.tab.notices' },
  { to: '/m/me', end: false, icon: 'me', label: 'resident.tab.me' },
];

export default function ResidentApp() {
  const large = useLargeTextChoice() === true;
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  // On the document too, so that dialogs and messages (drawn outside .m-app) grow with the page.
  useEffect(() => {
    document.documentElement.classList.toggle('m-large', large);
    return () => document.documentElement.classList.remove('m-large');
  }, [large]);
  // Names and labels come from the server in the request's language: ask again when it changes.
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    void client.invalidateQueries({ predicate: allButMe });
  }, [i18n.language, client]);

  return (
    <div className={large ? 'm-app m-large' : 'm-app'}>
      <header className="m-header">
        <h1>{t('app.name')}</h1>
        <button
          type="button"
          className="m-header-button"
          data-testid="language-toggle"
          onClick={() => setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
        >
          {t('app.language')}
        </button>
      </header>
      <main className="m-content">
        <Suspense
          fallback={
            <div className="m-empty" role="status">
              {t('app.loading')}
            </div>
          }
        >
          <Routes>
            <Route index element={<HomePage />} />
            <Route path="raise" element={<RaisePage />} />
            <Route path="matters" element={<MyMattersPage />} />
            <Route path="matters/:id" element={<MatterPage />} />
            <Route path="ballots/:id" element={<VotePage />} />
            <Route path="rate/:matterId" element={<RatePage />} />
            <Route path="notices" element={<NoticesPage />} />
            <Route path="meetings/:id/minutes" element={<MinutesPage />} />
            <Route path="me" element={<MePage />} />
            <Route path="tasks/:id" element={<TaskPage />} />
            <Route path="*" element={<div className="m-empty">{t('app.notFound')}</div>} />
          </Routes>
        </Suspense>
      </main>
      <nav className="m-tabbar" data-testid="tabbar" aria-label={t('resident.nav.main')}>
        {tabs.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end} className={({ isActive }) => (isActive ? 'active' : '')}>
            <TabIcon name={tab.icon} />
            <span>{t(tab.label)}</span>
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
