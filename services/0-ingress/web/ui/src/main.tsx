import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { answer, api, ApiError, bodyOf, messageOf, useCsrfToken, type Session } from './api.ts';
import { ContextPage } from './ContextPage.tsx';
import { Contexts } from './Contexts.tsx';
import { Services } from './Services.tsx';
import { mayLeave } from './unsaved.ts';
import './styles.css';

/**
 * The screen named by the URL's fragment: `#/services`, `#/contexts`, `#/contexts/<id>`. Going
 * to another screen with unsaved changes asks first; staying puts the address back.
 */
function useRoute(): { path: string; params: URLSearchParams } {
  const read = () => {
    const [path = '', query = ''] = window.location.hash.slice(1).split('?');
    return { path: path || '/contexts', params: new URLSearchParams(query) };
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    let shown = window.location.href;
    const changed = () => {
      if (!mayLeave()) return window.history.replaceState(null, '', shown);
      shown = window.location.href;
      setRoute(read());
    };
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function signIn(): void {
  const returnTo = `/${window.location.hash}`;
  window.location.assign(`/auth/login?${new URLSearchParams({ returnTo })}`);
}

function App() {
  const [session, setSession] = useState<Session | 'signed-out'>();
  const [failure, setFailure] = useState('');
  const route = useRoute();

  useEffect(() => {
    bodyOf(api.GET('/api/session')).then(
      (found) => {
        useCsrfToken(found.csrfToken);
        setSession(found);
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.problem.status === 401) setSession('signed-out');
        else setFailure(messageOf(error));
      },
    );
  }, []);

  if (failure) return <p role="alert">RDS cannot be reached: {failure}</p>;
  if (!session) return <p aria-live="polite">Loading…</p>;
  if (session === 'signed-out') {
    return (
      <main className="signed-out">
        <h1>Research Data Services</h1>
        <p>Move your research data from where you keep it to where you publish it.</p>
        <button type="button" onClick={signIn}>
          Sign in
        </button>
      </main>
    );
  }

  const signOut = async () => {
    const { body } = await answer(api.POST('/auth/logout'));
    if (body.logoutUrl) window.location.assign(body.logoutUrl);
    else setSession('signed-out');
  };
  const contextId = /^\/contexts\/([\w-]+)$/.exec(route.path)?.[1];
  return (
    <>
      <header className="top">
        <a className="brand" href="#/contexts">
          RDS
        </a>
        <nav aria-label="Main">
          <a
            href="#/contexts"
            aria-current={route.path.startsWith('/contexts') ? 'page' : undefined}
          >
            Research contexts
          </a>
          <a href="#/services" aria-current={route.path === '/services' ? 'page' : undefined}>
            Connected services
          </a>
        </nav>
        <span className="who">
          {session.user.name}
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main>
        {route.path === '/services' ? (
          <Services params={route.params} />
        ) : contextId ? (
          <ContextPage key={contextId} id={contextId} />
        ) : (
          <Contexts />
        )}
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
