/**
 * Real programs tests talk to, started on 127.0.0.1 and stopped afterwards, and, for a service
 * that cannot run here, a fake as strict as the real one, written from its source: InvenioRDM as
 * Zenodo configures it.
 */
export {
  startProvider,
  type Authorization,
  type EndpointCall,
  type ProviderOptions,
  type TestProvider,
} from './oidc-provider.ts';
export { freePort, startApache, type ApacheDav } from './apache-dav.ts';
export { launchChromium } from './chromium.ts';
export { startFakeInvenio, type FakeInvenio } from './invenio-rdm/server.ts';
