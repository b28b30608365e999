import { useEffect, useState, type FormEvent } from 'react';
import { answer, api, bodyOf, messageOf, type CatalogueEntry } from './api.ts';
import { Notice } from './Notice.tsx';

const STATE_TEXT = {
  connected: 'Connected',
  'needs-reconnection': 'Needs reconnecting',
  'not-connected': 'Not connected',
};

/** Connected services: connect (OAuth2 or a credential form), see the state, disconnect. */
export function Services({ params }: { params: URLSearchParams }) {
  const [services, setServices] = useState<CatalogueEntry[]>();
  const [notice, setNotice] = useState(
    params.get('error') ? { text: params.get('error')!, error: true } : undefined,
  );
  const load = () =>
    bodyOf(api.GET('/api/services')).then(
      (found) => {
        setServices(found.services);
        return found.services;
      },
      (error: unknown) => {
        setNotice({ text: messageOf(error), error: true });
        return undefined;
      },
    );
  useEffect(() => {
    // Back from a service's OAuth2 pages: said with the name the user knows it by.
    const connected = params.get('connected');
    void load().then((found) => {
      if (!connected || !found) return;
      const service = found.find((s) => s.servicename === connected);
      setNotice({ text: `Connected ${service?.displayName ?? connected}.`, error: false });
    });
  }, []);

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setNotice({ text: done, error: false });
      await load();
    } catch (error) {
      setNotice({ text: messageOf(error), error: true });
    }
  };

  return (
    <section aria-labelledby="services-title">
      <h1 id="services-title">Connected services</h1>
      <p>Connect the places your data is kept and the repositories you publish in, once.</p>
      <Notice notice={notice} />
      {!services ? (
        <p>Loading…</p>
      ) : (
        <ul className="cards">
          {services.map((service) => (
            <ServiceCard key={service.servicename} service={service} act={act} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ServiceCard({
  service,
  act,
}: {
  service: CatalogueEntry;
  act: (what: () => Promise<unknown>, done: string) => Promise<void>;
}) {
  const { servicename, displayName, connect, connection } = service;
  const kind = service.implements.includes('fileStorage') ? 'Storage' : 'Repository';
  const at = { params: { path: { servicename } } };
  const connectOAuth = async () => {
    const { body } = await answer(api.POST('/api/services/{servicename}/authorizations', at));
    window.location.assign(body.authorizeUrl);
  };
  return (
    <li className="card" aria-labelledby={`service-${servicename}`}>
      <h2 id={`service-${servicename}`}>{displayName}</h2>
      <p className="muted">
        {kind}
        {service.description ? ` · ${service.description}` : ''}
      </p>
      <p>
        <span className={`state state-${connection.state}`}>{STATE_TEXT[connection.state]}</span>
        {connection.userId ? ` as ${connection.userId}` : ''}
      </p>
      {connect.method === 'oauth2' && connection.state !== 'connected' && (
        <button type="button" onClick={() => act(connectOAuth, '')}>
          Connect {displayName}
        </button>
      )}
      {connect.method === 'credentials' && connection.state !== 'connected' && (
        <CredentialForm
          service={service}
          onSubmit={(json) =>
            act(
              () =>
                answer(api.PUT('/api/services/{servicename}/credentials', { ...at, body: json })),
              `Connected ${displayName}.`,
            )
          }
        />
      )}
      {connect.method !== 'none' && connection.state !== 'not-connected' && (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            act(
              () => answer(api.DELETE('/api/services/{servicename}/connection', at)),
              `Disconnected ${displayName}.`,
            )
          }
        >
          Disconnect {displayName}
        </button>
      )}
    </li>
  );
}

function CredentialForm({
  service,
  onSubmit,
}: {
  service: CatalogueEntry;
  onSubmit: (json: { userId?: string; password: string }) => Promise<void>;
}) {
  const [userId, setUserId] = useState('');
  const [password, setPassword] = useState('');
  const id = service.servicename;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSubmit({ ...(service.connect.userId ? { userId } : {}), password });
  };
  return (
    <form onSubmit={submit} className="stack">
      {service.connect.userId && (
        <label>
          User name
          <input
            id={`${id}-user`}
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
            autoComplete="username"
            required
          />
        </label>
      )}
      <label>
        {service.connect.userId ? 'Password or app password' : 'Access token'}
        <input
          id={`${id}-password`}
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
        />
      </label>
      <button type="submit">Connect {service.displayName}</button>
    </form>
  );
}
