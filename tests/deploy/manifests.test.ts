/**
 * deploy/ checked against the services' own source: images, probes, ports, Services,
 * environment names, volumes, NATS wiring, secrets, kustomizations, compose, Dockerfile.
 * The second half breaks in-memory copies on purpose, so each check is shown to fail.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKS,
  composeDocs,
  containers,
  isOurImage,
  k8sObjects,
  parseImage,
  realLookingSecret,
  runAllChecks,
  serviceOfCommand,
} from './deploy.checks.js';
import { cloneInput, loadDeployInput, type DeployInput, type Obj } from './deploy.model.js';
import { checkRuntimes } from './checks/runtime.check.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let input: DeployInput;

beforeAll(() => {
  input = loadDeployInput(root);
});

/** The object of kind/name in a (copied) input, to change it. */
function obj(i: DeployInput, kind: string, name: string): Obj {
  const d = i.docs.find((x) => x.obj.kind === kind && x.obj.metadata?.name === name);
  if (!d) throw new Error(`${kind}/${name} not found in deploy/`);
  return d.obj;
}
const container = (i: DeployInput, deployment: string): Obj => obj(i, 'Deployment', deployment).spec.template.spec.containers[0];
const compose = (i: DeployInput): Obj => {
  const d = composeDocs(i)[0];
  if (!d) throw new Error('no compose file');
  return d.obj;
};

describe('deploy/ as written', () => {
  it('parses: every YAML file, every document', () => {
    expect(input.parseErrors).toEqual([]);
    expect(input.files).toContain('deploy/Dockerfile');
    expect(input.files).toContain('deploy/compose.yaml');
    expect(input.files).toContain('deploy/k8s/kustomization.yaml');
    // Multi-document files are read in full (nats.yaml holds five objects).
    expect(input.docs.filter((d) => d.file === 'deploy/k8s/nats.yaml').length).toBeGreaterThanOrEqual(4);
  });

  it('reads each service’s environment, port and endpoints from its source', () => {
    // If this fails, the source changed shape and the checks below would check nothing.
    expect(Object.keys(input.services).sort()).toEqual(['ingest', 'med-store', 'ocr-worker', 'web']);
    expect(input.services.ingest!.port).toEqual({ env: 'INGEST_PORT', fallback: 8081 });
    expect(input.services['med-store']!.port).toEqual({ env: 'MED_STORE_PORT', fallback: 8082 });
    expect(input.services['ocr-worker']!.port).toEqual({ env: 'WORKER_PORT', fallback: 8083 });
    expect(input.services.web!.port).toEqual({ env: 'PORT', fallback: 8080 });
    for (const s of ['ingest', 'med-store', 'ocr-worker']) expect(input.services[s]!.endpoints).toEqual(['/healthz', '/metrics', '/readyz']);
    expect(input.services.web!.endpoints).toEqual(['/healthz']);
    // web's /metrics is on a port of its own, never the one the tablets use.
    expect(input.services.web!.metricsPort).toEqual({ env: 'WEB_METRICS_PORT', fallback: 8084, endpoints: ['/healthz', '/metrics', '/readyz'] });
    expect(input.services.ingest!.metricsPort).toBeNull();
    for (const n of ['NATS_URL', 'NATS_USER', 'NATS_PASSWORD', 'STREAM_REPLICAS', 'LOG_LEVEL', 'DATA_DIR', 'HOST', 'DATABASE_URL', 'INGEST_URL', 'MED_STORE_URL']) {
      expect(input.knownEnv.has(n), n).toBe(true);
    }
    expect(input.services.web!.main).toBe('packages/web/dist/main.js');
  });

  for (const [name, check] of Object.entries(CHECKS)) {
    it(`has no ${name} problems`, () => {
      expect(check(input)).toEqual([]);
    });
  }

  it('meets the brief: 3-node JetStream, replicated streams, two workers, RWX data, one image', () => {
    const objects = k8sObjects(input);
    const nats = obj(input, 'StatefulSet', 'nats');
    expect(nats.spec.replicas).toBe(3);
    expect(parseImage(nats.spec.template.spec.containers[0].image)).toMatchObject({ repository: 'nats', tag: '2.12-alpine' });
    expect(nats.spec.volumeClaimTemplates.length).toBe(1);
    expect(obj(input, 'ConfigMap', 'nats-config').data['nats.conf']).toMatch(/jetstream\s*\{/);
    const cfg = obj(input, 'ConfigMap', 'rxscan-config').data;
    expect(cfg.STREAM_REPLICAS).toBe('3');
    expect(cfg.NATS_URL.split(',')).toHaveLength(3);
    expect(cfg).toMatchObject({ DATA_DIR: '/data', HOST: '0.0.0.0' });
    expect(obj(input, 'Deployment', 'ocr-worker').spec.replicas).toBe(2);
    expect(container(input, 'ocr-worker').resources.requests).toMatchObject({ cpu: '1', memory: '512Mi' });
    expect(obj(input, 'PersistentVolumeClaim', 'rxscan-data').spec.accessModes).toContain('ReadWriteMany');
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.name)).toEqual(['rxscan']);
    // The optional PostgreSQL is separate from the default kustomization.
    const base = input.docs.find((d) => d.file === 'deploy/k8s/kustomization.yaml')!.obj;
    expect(base.resources.join(' ')).not.toMatch(/postgres/);
    expect(parseImage(obj(input, 'StatefulSet', 'postgres').spec.template.spec.containers[0].image).tag).toBe('16');
    // Each RxScan container runs one service of the one image.
    const ours = containers(objects).filter((c) => isOurImage(c.spec.image));
    expect(ours.map((c) => serviceOfCommand(c.spec.command, input)?.name).sort()).toEqual(['ingest', 'med-store', 'ocr-worker', 'web']);
    expect(runAllChecks(input)).toEqual([]);
  });
});

