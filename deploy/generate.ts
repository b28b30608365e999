/**
 * Generates the deployment files that depend on the service list (cli/src/services.ts) and on
 * each service's settings schema, so that no service name, port or setting is kept in sync by
 * hand: the Kustomize base (one Deployment and Service per service, the ConfigMap, the
 * NetworkPolicies, the Secret template) and the compose file. Run
 * `node --import tsx deploy/generate.ts` after adding a service or changing its settings;
 * deploy/deploy.test.ts fails while the files are stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { Document, isScalar, visit } from 'yaml';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { envName, type Layer, type SettingsSchema } from '@rds/kit';
import {
  forbiddenCall,
  HEALTH_ROUTES,
  KIT_SETTINGS,
  STREAMING_NODE_FLAGS,
  settingsSchemaOf,
} from '@rds/kit/host';
import { loadService, serviceNames } from '../cli/src/services.ts';

export const DEPLOY_ROOT = fileURLToPath(new URL('.', import.meta.url));
export const BASE = 'kubernetes/base';

/** The kit's routes every service serves; the probes and the scrape use them. */
const ROUTES = { ...HEALTH_ROUTES, metrics: '/metrics' };

const IMAGE = 'rds';
const CONFIG_MAP = 'rds-config';
const SECRET = 'rds-secrets';
const SERVICE_PORT = 80;
const LABELS = {
  name: 'app.kubernetes.io/name',
  partOf: 'app.kubernetes.io/part-of',
  layer: 'rds.layer',
  /** Set on pods that talk to PostgreSQL; a NetworkPolicy lets them out to it. */
  database: 'rds.egress.postgresql',
  /** Set on pods that talk to services outside the cluster over HTTP(S). */
  internet: 'rds.egress.internet',
} as const;
const PART_OF = { [LABELS.partOf]: 'rds' };
/** Prometheus servers are recognised by this pod label, in whatever namespace they run. */
const PROMETHEUS = { [LABELS.name]: 'prometheus' };

/** How long a service keeps serving after SIGTERM while Kubernetes removes its endpoints. */
const SHUTDOWN_DELAY_MS = 5000;
const SHUTDOWN_TIMEOUT_MS = KIT_SETTINGS.properties.RDS_SHUTDOWN_TIMEOUT_MS.default;
/** Above the kit's delay plus its bound on in-flight requests, with room to close pools. */
const GRACE_SECONDS = Math.ceil((SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS) / 1000) + 10;

const DATA_DIR = '/data';
/**
 * Values for settings whose own default does not suit a container. A required setting without a
 * default, and not named here, takes the first of its schema's `examples` (as the ports made by
 * `rds new port` give for their server): a placeholder for an overlay to replace.
 */
const DEPLOYMENT_VALUES: Record<string, string> = {
  RDS_LOCAL_FOLDER_ROOT: `${DATA_DIR}/local-folder`,
  RDS_LOCAL_ARCHIVE_ROOT: `${DATA_DIR}/local-archive`,
  // Examples: an overlay sets the bucket (and endpoint) of the S3 storage and the servers it offers.
  RDS_S3_BUCKET: 'research-data',
  RDS_INVENIO_URL: 'https://sandbox.zenodo.org',
  RDS_WEBDAV_SERVER_URL: 'https://nextcloud.example.org',
  // web signs users in with the institution's identity provider (its client secret is a Secret);
  // without one it would serve a single local user, and refuses to listen beyond localhost.
  RDS_OIDC_ISSUER: 'https://login.example.org/realms/research',
  RDS_OIDC_CLIENT_ID: 'rds',
  RDS_WEB_PUBLIC_URL: 'https://rds.example.org',
};
/** Every RDS service shares these, beyond the service URLs; an overlay may change them. */
const SHARED_CONFIG: Record<string, string> = {
  LOG_LEVEL: 'info',
  RDS_SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
};
/** Set by an overlay where there is a collector; every service reads it when present. */
const OPTIONAL_CONFIG = ['OTEL_EXPORTER_OTLP_ENDPOINT'];

