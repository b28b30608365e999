import { DEFAULT_TENANT, type SettingsOf, type SettingsSchema } from '@rds/kit';

/** web's own settings; its definition's `calls` and `database` add layer 2's and the database's. */
export const SETTINGS = {
  type: 'object',
  properties: {
    // Unset: web's /metrics, /docs and /openapi.json are not served (headers.ts).
    RDS_WEB_MONITORING_TOKEN: { type: 'string', minLength: 32 },
    RDS_WEB_PUBLIC_URL: { type: 'string', pattern: '^https?://[^/]+$' },
    RDS_WEB_TENANT: { type: 'string', pattern: '^[\\w.:@-]{1,128}$', default: DEFAULT_TENANT },
    RDS_WEB_SESSION_TTL_S: { type: 'integer', minimum: 60, maximum: 604800, default: 28800 },
    RDS_OIDC_ISSUER: { type: 'string', pattern: '^https?://' },
    RDS_OIDC_CLIENT_ID: { type: 'string', minLength: 1 },
    RDS_OIDC_CLIENT_SECRET: { type: 'string', minLength: 1 },
    RDS_OIDC_SCOPE: { type: 'string', default: 'openid profile email' },
  },
} as const satisfies SettingsSchema;

export type WebSettings = SettingsOf<typeof SETTINGS>;
