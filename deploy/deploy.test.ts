import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import { envName } from '@rds/kit';
import {
  KIT_SETTINGS,
  LAYER_CALLS,
  settingsSchemaOf,
  type AnyServiceDefinition,
} from '@rds/kit/host';
import { startTestService, type RunningService } from '@rds/kit/testing';
import { loadService, serviceNames } from '../cli/src/services.ts';
import {
  BASE,
  DEPLOY_ROOT,
  generatedFiles,
  imageDefaults,
  isSecretSetting,
  PLACEHOLDER,
} from './generate.ts';

const OVERLAY = join(DEPLOY_ROOT, 'kubernetes/overlays/example');
const NAMESPACE = 'rds';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** The kinds the manifests may hold, each with its schema; any other kind fails the tests. */
const MODELS: Record<string, new (data: never) => { validate: () => void }> = {
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

function kustomize(dir: string): K8sObject[] {
  let out: string;
  try {
    out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(
      `\`kubectl kustomize ${dir}\` failed; kubectl 1.21 or newer must be on the PATH: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return parseAllDocuments(out).map((d) => d.toJS() as K8sObject);
}

function validate(object: K8sObject): void {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object as never).validate();
}

const secretTemplate = parse(
  readFileSync(join(DEPLOY_ROOT, BASE, 'secret.example.yaml'), 'utf8'),
) as K8sObject & { stringData: Record<string, string> };
const compose = parse(readFileSync(join(DEPLOY_ROOT, 'compose.yaml'), 'utf8')) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
interface ComposeService {
  image: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  healthcheck?: { test: string[] };
  read_only?: boolean;
}

let rendered: K8sObject[];
let definitions: AnyServiceDefinition[];
let deployments: Map<string, IDeployment>;
let configMap: IConfigMap;
let policies: INetworkPolicy[];

beforeAll(async () => {
  rendered = kustomize(OVERLAY);
  definitions = await Promise.all(serviceNames().map((name) => loadService(name)));
  deployments = new Map(
    rendered
      .filter((o) => o.kind === 'Deployment')
      .map((o) => [o.metadata.name, o as unknown as IDeployment]),
  );
  const configMaps = rendered.filter((o) => o.kind === 'ConfigMap');
  expect(configMaps).toHaveLength(1);
  configMap = configMaps[0] as unknown as IConfigMap;
  policies = rendered.filter((o) => o.kind === 'NetworkPolicy') as unknown as INetworkPolicy[];
});

function container(name: string): IContainer {
  const deployment = deployments.get(name);
  if (!deployment) throw new Error(`no Deployment ${name}`);
  return deployment.spec!.template.spec!.containers[0]!;
}

describe('generated files', () => {
  test('are current (run `node --import tsx deploy/generate.ts`)', async () => {
    const files = await generatedFiles();
    for (const [path, text] of Object.entries(files)) {
      expect(readFileSync(join(DEPLOY_ROOT, path), 'utf8'), path).toBe(text);
    }
    // Nothing left over from a service that is gone: the base holds generated files only.
    const base = readdirSync(join(DEPLOY_ROOT, BASE)).map((file) => `${BASE}/${file}`);
    expect(base.sort()).toEqual(
      Object.keys(files)
        .filter((p) => p.startsWith(BASE))
        .sort(),
    );
  });
});

describe('the image', () => {
  const dockerfile = readFileSync(join(DEPLOY_ROOT, 'Dockerfile'), 'utf8');

  test('runs `rds` as a non-root user on a fixed port, on Debian-slim Node 20', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-\w+-slim$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/rds"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["serve", /m);
    expect(dockerfile).toMatch(/^\s*HOST=0\.0\.0\.0/m);
    const { port, uid } = imageDefaults();
    expect(port).toBeGreaterThan(1024);
    expect(uid).toBeGreaterThan(0);
  });

  test('is built without what the repository keeps for development', () => {
    const ignored = readFileSync(join(DEPLOY_ROOT, '../.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '.git', '.rds', '**/.env']));
  });
});

describe('the rendered example overlay', () => {
  test('holds only objects of known kinds, each valid against the Kubernetes schema', () => {
    expect(rendered.length).toBeGreaterThan(0);
    for (const object of rendered) {
      expect(() => validate(object), `${object.kind} ${object.metadata.name}`).not.toThrow();
    }
    // The base renders on its own, too.
    for (const object of kustomize(join(DEPLOY_ROOT, BASE))) validate(object);
  });

  test('an object of an unknown kind fails validation', () => {
    expect(() =>
      validate({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } } as K8sObject),
    ).toThrow(/no schema/);
    expect(() =>
      validate({ apiVersion: 'v1', kind: 'Service', metadata: { name: 1 } } as never),
    ).toThrow();
  });

  test('puts everything in the namespace, with the image, replicas and collector it sets', () => {
    for (const object of rendered.filter((o) => o.kind !== 'Namespace')) {
      expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toBe(NAMESPACE);
    }
    for (const [name, deployment] of deployments) {
      expect(deployment.spec!.replicas, name).toBe(2);
      expect(container(name).image).toBe('registry.example.org/research-data-services/rds:0.1.0');
    }
    expect(configMap.data?.OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(/^https?:\/\//);
  });

  test('has a Deployment and a Service for every service, and no other', () => {
    const services = rendered.filter((o) => o.kind === 'Service') as unknown as IService[];
    expect([...deployments.keys()].sort()).toEqual(serviceNames().sort());
    expect(services.map((s) => s.metadata!.name).sort()).toEqual(serviceNames().sort());
    for (const definition of definitions) {
      const deployment = deployments.get(definition.name)!;
      const pod = deployment.spec!.template;
      expect(pod.metadata!.labels).toMatchObject({
        'app.kubernetes.io/name': definition.name,
        'app.kubernetes.io/part-of': 'rds',
        'rds.layer': String(definition.layer),
      });
      expect(container(definition.name).args).toEqual(['serve', definition.name]);
      const service = services.find((s) => s.metadata!.name === definition.name)!;
      expect(service.spec!.selector).toEqual(deployment.spec!.selector.matchLabels);
      expect(service.spec!.ports).toEqual([
        expect.objectContaining({ port: 80, targetPort: 'http' }),
      ]);
    }
  });

  test('listens where the image, the probes, the Service and Prometheus expect it', () => {
    const { port } = imageDefaults();
    for (const [name, deployment] of deployments) {
      const c = container(name);
      expect(c.ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
      expect(c.env).toEqual(
        expect.arrayContaining([
          { name: 'HOST', value: '0.0.0.0' },
          { name: 'PORT', value: String(port) },
        ]),
      );
      expect(deployment.spec!.template.metadata!.annotations).toEqual({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(port),
        'prometheus.io/path': '/metrics',
      });
      for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
        expect(probe?.httpGet?.port).toBe('http');
      }
    }
  });

  test('probes liveness and startup on /health/live and readiness on /health/ready', () => {
    for (const name of deployments.keys()) {
      const c = container(name);
      expect(c.livenessProbe?.httpGet?.path).toBe('/health/live');
      expect(c.startupProbe?.httpGet?.path).toBe('/health/live');
      expect(c.readinessProbe?.httpGet?.path).toBe('/health/ready');
      // A slow start (migrations, a port waiting for token-storage) must not restart the pod.
      const startup = c.startupProbe!;
      expect(startup.periodSeconds! * startup.failureThreshold!).toBeGreaterThanOrEqual(120);
    }
  });

  test('gives a pod longer to stop than the kit takes to drain and close', () => {
    const delay = Number(configMap.data!.RDS_SHUTDOWN_DELAY_MS);
    const timeout = KIT_SETTINGS.properties.RDS_SHUTDOWN_TIMEOUT_MS.default;
    expect(delay).toBeGreaterThan(0);
    for (const [name, deployment] of deployments) {
      const grace = deployment.spec!.template.spec!.terminationGracePeriodSeconds!;
      expect(grace * 1000, name).toBeGreaterThan(delay + timeout);
      expect(container(name).env).toContainEqual(
        expect.objectContaining({ name: 'RDS_SHUTDOWN_DELAY_MS' }),
      );
    }
  });

  test('runs every pod as the restricted Pod Security Standard asks, with requests and limits', () => {
    for (const [name, deployment] of deployments) {
      const pod = deployment.spec!.template.spec!;
      expect(pod.securityContext, name).toMatchObject({
        runAsNonRoot: true,
        runAsUser: imageDefaults().uid,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      const c = container(name);
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
      // Read-only root: tsx's cache in /tmp and the data folder are emptyDirs.
      const mounts = Object.fromEntries(c.volumeMounts!.map((m) => [m.mountPath, m.name]));
      for (const path of ['/tmp', '/data']) {
        const volume = pod.volumes!.find((v) => v.name === mounts[path]);
        expect(volume?.emptyDir, `${name} ${path}`).toBeDefined();
      }
      for (const kind of ['requests', 'limits'] as const) {
        expect(c.resources?.[kind]).toEqual({
          cpu: expect.anything(),
          memory: expect.anything(),
        });
      }
    }
  });

  test('gives each service only settings of its schema, and every one it cannot do without', () => {
    for (const definition of definitions) {
      const schema = settingsSchemaOf(definition);
      const properties: Record<string, object> = {
        ...KIT_SETTINGS.properties,
        ...schema.properties,
      };
      const env = container(definition.name).env!;
      const names = env.map((e) => e.name);
      const portUrls = definitions.filter((d) => d.layer === 1).map((d) => envName(d.name));
      const allowed = [
        ...Object.keys(properties),
        ...(definition.findsPortsByName ? portUrls : []),
      ];
      for (const name of names) expect(allowed, definition.name).toContain(name);
      // The ports a research context names are found at run time: every one must be there.
      if (definition.findsPortsByName)
        expect(names, definition.name).toEqual(expect.arrayContaining(portUrls));
      const required = [...KIT_SETTINGS.required, ...(schema.required ?? [])];
      for (const name of required.filter((r) => !('default' in (properties[r] ?? {})))) {
        expect(names, definition.name).toContain(name);
      }
      for (const other of serviceNames()) {
        if (envName(other) in properties) expect(names).toContain(envName(other));
      }
    }
  });

  test('starts the services that move files with the garbage-collector flags they need', () => {
    const movers = ['webdav', 'zenodo', 's3', 'local-folder', 'local-archive', 'exporter'];
    const flags = ['--min-semi-space-size=8', '--max-semi-space-size=8'];
    for (const definition of definitions) {
      // Without flags, the image's entry point: `node bin/rds`.
      const expected = movers.includes(definition.name) ? ['node', ...flags, 'bin/rds'] : undefined;
      expect(container(definition.name).command, definition.name).toEqual(expected);
      expect(container(definition.name).args, definition.name).toEqual(['serve', definition.name]);
      expect(compose.services[definition.name]!.entrypoint, definition.name).toEqual(expected);
    }
  });

  test('takes secrets from the Secret only, and everything else from the ConfigMap or literals', () => {
    const keys = Object.keys(secretTemplate.stringData);
    for (const name of deployments.keys()) {
      for (const variable of container(name).env!) {
        const secretRef = variable.valueFrom?.secretKeyRef;
        const configRef = variable.valueFrom?.configMapKeyRef;
        if (isSecretSetting(variable.name)) {
          expect(secretRef, `${name} ${variable.name}`).toMatchObject({
            name: 'rds-secrets',
            key: variable.name,
          });
          // A cluster's services keep their data in PostgreSQL: DATABASE_URL is never optional.
          if (variable.name === 'DATABASE_URL') expect(secretRef!.optional).toBeUndefined();
          expect(keys).toContain(variable.name);
        } else {
          expect(secretRef, `${name} ${variable.name}`).toBeUndefined();
        }
        if (configRef) {
          expect(configRef.name).toBe(configMap.metadata!.name);
          if (!configRef.optional) expect(Object.keys(configMap.data!)).toContain(configRef.key);
        }
      }
    }
    // The template lists exactly the keys the Deployments read.
    const read = new Set(
      [...deployments.keys()].flatMap((n) =>
        container(n).env!.flatMap((v) => v.valueFrom?.secretKeyRef?.key ?? []),
      ),
    );
    expect(keys.sort()).toEqual([...read].sort());
  });

  test('holds no Secret and no secret value: none in the ConfigMap, none in the repository', () => {
    expect(rendered.filter((o) => o.kind === 'Secret')).toEqual([]);
    const data = configMap.data!;
    for (const [name, value] of Object.entries(data)) {
      expect(isSecretSetting(name), name).toBe(false);
      expect(Object.keys(secretTemplate.stringData)).not.toContain(name);
      expect(value, name).not.toMatch(/:\/\/[^/@]*:[^/@]*@/); // no password in a URL
      expect(value, name).not.toMatch(/[A-Za-z0-9+/=_-]{32,}/); // no key-like string
    }
    expect(new Set(Object.values(data))).not.toContain(PLACEHOLDER);
    // The template holds placeholders only, and it is no part of what is applied.
    expect(Object.values(secretTemplate.stringData).every((v) => v === PLACEHOLDER)).toBe(true);
    validate(secretTemplate);
    const base = readFileSync(join(DEPLOY_ROOT, BASE, 'kustomization.yaml'), 'utf8');
    expect(base).not.toContain('secret.example.yaml');
  });

  test('finds every service at http://<service>:80 in the ConfigMap', () => {
    for (const name of serviceNames()) {
      expect(configMap.data![envName(name)]).toBe(`http://${name}:80`);
    }
  });
});