/** Ports reach their external service, web the users' identity provider. */
const INTERNET_LAYERS: Layer[] = [0, 1];
/** Services of other layers that call outside the cluster, and why. */
const CALLS_OUTSIDE: Record<string, string> = {
  'token-storage': 'exchanges and refreshes OAuth tokens at the providers',
};

/** Settings that hold credentials: they come from the Secret, never from the ConfigMap. */
export function isSecretSetting(name: string): boolean {
  return name === 'DATABASE_URL' || /(SECRET|PASSWORD|TOKEN|_KEY)$/.test(name);
}

/** The PostgreSQL schema of a service: services sharing one database stay out of each other's way. */
function databaseSchema(service: string): string {
  return service.replace(/-/g, '_');
}

/** What the image fixes, read from deploy/Dockerfile so that nothing repeats it. */
export function imageDefaults(): { port: number; uid: number; gid: number } {
  const dockerfile = readFileSync(join(DEPLOY_ROOT, 'Dockerfile'), 'utf8');
  const port = /^\s*PORT=(\d+)/m.exec(dockerfile)?.[1];
  const user = /^USER (\d+):(\d+)$/m.exec(dockerfile);
  if (!port || !user)
    throw new Error('deploy/Dockerfile must set ENV PORT=<n> and USER <uid>:<gid>');
  return { port: Number(port), uid: Number(user[1]), gid: Number(user[2]) };
}

type Source =
  | { from: 'literal'; value: string }
  | { from: 'config'; optional?: true }
  | { from: 'secret'; optional?: true };

export interface Plan {
  name: string;
  layer: Layer;
  /** Every setting the deployment gives the service, in order. */
  env: { name: string; source: Source }[];
  /** The services it finds by `RDS_<SERVICE>_URL`. */
  calls: string[];
  database: boolean;
  internet: boolean;
  /** Node.js flags it starts with, on the command line (the image's entry point is `node bin/rds`). */
  nodeFlags: string[];
  /** Example values of its required settings that have no default. */
  examples: Record<string, string>;
}

function examplesOf(schema: SettingsSchema): Record<string, string> {
  const properties = schema.properties as Record<
    string,
    { default?: unknown; examples?: unknown[] }
  >;
  return Object.fromEntries(
    (schema.required ?? []).flatMap((name) => {
      const { default: fallback, examples } = properties[name] ?? {};
      const example = examples?.[0];
      return fallback === undefined && typeof example === 'string' ? [[name, example]] : [];
    }),
  );
}

/** The example values of every plan's settings, under the values this file sets. */
function valuesOf(all: Plan[]): Record<string, string> {
  return Object.assign({}, ...all.map((p) => p.examples), DEPLOYMENT_VALUES);
}

