import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, with nothing of its own going to the network: pages under test
 * are the only source of requests.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
