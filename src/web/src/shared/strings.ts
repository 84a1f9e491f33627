// UI strings. Keys are grouped by area with a dotted prefix: app., auth., resident., console., designer.
export const zh = {
  'app.name': '社区议事',
  'app.language': 'English',
  'app.signOut': '退出',
  'app.loading': '加载中…',
  'app.notFound': '页面不存在',
  'auth.title': '登录',
  'auth.username': '用户名',
  'auth.password': '密码',
  'auth.submit': '登录',
  'auth.demoBanner': '演示模式：本服务器使用公开的演示账号和密码，请勿存放真实数据。',
  'auth.demoHint': '演示账号的密码都是 {{password}}',
};

export const en: typeof zh = {
  'app.name': 'Deliberate',
  'app.language': '中文',
  'app.signOut': 'Sign out',
  'app.loading': 'Loading…',
  'app.notFound': 'Page not found',
  'auth.title': 'Sign in',
  'auth.username': 'User name',
  'auth.password': 'Password',
  'auth.submit': 'Sign in',
  'auth.demoBanner': 'Demo mode: this server has demo accounts with a published password. Keep no real data here.',
  'auth.demoHint': 'Every demo account uses the password {{password}}',
};