describe('the probe paths', () => {
  let running: RunningService;
  let dataDir: string;

  beforeAll(async () => {
    // One real kit service (token-storage on PGlite) answers the paths the manifests use; every
    // service gets these routes from the kit.
    dataDir = mkdtempSync(join(tmpdir(), 'rds-deploy-'));
    running = await startTestService(await loadService('token-storage'), {
      RDS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      RDS_DATA_DIR: dataDir,
    });
  });

  afterAll(async () => {
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('are served by a kit service, as is the scrape path', async () => {
    const paths = new Set<string>();
    for (const [name, deployment] of deployments) {
      const c = container(name);
      for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
        paths.add(probe!.httpGet!.path!);
      }
      paths.add(deployment.spec!.template.metadata!.annotations!['prometheus.io/path']!);
    }
    expect([...paths].sort()).toEqual(['/health/live', '/health/ready', '/metrics']);
    for (const path of paths) {
      const answer = await fetch(`${running.url}${path}`);
      expect(answer.status, path).toBe(200);
      await answer.arrayBuffer();
    }
  });
});

type Labels = Record<string, string>;
type Endpoint =
  | { kind: 'pod'; namespace: string; namespaceLabels: Labels; labels: Labels; ports: Labels }
  | { kind: 'outside' };
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function selects(selector: Selector, labels: Labels): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values }) => {
    switch (operator) {
      case 'In':
        return key in labels && values!.includes(labels[key]!);
      case 'NotIn':
        return !(key in labels) || !values!.includes(labels[key]!);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        throw new Error(`unknown operator ${operator}`);
    }
  });
  return byLabels && byExpressions;
}