describe('the checks catch broken deployments', () => {
  it('a probe on the wrong port', () => {
    const i = cloneInput(input);
    container(i, 'ingest').readinessProbe.httpGet.port = 8082;
    expect(CHECKS.probes(i)).toEqual([expect.stringMatching(/Deployment\/ingest container ingest: readinessProbe probes port 8082, which the container does not declare/), expect.stringMatching(/readinessProbe probes port 8082 but ingest listens on 8081 \(INGEST_PORT\)/)]);
  });

  it('a port variable that no longer matches the containerPort and probes', () => {
    const i = cloneInput(input);
    obj(i, 'ConfigMap', 'rxscan-config').data.MED_STORE_PORT = '9090';
    const problems = CHECKS.probes(i);
    expect(problems).toContainEqual(expect.stringMatching(/med-store listens on 9090 \(MED_STORE_PORT\) but the container declares ports 8082/));
    expect(problems).toContainEqual(expect.stringMatching(/livenessProbe probes port 8082 but med-store listens on 9090/));
    // compose still says 8082: the two deployments now disagree.
    expect(CHECKS.coverage(i)).toContainEqual('med-store: listens on 9090 in k8s but 8082 in compose');
  });

  it('a probe path the service does not serve, and liveness on readiness', () => {
    const i = cloneInput(input);
    container(i, 'web').readinessProbe.httpGet.path = '/readyz';
    container(i, 'ocr-worker').livenessProbe.httpGet.path = '/readyz';
    container(i, 'ingest').startupProbe.httpGet.path = '/health';
    const problems = CHECKS.probes(i);
    expect(problems).toContainEqual(expect.stringMatching(/container web: readinessProbe path \/readyz is not served by web/));
    expect(problems).toContainEqual(expect.stringMatching(/container ocr-worker: livenessProbe must use \/healthz, not \/readyz/));
    expect(problems).toContainEqual(expect.stringMatching(/container ingest: startupProbe path \/health is not served by ingest/));
  });

  it('a Service whose targetPort or selector misses the pods', () => {
    const i = cloneInput(input);
    obj(i, 'Service', 'med-store').spec.ports[0].targetPort = 8083;
    obj(i, 'Service', 'web').spec.selector['app.kubernetes.io/component'] = 'frontend';
    const problems = CHECKS.services(i);
    expect(problems).toContainEqual(expect.stringMatching(/Service\/med-store: targetPort 8083 is not a containerPort of .*Deployment\/med-store/));
    expect(problems).toContainEqual(expect.stringMatching(/Service\/web: its selector matches no pod template/));
  });

  it('a URL between services that points at the wrong port or host', () => {
    const i = cloneInput(input);
    const cfg = obj(i, 'ConfigMap', 'rxscan-config').data;
    cfg.INGEST_URL = 'http://ingest:8082';
    cfg.MED_STORE_URL = 'http://127.0.0.1:8082';
    cfg.NATS_URL = 'nats://nats-0.nats-headless:4222,nats://nats-1.nats-headless:4222,nats://nats-3.nats-headless:4222';
    const problems = CHECKS.services(i);
    expect(problems).toContainEqual(expect.stringMatching(/INGEST_URL http:\/\/ingest:8082: Service ingest has no port 8082/));
    expect(problems).toContainEqual(expect.stringMatching(/MED_STORE_URL http:\/\/127.0.0.1:8082: loopback/));
    expect(problems).toContainEqual(expect.stringMatching(/NATS_URL nats:\/\/nats-3.nats-headless:4222: StatefulSet nats has 3 replicas, so there is no pod nats-3/));
  });

  it('an environment variable no service reads, and a required one left out', () => {
    const i = cloneInput(input);
    container(i, 'ingest').env.push({ name: 'INGEST_PROT', value: '8081' });
    container(i, 'web').env = [{ name: 'DATABASE_URL', value: 'x' }];
    obj(i, 'ConfigMap', 'rxscan-config').data.OCR_WORKER_COUNT = '2';
    i.services['ocr-worker']!.required.add('WORKER_TOKEN');
    const problems = CHECKS.env(i);
    expect(problems).toContainEqual(expect.stringMatching(/container ingest: sets INGEST_PROT, which no packages\/\*\/src\/config.ts reads/));
    expect(problems).toContainEqual(expect.stringMatching(/container web: sets DATABASE_URL, which web does not read/));
    expect(problems).toContainEqual(expect.stringMatching(/container ocr-worker: sets OCR_WORKER_COUNT/));
    expect(problems).toContainEqual(expect.stringMatching(/container ocr-worker: ocr-worker needs WORKER_TOKEN \(no default\) and it is not set/));
    expect(problems).toContainEqual(expect.stringMatching(/compose.yaml service ocr-worker: ocr-worker needs WORKER_TOKEN/));
  });

  it('a secret reference to a key the Secret does not have', () => {
    const i = cloneInput(input);
    container(i, 'med-store').env.find((e: Obj) => e.name === 'DATABASE_URL').valueFrom.secretKeyRef.key = 'DB_URL';
    expect(CHECKS.env(i)).toContainEqual(expect.stringMatching(/env DATABASE_URL refers to Secret rxscan-secrets key DB_URL/));
  });

  it('images without a version, with latest, or with an invalid name', () => {
    const i = cloneInput(input);
    obj(i, 'StatefulSet', 'nats').spec.template.spec.containers[0].image = 'nats';
    container(i, 'web').image = 'ghcr.io/owner/rxscan:latest';
    container(i, 'ingest').image = 'ghcr.io/OWNER/rxscan:0.1.0';
    compose(i).services.nats.image = 'nats:latest';
    const problems = CHECKS.images(i);
    expect(problems).toContainEqual(expect.stringMatching(/StatefulSet\/nats container nats: image "nats" has no tag/));
    expect(problems).toContainEqual(expect.stringMatching(/container web: image "ghcr.io\/owner\/rxscan:latest" uses the tag latest/));
    expect(problems).toContainEqual(expect.stringMatching(/container ingest: image "ghcr.io\/OWNER\/rxscan:0.1.0" is not a valid reference/));
    expect(problems).toContainEqual(expect.stringMatching(/compose.yaml service nats: image "nats:latest" uses the tag latest/));
    expect(problems).toContainEqual(expect.stringMatching(/different RxScan images/));
  });

  it('a real-looking secret, in the example or in compose', () => {
    const i = cloneInput(input);
    obj(i, 'Secret', 'rxscan-secrets').stringData.NATS_PASSWORD = 'hunter2';
    obj(i, 'Secret', 'rxscan-secrets').stringData.DATABASE_URL = 'postgres://rxscan:Sup3rS3cret@postgres:5432/rxscan';
    compose(i).services.ingest.environment.NATS_PASSWORD = 'hunter2';
    const problems = CHECKS.secrets(i);
    expect(problems).toContainEqual(expect.stringMatching(/Secret\/rxscan-secrets: NATS_PASSWORD has a value that is not a placeholder/));
    expect(problems).toContainEqual(expect.stringMatching(/Secret\/rxscan-secrets: DATABASE_URL holds a URL with a real-looking password/));
    expect(problems).toContainEqual(expect.stringMatching(/service ingest: NATS_PASSWORD is written in the file/));
    expect(realLookingSecret('SOME_VALUE', 'q8ZtW1mN4bX7vK2pR9sLc3')).toMatch(/generated secret/);
    expect(realLookingSecret('NATS_PASSWORD', 'CHANGE_ME')).toBeNull();
    expect(realLookingSecret('DATABASE_URL', '/db/meds.sqlite')).toBeNull();
  });

  it('an example Secret listed in the kustomization', () => {
    const i = cloneInput(input);
    i.docs.find((d) => d.file === 'deploy/k8s/kustomization.yaml')!.obj.resources.push('secret.example.yaml');
    expect(CHECKS.secrets(i)).toContainEqual(expect.stringMatching(/lists the example Secret deploy\/k8s\/secret.example.yaml/));
  });

  it('a Service that injects a variable a service reads, with service links on', () => {
    const i = cloneInput(input);
    delete obj(i, 'ConfigMap', 'rxscan-config').data.INGEST_PORT;
    delete obj(i, 'Deployment', 'ingest').spec.template.spec.enableServiceLinks;
    expect(CHECKS.serviceLinks(i)).toEqual([expect.stringMatching(/container ingest: Service ingest injects INGEST_PORT=tcp:\/\/… .* ingest reads INGEST_PORT/)]);
  });

  it('the shared data volume made ReadWriteOnce, or not mounted at DATA_DIR', () => {
    const i = cloneInput(input);
    obj(i, 'PersistentVolumeClaim', 'rxscan-data').spec.accessModes = ['ReadWriteOnce'];
    container(i, 'med-store').volumeMounts.find((m: Obj) => m.name === 'data').mountPath = '/srv/data';
    const problems = CHECKS.volumes(i);
    expect(problems).toContainEqual(expect.stringMatching(/Deployment\/ocr-worker: 2 replicas share ReadWriteOnce claim rxscan-data/));
    expect(problems).toContainEqual(expect.stringMatching(/container ingest: DATA_DIR claim rxscan-data is not ReadWriteMany/));
    expect(problems).toContainEqual(expect.stringMatching(/container med-store: nothing persistent is mounted at DATA_DIR \/data/));
  });

  it('the SQLite volume under a rolling update', () => {
    const i = cloneInput(input);
    obj(i, 'Deployment', 'med-store').spec.strategy = { type: 'RollingUpdate' };
    expect(CHECKS.volumes(i)).toEqual([expect.stringMatching(/Deployment\/med-store: uses ReadWriteOnce claim med-store-db with a rolling update/)]);
  });

  it('NATS cluster wiring: routes, headless DNS, replicas', () => {
    const i = cloneInput(input);
    const cm = obj(i, 'ConfigMap', 'nats-config');
    cm.data['nats.conf'] = cm.data['nats.conf'].replace('nats://nats-2.nats-headless:6222', 'nats://nats-2.nats:6222');
    obj(i, 'Service', 'nats-headless').spec.publishNotReadyAddresses = false;
    obj(i, 'ConfigMap', 'rxscan-config').data.STREAM_REPLICAS = '5';
    const problems = CHECKS.nats(i);
    expect(problems).toContainEqual(expect.stringMatching(/nats.conf has no route to nats-2.nats-headless/));
    expect(problems).toContainEqual(expect.stringMatching(/Service\/nats-headless: needs publishNotReadyAddresses: true/));
    expect(problems).toContainEqual(expect.stringMatching(/STREAM_REPLICAS=5 but the cluster has 3 servers/));
  });

  it('a nats.conf variable the container does not set', () => {
    const i = cloneInput(input);
    const env = obj(i, 'StatefulSet', 'nats').spec.template.spec.containers[0].env as Obj[];
    obj(i, 'StatefulSet', 'nats').spec.template.spec.containers[0].env = env.filter((e) => e.name !== 'SERVER_NAME');
    expect(CHECKS.nats(i)).toEqual([expect.stringMatching(/nats.conf uses \$SERVER_NAME, which the container does not set/)]);
  });

  it('compose: a healthcheck on the wrong port, an unknown variable, a URL to a wrong port', () => {
    const i = cloneInput(input);
    const c = compose(i);
    c.services.ingest.healthcheck.test = c.services.ingest.healthcheck.test.map((s: string) => s.replace('8081', '8082'));
    c.services['ocr-worker'].environment.OCR_THREADS = '2';
    c.services.web.environment.MED_STORE_URL = 'http://med-store:8081';
    expect(CHECKS.compose(i)).toEqual([
      expect.stringMatching(/service ingest: healthcheck uses port 8082 but ingest listens on 8081 \(INGEST_PORT\)/),
      expect.stringMatching(/service web: MED_STORE_URL http:\/\/med-store:8081 but med-store listens on 8082/),
    ]);
    expect(CHECKS.env(i)).toEqual([expect.stringMatching(/service ocr-worker: sets OCR_THREADS, which no packages\/\*\/src\/config.ts reads/)]);
  });

  it('a service deployed in one place only', () => {
    const i = cloneInput(input);
    delete compose(i).services['ocr-worker'];
    i.docs = i.docs.filter((d) => !(d.obj.kind === 'Deployment' && d.obj.metadata?.name === 'web'));
    const problems = CHECKS.coverage(i);
    expect(problems).toContainEqual('deploy/compose.yaml: no service runs ocr-worker (packages/ocr-worker/dist/main.js)');
    expect(problems).toContainEqual('deploy/k8s: no workload runs web (packages/web/dist/main.js)');
  });

  it('a kustomization that misses a manifest or names a missing one', () => {
    const i = cloneInput(input);
    const k = i.docs.find((d) => d.file === 'deploy/k8s/kustomization.yaml')!.obj;
    k.resources = k.resources.filter((r: string) => r !== 'ocr-worker.yaml').concat('worker.yaml');
    expect(CHECKS.kustomize(i)).toEqual([
      'deploy/k8s/kustomization.yaml: resource deploy/k8s/worker.yaml does not exist',
      'deploy/k8s/kustomization.yaml: does not list deploy/k8s/ocr-worker.yaml',
    ]);
  });

  it('a Dockerfile that forgets a workspace, runs as root, or uses latest', () => {
    const i = cloneInput(input);
    i.dockerfile = i.dockerfile!.replace(/^COPY packages\/ops\/package.json.*$/m, '').replace(/^USER .*$/m, '').replace(/^FROM node:24-bookworm-slim$/m, 'FROM node:latest');
    expect(CHECKS.dockerfile(i)).toEqual([
      expect.stringMatching(/image "node:latest" uses the tag latest/),
      "deploy/Dockerfile: workspace packages/ops's package.json is not copied before npm ci",
      'deploy/Dockerfile: the final stage runs as root (no USER)',
    ]);
  });

  it('a NATS user allowed more or less than BUS_PERMISSIONS, or one service logged in as another', () => {
    const i = cloneInput(input);
    const cm = obj(i, 'ConfigMap', 'nats-config');
    cm.data['nats.conf'] = cm.data['nats.conf'].replace('"ocr.requested",\n', '"ocr.requested",\n            "ocr.completed",\n');
    i.texts['deploy/nats.conf'] = i.texts['deploy/nats.conf']!.replace('"$JS.ACK.MEDS.med-store.>",\n            "$JS.API.CONSUMER.INFO.OCR.ocr-worker"', '"$JS.ACK.MEDS.med-store.>"');
    container(i, 'ocr-worker').env.find((e: Obj) => e.name === 'NATS_PASSWORD').valueFrom.secretKeyRef.key = 'NATS_PASSWORD_MED_STORE';
    compose(i).services.ingest.environment.NATS_USER = 'ops';
    const problems = CHECKS.natsUsers(i);
    expect(problems).toContainEqual('deploy/k8s/nats.yaml ConfigMap/nats-config nats.conf: user ingest may publish ocr.completed, which BUS_PERMISSIONS does not allow');
    expect(problems).toContainEqual('deploy/nats.conf: user med-store may not publish $JS.API.CONSUMER.INFO.OCR.ocr-worker, which BUS_PERMISSIONS allows');
    expect(problems).toContainEqual(expect.stringMatching(/container ocr-worker: NATS_PASSWORD is Secret rxscan-secrets key NATS_PASSWORD_MED_STORE, but the NATS servers give user ocr-worker Secret rxscan-secrets key NATS_PASSWORD_OCR_WORKER/));
    expect(problems).toContainEqual('deploy/compose.yaml service ingest: connects to NATS as ops, not as its own user ingest');
  });

  it('BUS_PERMISSIONS changed without deploy/ following', () => {
    const i = cloneInput(input);
    i.busPermissions.ingest!.publish.push('ocr.purged');
    expect(CHECKS.natsUsers(i)).toEqual([
      'deploy/k8s/nats.yaml ConfigMap/nats-config nats.conf: user ingest may not publish ocr.purged, which BUS_PERMISSIONS allows',
      'deploy/nats.conf: user ingest may not publish ocr.purged, which BUS_PERMISSIONS allows',
    ]);
  });

  it('a Node.js out of support, or an old nats-server', () => {
    const i = cloneInput(input);
    i.dockerfile = i.dockerfile!.replace(/^FROM node:24-bookworm-slim AS build$/m, 'FROM node:20-bookworm-slim AS build').replace(/^FROM node:24-bookworm-slim$/m, 'FROM node:23-slim');
    obj(i, 'StatefulSet', 'nats').spec.template.spec.containers[0].image = 'nats:2.10-alpine';
    compose(i).services.nats.image = 'nats:alpine';
    expect(CHECKS.runtimes(i)).toEqual([
      'deploy/Dockerfile: node:20-bookworm-slim is not a Node.js LTS line (22, 24, 26)',
      'deploy/Dockerfile: node:23-slim is not a Node.js LTS line (22, 24, 26)',
      expect.stringMatching(/StatefulSet\/nats container nats: nats:2.10-alpine is older than a current nats-server 2.x \(at least 2.11\)/),
      'deploy/compose.yaml service nats: nats:alpine names no nats-server version line (e.g. nats:2.12-alpine)',
    ]);
    expect(checkRuntimes(input, new Date('2028-05-01'))).toEqual(['deploy/Dockerfile: node:24-bookworm-slim: Node.js 24 left support on 2028-04-30', 'deploy/Dockerfile: node:24-bookworm-slim: Node.js 24 left support on 2028-04-30']);
  });

  it('web scraped on the port the tablets use', () => {
    const i = cloneInput(input);
    obj(i, 'Deployment', 'web').spec.template.metadata.annotations['prometheus.io/port'] = '8080';
    expect(CHECKS.probes(i)).toEqual([expect.stringMatching(/Deployment\/web: prometheus.io\/port 8080 is not web's metrics port 8084 \(WEB_METRICS_PORT\)/)]);
  });

  it('missing resources', () => {
    const i = cloneInput(input);
    delete container(i, 'ocr-worker').resources.limits.memory;
    expect(CHECKS.resources(i)).toEqual([expect.stringMatching(/container ocr-worker: no resources.limits.memory/)]);
  });
});