/** How each service is deployed, derived from its definition; throws where the rules are broken. */
export async function plans(): Promise<Plan[]> {
  const names = serviceNames();
  const definitions = await Promise.all(names.map((name) => loadService(name)));
  const layerOf = new Map(definitions.map((d) => [d.name, d.layer]));
  for (const name of Object.keys(CALLS_OUTSIDE)) {
    if (!layerOf.has(name)) throw new Error(`CALLS_OUTSIDE names ${name}, which is no service`);
  }
  const values = Object.assign(
    {},
    ...definitions.map((d) => examplesOf(settingsSchemaOf(d))),
    DEPLOYMENT_VALUES,
  );
  const config = new Set([
    ...Object.keys(configValues(names, () => '', values)),
    ...OPTIONAL_CONFIG,
  ]);
  const { port } = imageDefaults();

  return definitions.map((definition) => {
    const schema = settingsSchemaOf(definition);
    const required = new Set([...KIT_SETTINGS.required, ...(schema.required ?? [])]);
    const properties: Record<string, object> = {
      ...KIT_SETTINGS.properties,
      ...schema.properties,
    };
    const env: Plan['env'] = [
      { name: 'HOST', source: { from: 'literal', value: '0.0.0.0' } },
      { name: 'PORT', source: { from: 'literal', value: String(port) } },
    ];
    for (const name of Object.keys(properties).sort()) {
      if (name === 'HOST' || name === 'PORT') continue;
      if (name === 'RDS_DATABASE_SCHEMA') {
        env.push({ name, source: { from: 'literal', value: databaseSchema(definition.name) } });
      } else if (isSecretSetting(name)) {
        // Optional secrets may be left out of the Secret; PostgreSQL is no option in a cluster.
        const optional = !required.has(name) && name !== 'DATABASE_URL';
        env.push({ name, source: { from: 'secret', ...(optional ? { optional: true } : {}) } });
      } else if (OPTIONAL_CONFIG.includes(name)) {
        env.push({ name, source: { from: 'config', optional: true } });
      } else if (config.has(name)) {
        env.push({ name, source: { from: 'config' } });
      } else if (required.has(name) && !('default' in (properties[name] ?? {}))) {
        throw new Error(
          `${definition.name} requires ${name}, and deploy/generate.ts gives it no value: ` +
            'add one to DEPLOYMENT_VALUES there (or name the service it finds, if it is a URL)',
        );
      }
    }
    if (definition.findsPortsByName) {
      const ports = names.filter((name) => layerOf.get(name) === 1);
      for (const port of ports.filter((p) => !env.some((e) => e.name === envName(p))))
        env.push({ name: envName(port), source: { from: 'config' } });
      // HOST and PORT first, then by name, as for every other service.
      env.splice(2, Infinity, ...env.slice(2).sort((a, b) => a.name.localeCompare(b.name)));
    }
    if (envName(definition.name) in properties) {
      throw new Error(
        `${definition.name} has a setting ${envName(definition.name)}, but that name says where ` +
          `other services find ${definition.name} (RDS_<SERVICE>_URL): give the setting another name`,
      );
    }
    const calls = names.filter((callee) => env.some((e) => e.name === envName(callee)));
    for (const callee of calls) {
      const to = layerOf.get(callee)!;
      const forbidden = forbiddenCall(definition.layer, to);
      if (forbidden)
        throw new Error(
          `${definition.name} (layer ${definition.layer}) has ${envName(callee)}, but ${forbidden}, not ${to}`,
        );
    }
    return {
      name: definition.name,
      layer: definition.layer,
      env,
      calls,
      database: 'DATABASE_URL' in properties,
      nodeFlags: definition.streamsFiles ? STREAMING_NODE_FLAGS : [],
      examples: examplesOf(schema),
      internet: INTERNET_LAYERS.includes(definition.layer) || definition.name in CALLS_OUTSIDE,
    };
  });
}

/** The shared, non-secret settings: the ConfigMap, and the compose file's environment. */
function configValues(
  names: string[],
  urlOf: (service: string) => string,
  settingValues: Record<string, string>,
  used: (setting: string) => boolean = () => true,
): Record<string, string> {
  const values: Record<string, string> = { ...SHARED_CONFIG };
  for (const name of names) values[envName(name)] = urlOf(name);
  for (const [name, value] of Object.entries(settingValues)) if (used(name)) values[name] = value;
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
}

function selector(plan: Plan): Record<string, string> {
  return { [LABELS.name]: plan.name, ...PART_OF };
}

function labels(plan: Plan): Record<string, string> {
  return { ...selector(plan), [LABELS.layer]: String(plan.layer) };
}

function envVar({ name, source }: Plan['env'][number]): IEnvVar {
  switch (source.from) {
    case 'literal':
      return { name, value: source.value };
    case 'config':
      return {
        name,
        valueFrom: {
          configMapKeyRef: {
            name: CONFIG_MAP,
            key: name,
            ...(source.optional ? { optional: true } : {}),
          },
        },
      };
    case 'secret':
      return {
        name,
        valueFrom: {
          secretKeyRef: { name: SECRET, key: name, ...(source.optional ? { optional: true } : {}) },
        },
      };
  }
}