function peerMatches(peer: INetworkPolicyPeer, namespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) {
    if (!['0.0.0.0/0', '::/0'].includes(peer.ipBlock.cidr) || peer.ipBlock.except?.length) {
      throw new Error(`this test cannot judge ipBlock ${JSON.stringify(peer.ipBlock)}`);
    }
    return other.kind === 'outside';
  }
  if (other.kind === 'outside') return false;
  const inNamespace = peer.namespaceSelector
    ? selects(peer.namespaceSelector, other.namespaceLabels)
    : other.namespace === namespace;
  return inNamespace && (!peer.podSelector || selects(peer.podSelector, other.labels));
}

function portMatches(
  ports: INetworkPolicyPort[] | undefined,
  protocol: string,
  port: number,
  destination: Endpoint,
): boolean {
  if (!ports?.length) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    const number =
      typeof p.port === 'number'
        ? p.port
        : destination.kind === 'pod'
          ? Number(destination.ports[p.port])
          : NaN;
    return p.endPort ? port >= number && port <= p.endPort : port === number;
  });
}

/** Whether the policies let `subject` receive from (Ingress) or send to (Egress) `other`. */
function lets(
  direction: 'Ingress' | 'Egress',
  subject: Endpoint,
  other: Endpoint,
  protocol: string,
  port: number,
): boolean {
  if (subject.kind !== 'pod') return true; // outside the cluster: no policy of ours applies
  const applying = policies.filter((p) => {
    const types = p.spec!.policyTypes ?? ['Ingress', ...(p.spec!.egress ? ['Egress'] : [])];
    return (
      p.metadata!.namespace === subject.namespace &&
      types.includes(direction) &&
      selects(p.spec!.podSelector, subject.labels)
    );
  });
  if (applying.length === 0) return true;
  const destination = direction === 'Ingress' ? subject : other;
  return applying.some((p) =>
    (direction === 'Ingress' ? p.spec!.ingress : p.spec!.egress)?.some((rule) => {
      const peers = 'from' in rule ? rule.from : 'to' in rule ? rule.to : undefined;
      const fromPeer =
        !peers?.length || peers.some((peer) => peerMatches(peer, subject.namespace, other));
      return fromPeer && portMatches(rule.ports, protocol, port, destination);
    }),
  );
}

