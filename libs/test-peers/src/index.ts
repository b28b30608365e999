/** Real programs tests talk to, started on 127.0.0.1 and stopped afterwards. */
export {
  startProvider,
  type Authorization,
  type EndpointCall,
  type ProviderOptions,
  type TestProvider,
} from './oidc-provider.ts';
export { freePort, startApache, type ApacheDav } from './apache-dav.ts';
export { launchChromium } from './chromium.ts';