function deployment(plan: Plan): IDeployment {
  const { port, uid, gid } = imageDefaults();
  const probe = (path: string, periodSeconds: number, failureThreshold: number): IProbe => ({
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: plan.name, labels: labels(plan) },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector(plan) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: {
            ...labels(plan),
            ...(plan.database ? { [LABELS.database]: 'true' } : {}),
            ...(plan.internet ? { [LABELS.internet]: 'true' } : {}),
          },
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(port),
            'prometheus.io/path': ROUTES.metrics,
          },
        },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: GRACE_SECONDS,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: uid,
            runAsGroup: gid,
            fsGroup: gid,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: plan.name,
              image: IMAGE,
              imagePullPolicy: 'IfNotPresent',
              ...(plan.nodeFlags.length > 0 ? { command: entryPoint(plan) } : {}),
              args: ['serve', plan.name],
              ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
              env: plan.env.map(envVar),
              // Starting includes a port registering with token-storage, retried until it answers.
              startupProbe: probe(ROUTES.live, 5, 60),
              livenessProbe: probe(ROUTES.live, 10, 3),
              readinessProbe: probe(ROUTES.ready, 5, 3),
              resources: {
                requests: { cpu: '100m', memory: '192Mi' },
                limits: { cpu: '1', memory: '512Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'data', mountPath: DATA_DIR },
              ],
            },
          ],
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
            { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
          ],
        },
      },
    },
  };
}

function service(plan: Plan): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: plan.name, labels: labels(plan) },
    spec: {
      selector: selector(plan),
      ports: [{ name: 'http', port: SERVICE_PORT, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

function servicesPeer(names: string[]): INetworkPolicyPeer {
  return {
    podSelector: {
      matchLabels: PART_OF,
      matchExpressions: [{ key: LABELS.name, operator: 'In', values: names }],
    },
  };
}

/**
 * Everything is denied, then allowed: each service may call exactly the services it calls (its
 * declared callees and the URLs its settings name, as in its plan), and is called only by those
 * that call it; Prometheus may scrape every pod; DNS and an OTLP collector for all, PostgreSQL
 * and the internet for the pods labelled so.
 */
function networkPolicies(all: Plan[]): INetworkPolicy[] {
  const { port } = imageDefaults();
  const http: INetworkPolicyPort[] = [{ protocol: 'TCP', port }];
  const policy = (
    name: string,
    podSelector: Record<string, string>,
    spec: Omit<NonNullable<INetworkPolicy['spec']>, 'podSelector'>,
  ): INetworkPolicy => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels: PART_OF },
    spec: { podSelector: { matchLabels: { ...PART_OF, ...podSelector } }, ...spec },
  });
  const callersOf = (name: string) => all.filter((p) => p.calls.includes(name)).map((p) => p.name);
  return [
    policy('rds-default-deny', {}, { policyTypes: ['Ingress', 'Egress'] }),
    ...all.map(({ name, layer }) => {
      const from = callersOf(name);
      // Layer 0 is the public entry: anyone may call it, through whatever ingress there is.
      const rule = layer === 0 ? { ports: http } : { from: [servicesPeer(from)], ports: http };
      return policy(
        `rds-${name}-ingress`,
        { [LABELS.name]: name },
        { policyTypes: ['Ingress'], ingress: from.length > 0 || layer === 0 ? [rule] : [] },
      );
    }),
    ...all
      .filter((p) => p.calls.length > 0)
      .map(({ name, calls }) =>
        policy(
          `rds-${name}-egress`,
          { [LABELS.name]: name },
          { policyTypes: ['Egress'], egress: [{ to: [servicesPeer(calls)], ports: http }] },
        ),
      ),
    policy(
      'rds-prometheus-ingress',
      {},
      {
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: {}, podSelector: { matchLabels: PROMETHEUS } }],
            ports: http,
          },
        ],
      },
    ),
    policy(
      'rds-dns-egress',
      {},
      {
        policyTypes: ['Egress'],
        egress: [
          {
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    ),
    policy(
      'rds-otlp-egress',
      {},
      {
        policyTypes: ['Egress'],
        egress: [
          {
            ports: [
              { protocol: 'TCP', port: 4317 },
              { protocol: 'TCP', port: 4318 },
            ],
          },
        ],
      },
    ),
    policy(
      'rds-postgresql-egress',
      { [LABELS.database]: 'true' },
      { policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'TCP', port: 5432 }] }] },
    ),
    policy(
      'rds-internet-egress',
      { [LABELS.internet]: 'true' },
      {
        policyTypes: ['Egress'],
        egress: [
          {
            ports: [
              { protocol: 'TCP', port: 443 },
              { protocol: 'TCP', port: 80 },
            ],
          },
        ],
      },
    ),
  ];
}