function connects(from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  return lets('Egress', from, to, protocol, port) && lets('Ingress', to, from, protocol, port);
}

describe('the NetworkPolicies', () => {
  const pod = (labels: Labels, namespace = NAMESPACE): Endpoint => ({
    kind: 'pod',
    namespace,
    namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
    labels,
    ports: { http: String(imageDefaults().port) },
  });
  /** A pod of each layer: a rendered one where the layer has a service, else one labelled so. */
  const ofLayer = (layer: number): Endpoint => {
    const deployment = [...deployments.values()].find(
      (d) => d.spec!.template.metadata!.labels!['rds.layer'] === String(layer),
    );
    return pod(
      deployment?.spec!.template.metadata!.labels ?? {
        'app.kubernetes.io/name': `layer-${layer}`,
        'app.kubernetes.io/part-of': 'rds',
        'rds.layer': String(layer),
      },
    );
  };
  const port = () => imageDefaults().port;
  const outside: Endpoint = { kind: 'outside' };

  const ofService = (name: string) => pod(deployments.get(name)!.spec!.template.metadata!.labels!);
  /** The services a service is given the address of: the ones it calls. */
  const callsOf = (name: string) =>
    serviceNames().filter((other) => container(name).env!.some((e) => e.name === envName(other)));

  test('each service reaches exactly the services it calls, and calls go down only', () => {
    for (const from of definitions) {
      for (const to of definitions) {
        const calls = callsOf(from.name).includes(to.name);
        const reaches = connects(ofService(from.name), ofService(to.name), port());
        expect(reaches, `${from.name} → ${to.name}`).toBe(calls);
        // Calls go down only: 0 → 2 → 3 and 2 → 1 → 3 (docs/architecture.md).
        if (calls) expect(LAYER_CALLS[from.layer], `${from.name} → ${to.name}`).toContain(to.layer);
      }
    }
    // A use case that calls no port reaches none, though its layer may call ports.
    expect(connects(ofService('port-service'), ofService('local-folder'), port())).toBe(false);
  });

  test('from outside the namespace only layer 0 can be called', () => {
    const elsewhere = pod({ 'app.kubernetes.io/name': 'client' }, 'elsewhere');
    for (const layer of [0, 1, 2, 3]) {
      expect(connects(outside, ofLayer(layer), port()), `layer ${layer}`).toBe(layer === 0);
      expect(connects(elsewhere, ofLayer(layer), port()), `layer ${layer}`).toBe(layer === 0);
    }
    // Not even from a pod that claims a layer in another namespace.
    const impostor = pod({ 'app.kubernetes.io/part-of': 'rds', 'rds.layer': '2' }, 'elsewhere');
    expect(connects(impostor, ofLayer(3), port())).toBe(false);
  });

  test('Prometheus, in any namespace, scrapes every layer; on the service port only', () => {
    const prometheus = pod({ 'app.kubernetes.io/name': 'prometheus' }, 'monitoring');
    for (const layer of [0, 1, 2, 3]) {
      expect(connects(prometheus, ofLayer(layer), port()), `layer ${layer}`).toBe(true);
    }
    expect(connects(prometheus, ofLayer(3), 9229)).toBe(false);
    expect(connects(ofLayer(2), ofLayer(3), 5432)).toBe(false);
  });

  test('every pod resolves names and reaches an OTLP collector', () => {
    const dns = pod({ 'k8s-app': 'kube-dns' }, 'kube-system');
    const collector = pod({ 'app.kubernetes.io/name': 'otel-collector' }, 'observability');
    for (const layer of [0, 1, 2, 3]) {
      expect(connects(ofLayer(layer), dns, 53, 'UDP')).toBe(true);
      expect(connects(ofLayer(layer), dns, 53, 'TCP')).toBe(true);
      expect(connects(ofLayer(layer), collector, 4318)).toBe(true);
    }
  });

  test('only services with a database reach PostgreSQL', () => {
    for (const definition of definitions) {
      const hasDatabase = 'DATABASE_URL' in settingsSchemaOf(definition).properties;
      const self = pod(deployments.get(definition.name)!.spec!.template.metadata!.labels!);
      expect(connects(self, outside, 5432), definition.name).toBe(hasDatabase);
    }
  });

  test('ports and web reach the internet; use cases do not; central services only to refresh tokens', () => {
    // token-storage exchanges and refreshes OAuth tokens at the providers; nothing else in layer 3 calls out.
    for (const definition of definitions) {
      const self = pod(deployments.get(definition.name)!.spec!.template.metadata!.labels!);
      const expected = definition.layer <= 1 || definition.name === 'token-storage';
      expect(connects(self, outside, 443), definition.name).toBe(expected);
      expect(connects(self, outside, 22), definition.name).toBe(false);
    }
  });
});

