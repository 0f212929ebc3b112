import { configVariables } from '@chronicle/runtime';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { readYamlFolder, type YamlDocument } from './deploy-files.js';

/** The Kubernetes models (kubernetes-models: validators generated from the Kubernetes OpenAPI schemas). */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};
const ROLES = ['gateway', 'executor', 'scheduler', 'projection'];

const documents = readYamlFolder('deploy', 'k8s');
const objects = documents.filter((d) => d.value.kind !== 'Kustomization');
const ofKind = (kind: string) => objects.filter((d) => d.value.kind === kind).map((d) => d.value);
const deployments = new Map(ofKind('Deployment').map((d) => [d.metadata.name as string, d]));
const podLabels = (workload: Record<string, any>) => workload.spec.template.metadata.labels as Record<string, string>;
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
const where = (d: YamlDocument) => `${d.file}#${d.index} ${d.value.kind}/${d.value.metadata?.name}`;

describe('deploy/k8s manifests', () => {
  it('are Kubernetes objects valid against their API schemas', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const doc of objects) {
      const Model = MODELS[`${doc.value.apiVersion}/${doc.value.kind}`];
      expect(Model, `${where(doc)}: a kind these manifests are expected to use`).toBeTypeOf('function');
      expect(() => new Model(doc.value).validate(), where(doc)).not.toThrow();
      expect(doc.value.metadata?.namespace ?? (doc.value.kind === 'Namespace' ? 'chronicle' : undefined), where(doc)).toBe('chronicle');
    }
  });

  it('would be rejected by those schemas with a mistake in it (the check bites)', () => {
    const broken = structuredClone(deployments.get('chronicle-gateway')!);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    expect(() => new Deployment(broken).validate()).toThrow(/containerPort/);
  });

  it('run the four services with probes on /readyz and /healthz, resources and a non-root user', () => {
    expect([...deployments.keys()].sort()).toEqual(ROLES.map((r) => `chronicle-${r}`).sort());
    for (const [name, deployment] of deployments) {
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot, name).toBe(true);
      expect(pod.automountServiceAccountToken, name).toBe(false);
      expect(selects(deployment.spec.selector.matchLabels, podLabels(deployment)), name).toBe(true);
      for (const container of pod.containers) {
        const ports = container.ports.map((p: { name: string }) => p.name);
        expect(container.readinessProbe.httpGet.path, name).toBe('/readyz');
        expect(container.livenessProbe.httpGet.path, name).toBe('/healthz');
        expect(ports, name).toContain(container.readinessProbe.httpGet.port);
        expect(ports, name).toContain(container.livenessProbe.httpGet.port);
        expect(Object.keys(container.resources.requests).sort(), name).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources.limits).sort(), name).toEqual(['cpu', 'memory']);
        expect(container.securityContext.allowPrivilegeEscalation, name).toBe(false);
      }
    }
  });

  it('take settings from the ConfigMap and secrets from the Secret, naming only known settings', () => {
    const known = new Set(configVariables().map((v) => v.name));
    const config = ofKind('ConfigMap').find((c) => c.metadata.name === 'chronicle-config')!;
    for (const key of Object.keys(config.data)) expect(known, `ConfigMap key ${key}`).toContain(key);
    const secret = ofKind('Secret').find((s) => s.metadata.name === 'chronicle-secrets')!;
    for (const key of Object.keys(secret.stringData)) expect(known, `Secret key ${key}`).toContain(key);
    for (const workload of [...deployments.values(), ...ofKind('Job')]) {
      const container = workload.spec.template.spec.containers[0];
      const name = workload.metadata.name;
      expect(container.envFrom, name).toContainEqual({ configMapRef: { name: 'chronicle-config' } });
      const env = new Map<string, any>((container.env ?? []).map((e: { name: string }) => [e.name, e]));
      for (const variable of env.keys()) expect(known, `${name}: ${variable}`).toContain(variable);
      for (const variable of ['DATABASE_URL', 'EVENTSTORE_URL', 'CHRONICLE_TOKENS']) {
        const from = env.get(variable)?.valueFrom?.secretKeyRef;
        if (from) expect(from, `${name}: ${variable}`).toMatchObject({ name: 'chronicle-secrets', key: variable });
      }
      if (name !== 'chronicle-topics') expect(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef, name).toBeTruthy();
    }
    expect(new Map<string, any>(deployments.get('chronicle-gateway')!.spec.template.spec.containers[0].env.map((e: any) => [e.name, e])).get('CHRONICLE_TOKENS')).toBeTruthy();
    const healthPort = Number(config.data.HEALTH_PORT);
    for (const role of ['executor', 'scheduler', 'projection']) {
      expect(deployments.get(`chronicle-${role}`)!.spec.template.spec.containers[0].ports[0].containerPort, role).toBe(healthPort);
    }
    expect(deployments.get('chronicle-gateway')!.spec.template.spec.containers[0].ports[0].containerPort).toBe(Number(config.data.PORT));
  });

  it('scale the executor with a HorizontalPodAutoscaler and keep the projection single-active', () => {
    const [hpa] = ofKind('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'chronicle-executor' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(deployments.get('chronicle-executor')!.spec.replicas, 'the HPA owns the executor count').toBeUndefined();
    const projection = deployments.get('chronicle-projection')!;
    expect(projection.spec.replicas).toBe(1);
    expect(projection.spec.strategy.type).toBe('Recreate');
    for (const role of ['gateway', 'scheduler']) expect(deployments.get(`chronicle-${role}`)!.spec.replicas, role).toBeGreaterThanOrEqual(2);
  });

  it('cover every service with a PodDisruptionBudget', () => {
    const budgets = ofKind('PodDisruptionBudget');
    for (const [name, deployment] of deployments) {
      expect(budgets.filter((b) => selects(b.spec.selector.matchLabels, podLabels(deployment))).length, name).toBe(1);
    }
  });

  it('expose the gateway through a Service and an Ingress', () => {
    const [service] = ofKind('Service');
    const gateway = deployments.get('chronicle-gateway')!;
    expect(selects(service.spec.selector, podLabels(gateway))).toBe(true);
    expect(gateway.spec.template.spec.containers[0].ports.map((p: { name: string }) => p.name)).toContain(service.spec.ports[0].targetPort);
    const [ingress] = ofKind('Ingress');
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe(service.metadata.name);
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain(backend.port.name);
  });

  it('are all listed by kustomization.yaml, except the example Secret', () => {
    const kustomization = documents.find((d) => d.value.kind === 'Kustomization')!.value;
    const files = [...new Set(objects.map((d) => d.file))].filter((f) => f !== 'secret.example.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    const images = new Set(kustomization.images.map((i: { name: string }) => i.name));
    for (const workload of [...deployments.values(), ...ofKind('Job')]) {
      expect(images, workload.metadata.name).toContain(workload.spec.template.spec.containers[0].image.split(':')[0]);
    }
  });
});