export const PLACEHOLDER = 'CHANGE-ME';
/** How to make each secret, for the template's comment. */
const SECRET_HINTS: Record<string, string> = {
  DATABASE_URL: 'postgres://<user>:<password>@<host>:5432/<database>',
  RDS_SERVICE_SECRET: 'at least 32 characters, e.g. `openssl rand -hex 32`',
  RDS_ENCRYPTION_KEY: '32 random bytes in base64, e.g. `openssl rand -base64 32`',
};

function secretTemplate(keys: string[]): ISecret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: SECRET, labels: PART_OF },
    type: 'Opaque',
    stringData: Object.fromEntries(keys.map((key) => [key, PLACEHOLDER])),
  };
}

function compose(all: Plan[]): object {
  const { port } = imageDefaults();
  const names = all.map((p) => p.name);
  const values = configValues(names, (name) => `http://${name}:${port}`, valuesOf(all));
  const database = all.some((p) => p.database);
  const required = (name: string) =>
    `\${${name}:?set ${name} in deploy/.env, see deploy/README.md}`;
  const environment = (plan: Plan) =>
    Object.fromEntries(
      plan.env.map(({ name, source }) => {
        if (source.from === 'literal') return [name, source.value];
        if (source.from === 'config')
          return [name, source.optional ? `\${${name}:-}` : values[name]!];
        if (name === 'DATABASE_URL')
          return [name, `postgres://rds:${required('POSTGRES_PASSWORD')}@postgres:5432/rds`];
        return [name, source.optional ? `\${${name}:-}` : required(name)];
      }),
    );
  const ready = `fetch('http://127.0.0.1:${port}${ROUTES.ready}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  const services: Record<string, object> = {};
  if (database) {
    services.postgres = {
      image: 'postgres:16',
      environment: {
        POSTGRES_USER: 'rds',
        POSTGRES_DB: 'rds',
        POSTGRES_PASSWORD: required('POSTGRES_PASSWORD'),
      },
      healthcheck: {
        test: ['CMD', 'pg_isready', '-U', 'rds', '-d', 'rds'],
        interval: '5s',
        timeout: '3s',
        retries: 20,
      },
      volumes: ['postgres-data:/var/lib/postgresql/data'],
      restart: 'unless-stopped',
    };
  }
  let published = port;
  for (const plan of all) {
    const dependsOn = {
      ...(plan.database ? { postgres: { condition: 'service_healthy' } } : {}),
      ...Object.fromEntries(plan.calls.map((callee) => [callee, { condition: 'service_healthy' }])),
    };
    services[plan.name] = {
      image: '${RDS_IMAGE:-rds:dev}',
      ...(plan.nodeFlags.length > 0 ? { entrypoint: entryPoint(plan) } : {}),
      command: ['serve', plan.name],
      environment: environment(plan),
      ...(Object.keys(dependsOn).length > 0 ? { depends_on: dependsOn } : {}),
      // The public entry only, and on this machine only.
      ...(plan.layer === 0 ? { ports: [`127.0.0.1:${published++}:${port}`] } : {}),
      healthcheck: {
        test: ['CMD', 'node', '-e', ready],
        interval: '5s',
        timeout: '3s',
        retries: 3,
        start_period: '120s',
      },
      read_only: true,
      tmpfs: ['/tmp'],
      volumes: [`${plan.name}-data:${DATA_DIR}`],
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
      stop_grace_period: `${GRACE_SECONDS}s`,
      restart: 'unless-stopped',
    };
  }
  const volumes = Object.fromEntries(
    [...(database ? ['postgres-data'] : []), ...names.map((n) => `${n}-data`)].map((v) => [v, {}]),
  );
  return { name: 'rds', services, volumes };
}

function header(comment: string): string {
  return `${[
    'Generated by deploy/generate.ts from the services in cli/src/services.ts. Do not edit: run',
    '`node --import tsx deploy/generate.ts`.',
    ...comment.split('\n'),
  ]
    .map((line) => `# ${line}`.trimEnd())
    .join('\n')}\n`;
}

/** The image's entry point (deploy/Dockerfile) with the service's Node.js flags. */
function entryPoint(plan: Plan): string[] {
  return ['node', ...plan.nodeFlags, 'bin/rds'];
}

/** YAML, with short lists of plain values on one line (`args: [serve, web]`). */
function yamlOf(comment: string, ...documents: object[]): string {
  const text = documents.map((object) => {
    const document = new Document(object, { aliasDuplicateObjects: false });
    visit(document, {
      Seq: (_, node) => {
        const values = node.items.map((item) => (isScalar(item) ? String(item.value) : null));
        if (values.every((v) => v !== null) && values.join(', ').length <= 60) node.flow = true;
      },
    });
    return document.toString({ lineWidth: 0 });
  });
  return header(comment) + text.join('---\n');
}

/** Every generated file, by its path under deploy/, formatted as Prettier leaves it. */
export async function generatedFiles(): Promise<Record<string, string>> {
  const all = await plans();
  const names = all.map((p) => p.name);
  const used = (setting: string) => all.some((p) => p.env.some((e) => e.name === setting));
  const config = configValues(
    names,
    (name) => `http://${name}:${SERVICE_PORT}`,
    valuesOf(all),
    used,
  );
  const secrets = all.flatMap((p) => p.env.filter((e) => e.source.from === 'secret'));
  // A key is optional in the Secret only where every service that reads it can do without.
  const optionalSecrets = new Set(
    secrets
      .map((e) => e.name)
      .filter((key) =>
        secrets.every((e) => e.name !== key || ('optional' in e.source && e.source.optional)),
      ),
  );
  const secretKeys = [
    ...new Set(
      all.flatMap((p) => p.env.filter((e) => e.source.from === 'secret').map((e) => e.name)),
    ),
  ].sort();

  const files: Record<string, string> = {};
  for (const plan of all) {
    files[`${BASE}/${plan.name}.yaml`] = yamlOf(
      `${plan.name}: layer ${plan.layer}.`,
      deployment(plan),
      service(plan),
    );
  }
  files[`${BASE}/network-policies.yaml`] = yamlOf(
    'Each service calls only the services it calls, and calls go down only: 0 → 2 → 3 and ' +
      '2 → 1 → 3. Prometheus may scrape every pod.',
    ...networkPolicies(all),
  );
  files[`${BASE}/${CONFIG_MAP}.env`] =
    header('The ConfigMap every service reads its shared, non-secret settings from.') +
    Object.entries(config)
      .map(([name, value]) => `${name}=${value}\n`)
      .join('');
  files[`${BASE}/secret.example.yaml`] = yamlOf(
    [
      'A template of the Secret the services read, with exactly the keys they need. It is not part',
      'of the kustomization: fill in a copy outside the repository and apply it to the namespace',
      'yourself, or create the Secret another way (deploy/README.md). The keys:',
      ...secretKeys.map(
        (key) =>
          `  ${key}: ${SECRET_HINTS[key] ?? 'as its service documents it'}` +
          (optionalSecrets.has(key) ? ' (optional)' : ''),
      ),
    ].join('\n'),
    secretTemplate(secretKeys),
  );
  files[`${BASE}/kustomization.yaml`] = yamlOf(
    'The base: every RDS service, without a namespace.',
    {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['network-policies.yaml', ...names.map((name) => `${name}.yaml`)],
      configMapGenerator: [
        { name: CONFIG_MAP, envs: [`${CONFIG_MAP}.env`], options: { labels: PART_OF } },
      ],
    },
  );
  files['compose.yaml'] = yamlOf(
    'Every service on one workstation, split as in production, with PostgreSQL. See deploy/README.md.',
    compose(all),
  );

  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith('.yaml')) {
      const filepath = join(DEPLOY_ROOT, path);
      files[path] = await format(text, { ...(await resolveConfig(filepath)), filepath });
    }
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [path, text] of Object.entries(await generatedFiles())) {
    const file = join(DEPLOY_ROOT, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    process.stdout.write(`deploy/${path}\n`);
  }
}