describe('the compose file', () => {
  const { port } = imageDefaults();
  const secretish = /^\$\{[A-Z_]+:[?-][^}]*\}$/;

  test('runs every service from the one image, with PostgreSQL 16', () => {
    const { postgres, ...rest } = compose.services;
    expect(Object.keys(rest).sort()).toEqual(serviceNames().sort());
    for (const [name, service] of Object.entries(rest)) {
      expect(service.command).toEqual(['serve', name]);
      expect(service.image).toBe('${RDS_IMAGE:-rds:dev}');
      expect(service.read_only).toBe(true);
      expect(service.healthcheck?.test.join(' ')).toContain(`:${port}/health/ready`);
    }
    expect(postgres?.image).toBe('postgres:16');
    expect(postgres?.healthcheck?.test).toContain('pg_isready');
  });

  test('gives each service the settings its Deployment gets, the same values where shared', () => {
    for (const name of serviceNames()) {
      const environment = compose.services[name]!.environment!;
      const env = container(name).env!;
      expect(Object.keys(environment)).toEqual(env.map((e) => e.name));
      for (const variable of env) {
        const value = environment[variable.name]!;
        const key = variable.valueFrom?.configMapKeyRef?.key;
        if (variable.value !== undefined) expect(value).toBe(variable.value);
        else if (key && serviceNames().some((s) => envName(s) === key)) {
          expect(value).toBe(configMap.data![key]!.replace(/:80$/, `:${port}`));
        } else if (key && key in configMap.data! && key !== 'OTEL_EXPORTER_OTLP_ENDPOINT') {
          expect(value, key).toBe(configMap.data![key]);
        }
      }
      const callees = serviceNames().filter((s) => envName(s) in environment);
      for (const callee of callees) {
        expect(compose.services[name]!.depends_on?.[callee]).toEqual({
          condition: 'service_healthy',
        });
      }
      if ('DATABASE_URL' in environment) {
        expect(compose.services[name]!.depends_on?.postgres).toEqual({
          condition: 'service_healthy',
        });
      }
    }
  });

  test('holds no real secret: every one comes from the environment or deploy/.env', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (variable === 'DATABASE_URL') {
          expect(value).toMatch(
            /^postgres:\/\/rds:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\//,
          );
        } else if (isSecretSetting(variable)) {
          expect(value, `${name} ${variable}`).toMatch(secretish);
          const optional = deployments.has(name)
            ? container(name).env!.find((e) => e.name === variable)?.valueFrom?.secretKeyRef
                ?.optional
            : false;
          if (optional) expect(value).toBe(`\${${variable}:-}`);
          else expect(value).toMatch(/^\$\{[A-Z_]+:\?/);
        } else {
          expect(value, `${name} ${variable}`).not.toMatch(/[A-Za-z0-9+/=_-]{32,}/);
        }
      }
    }
  });

  test('publishes the public entry (layer 0) only, and on localhost only', () => {
    for (const definition of definitions) {
      const ports = compose.services[definition.name]!.ports;
      if (definition.layer === 0) {
        expect(ports?.length).toBe(1);
        expect(ports![0]).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\d+:${port}$`));
      } else {
        expect(ports, definition.name).toBeUndefined();
      }
    }
    expect(compose.services.postgres?.ports).toBeUndefined();
  });
});
