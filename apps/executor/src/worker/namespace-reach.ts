import { mayStartFlowIn, withinNamespace, type NamespaceAllowRule, type TaskJob } from '@chronicle/domain';
import { executionPrefix, namespacePath, storagePathOf, type InternalStorage } from '@chronicle/use-cases';
import { TaskFailure, type TaskServices } from '@chronicle/tasks';

/**
 * What a task run may reach of the stores: the KV store, namespace files and internal-storage files
 * of its flow's namespace, its children and those CHRONICLE_NAMESPACE_ALLOW allows — the rule
 * Subflows, log.Fetch and execution.Count follow. Kestra's open-source edition lets a flow reach any
 * namespace; Chronicle does not (issue 18): a token limited to teamA deploys flows in teamA, and
 * those flows must not read or change teamB's keys and files. A Subflow or ForEachItem child also
 * reads its parent execution's files (the files the parent passed it), wherever the parent runs.
 *
 * Applied once, to the services every task and the expression host get (task-services.ts), so a
 * new task cannot forget it.
 */
export function reachScopedServices(services: TaskServices, job: TaskJob): TaskServices {
  const reach = new NamespaceReach(job, services);
  return { ...services, kv: scopedKv(services.kv, reach), storage: scopedStorage(services.storage, reach) };
}

class NamespaceReach {
  private parentPrefix: Promise<string | undefined> | undefined;

  constructor(private readonly job: TaskJob, private readonly services: TaskServices) {}

  private get own(): string {
    if (!this.job.flow) throw new TaskFailure(`task type ${this.job.type} needs its flow's namespace, which its job lacks (dispatched by an older executor?)`);
    return this.job.flow.namespace;
  }

  private get rules(): readonly NamespaceAllowRule[] {
    return this.services.namespaceAllow ?? [];
  }

  checkNamespace(target: string, what: string): void {
    if (mayStartFlowIn(this.own, target, this.rules)) return;
    throw new TaskFailure(
      `a flow of namespace ${this.own} may not reach ${what} of namespace ${target}: only its own namespace, its children, or one allowed by CHRONICLE_NAMESPACE_ALLOW (e.g. ${this.own}->${target})`,
    );
  }

  /** A URI (or folder prefix) of the internal storage: under a reachable namespace, or the parent execution's. */
  async checkUri(uri: string): Promise<void> {
    const path = `${storagePathOf(uri).replace(/\/+$/, '')}/`;
    const under = (namespace: string) => namespace === '*' || path.startsWith(`/${namespacePath(namespace)}/`);
    if (under(this.own) || this.rules.some((rule) => withinNamespace(this.own, rule.from) && under(rule.to))) {
      await this.checkExecutionFolders(uri, path);
      return;
    }
    if (await this.underParentExecution(path)) return;
    throw new TaskFailure(
      `a flow of namespace ${this.own} may not reach the file ${uri}: only files of its own namespace, its children, one allowed by CHRONICLE_NAMESPACE_ALLOW, or its parent execution's`,
    );
  }

  /**
   * Storage paths are Kestra's, `<namespace as path>/<flow>/executions/<id>/`, so one path can read
   * two ways: `/teamA/sub/executions/<id>/` is under namespace teamA.sub's folder, and also the folder
   * of flow `sub` of teamA, its parent. An execution's folder belongs to the namespace its path names
   * (everything before `<flow>/executions/<id>`): a child namespace's flow must not read its parent's
   * flow's files by spelling them so. Decided from the path alone, never by looking the execution
   * up, so the answer is the same whether that execution exists (no probing for ids).
   */
  private async checkExecutionFolders(uri: string, path: string): Promise<void> {
    for (const [, namespaceFolder, flowId, id] of path.matchAll(/^\/((?:[^/]+\/)*?[^/]+)\/([^/]+)\/executions\/([0-9a-fA-F-]{36})\//g)) {
      if (id === this.job.executionId) continue;
      const namespace = namespaceFolder!.split('/').join('.');
      if (mayStartFlowIn(this.own, namespace, this.rules) || (await this.underParentExecution(path))) continue;
      throw new TaskFailure(
        `a flow of namespace ${this.own} may not reach the file ${uri}: its path is the folder of an execution of flow ${flowId} of namespace ${namespace}; only files of its own namespace, its children, one allowed by CHRONICLE_NAMESPACE_ALLOW (e.g. ${this.own}->${namespace}), or its parent execution's`,
      );
    }
  }

  private async underParentExecution(path: string): Promise<boolean> {
    const parent = await this.parentExecutionPrefix();
    return parent !== undefined && `kestra://${path}`.startsWith(parent);
  }

  private parentExecutionPrefix(): Promise<string | undefined> {
    this.parentPrefix ??= (async () => {
      const parent = await this.services.parentOf?.(this.job.executionId);
      return parent ? executionPrefix(parent) : undefined;
    })();
    return this.parentPrefix;
  }
}

function scopedKv(kv: TaskServices['kv'], reach: NamespaceReach): TaskServices['kv'] {
  return {
    get: async (namespace, key, now) => (reach.checkNamespace(namespace, 'the KV store'), kv.get(namespace, key, now)),
    put: async (namespace, key, value, options) => (reach.checkNamespace(namespace, 'the KV store'), kv.put(namespace, key, value, options)),
    list: async (namespace, now) => (reach.checkNamespace(namespace, 'the KV store'), kv.list(namespace, now)),
    delete: async (namespace, key, now) => (reach.checkNamespace(namespace, 'the KV store'), kv.delete(namespace, key, now)),
  };
}

function scopedStorage(storage: InternalStorage, reach: NamespaceReach): InternalStorage {
  return {
    put: async (uri, data, contentType) => (await reach.checkUri(uri), storage.put(uri, data, contentType)),
    get: async (uri) => (await reach.checkUri(uri), storage.get(uri)),
    stat: async (uri) => (await reach.checkUri(uri), storage.stat(uri)),
    delete: async (uri) => (await reach.checkUri(uri), storage.delete(uri)),
    deleteByPrefix: async (prefix) => (await reach.checkUri(prefix), storage.deleteByPrefix(prefix)),
    list: async (prefix) => (await reach.checkUri(prefix), storage.list(prefix)),
  };
}
