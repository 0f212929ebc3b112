import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { readRepoFile, readYamlFolder, repoPath } from './deploy-files.js';
import { renderChart } from './helm-render.js';

const CHART = repoPath('deploy', 'helm', 'chronicle');
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};

type K8sObject = Record<string, any>;

function objectsOf(rendered: Record<string, string>): K8sObject[] {
  return Object.entries(rendered).flatMap(([file, text]) => parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    return doc.toJS() as K8sObject | null;
  })).filter((o): o is K8sObject => o !== null);
}

const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
const containersOf = (o: K8sObject): K8sObject[] => o.spec?.template?.spec?.containers ?? [];

describe('the Helm chart (deploy/helm/chronicle)', () => {
  it('is a chart: Chart.yaml apiVersion v2 with a version, and values.yaml', () => {
    const chart = parse(readRepoFile('deploy', 'helm', 'chronicle', 'Chart.yaml'));
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'chronicle', type: 'application', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it('renders, with its default values, exactly the deploy/k8s manifests (the chart is templated from them)', () => {
    const rendered = objectsOf(renderChart(CHART, { namespace: 'chronicle' }));
    for (const o of rendered) for (const c of containersOf(o)) {
      expect(c.imagePullPolicy, key(o)).toBe('IfNotPresent');
      delete c.imagePullPolicy;
    }
    const manifests = readYamlFolder('deploy', 'k8s').map((d) => d.value).filter((o) => !['Kustomization', 'Namespace', 'Secret'].includes(o.kind)); // The Secret is the user's (secretName).
    expect(new Map(rendered.map((o) => [key(o), o]))).toEqual(new Map(manifests.map((o) => [key(o), o])));
  });

  it('renders valid Kubernetes objects with other values: namespace, registry, tag, replicas, autoscaling, no ingress', () => {
    const rendered = objectsOf(renderChart(CHART, {
      namespace: 'workflows',
      values: { image: { registry: 'registry.example.com/', tag: '1.2.3' }, gateway: { replicas: 5 }, executor: { autoscaling: { maxReplicas: 24 } }, ingress: { enabled: false }, secretName: 'prod-secrets', config: { CHRONICLE_LOG_LEVEL: 'debug' } },
    }));
    for (const o of rendered) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, key(o)).toBeTypeOf('function');
      expect(() => new Model!(o).validate(), key(o)).not.toThrow();
      expect(o.metadata.namespace, key(o)).toBe('workflows');
      for (const c of containersOf(o)) expect(c.image, key(o)).toMatch(/^registry\.example\.com\/chronicle-(gateway|executor|scheduler|projection|tools):1\.2\.3$/);
    }
    const byKey = new Map(rendered.map((o) => [key(o), o]));
    expect(byKey.get('Deployment/chronicle-gateway')!.spec.replicas).toBe(5);
    expect(byKey.get('HorizontalPodAutoscaler/chronicle-executor')!.spec.maxReplicas).toBe(24);
    expect(byKey.has('Ingress/chronicle')).toBe(false);
    expect(byKey.get('ConfigMap/chronicle-config')!.data).toMatchObject({ CHRONICLE_LOG_LEVEL: 'debug', PORT: '8080' });
    expect(JSON.stringify(byKey.get('Deployment/chronicle-gateway'))).toContain('"prod-secrets"');
    expect(JSON.stringify(byKey.get('Deployment/chronicle-gateway'))).not.toContain('"chronicle-secrets"');
  });

  it('a value the templates use that values.yaml lacks fails the render (the check bites)', () => {
    expect(() => renderChart(CHART, { namespace: 'x', values: { gateway: null } as never })).toThrow(/gateway\.replicas is not defined/);
  });
});
