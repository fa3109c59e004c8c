import './styles.css';
import { setUnauthorizedHandler, token } from './api';
import { DashboardApp } from './app';
import { accepted, askToken } from './gate';

const root = document.getElementById('app') as HTMLElement;

/** Outside demo mode the API wants a token: ask for it, keep it for the tab (sessionStorage). */
async function boot(message?: string): Promise<void> {
  let t = token.get();
  if (message || !(await accepted(t))) {
    token.clear();
    t = await askToken(root, message ?? (t ? 'The saved token is no longer accepted.' : undefined));
    token.set(t);
  }
  const app = new DashboardApp(root);
  setUnauthorizedHandler(() => {
    setUnauthorizedHandler(() => {});
    app.stop();
    void boot('The API refused the token: enter it again.');
  });
  app.start();
}

boot().catch((e: unknown) => {
  root.textContent = `Leadhouse could not start: ${(e as Error).message}`;
});
