// The operator process: one client, watch caches for every kind it reads, one controller per kind,
// leader election (or shards), and the HTTP endpoints. Every replica keeps its caches warm; only the
// leader reconciles, or, with --shards, each replica the objects of the shards whose Leases it holds.
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { WREN_KINDS } from '../api/kinds.ts';
import type { ClusterAccess } from '../kube/cluster-access.ts';
import { KubeClient } from '../kube/client.ts';
import { Controller } from '../kube/controller.ts';
import { EventRecorder } from '../kube/events.ts';
import { Informer, type CacheShape } from '../kube/informer.ts';
import { LeaderElector } from '../kube/leader-election.ts';
import { ShardCoordinator } from '../shards/shard-coordinator.ts';
import { shardOfKey } from '../shards/shard-hash.ts';
import type { KubeObject } from '../kube/objects.ts';
import { WREN_RESOURCE_TYPES, type ResourceType } from '../kube/resource-types.ts';
import { KubeTransport } from '../kube/transport.ts';
import { closeServer, createHttpApp, listen } from '../server/http-server.ts';
import { OperatorMetrics } from '../server/metrics.ts';
import { USER_AGENT } from '../version.ts';
import type { OperatorOptions } from './options.ts';
import { ResourceValidationReconciler } from './resource-validation.ts';
import { createCanaryController } from '../canary/setup.ts';
import { createGitSyncController, type GitSyncParts } from '../gitsync/setup.ts';
import { requestReconcile, requestSync } from '../gitsync/sync-request.ts';
import { createImagePolicyController, type ImagePolicyParts } from '../imagepolicy/setup.ts';
import { GitWriteBack } from '../imagepolicy/git-write-back.ts';
import { GitCanaryReverter } from '../release/git-revert.ts';
import { readObjectData } from '../kube/object-data.ts';
import { CANARIES, IMAGE_POLICIES, SECRETS } from '../kube/resource-types.ts';
import { createGitWebhookRouter } from '../server/git-webhook.ts';
import { createRegistryWebhookRouter } from '../server/registry-webhook.ts';
import { createRevisionsRouter } from '../server/revisions-endpoint.ts';
import type { Canary } from '../api/canary.ts';
import { TokenReviews } from '../kube/token-review.ts';
import { createDashboard } from '../server/dashboard/dashboard.ts';
import { dashboardEffects } from '../server/dashboard/dashboard-effects.ts';

export class Operator {
  readonly metrics = new OperatorMetrics();
  readonly client: KubeClient;
  private readonly options: OperatorOptions;
  private readonly log: Logger;
  private readonly informers: Informer[] = [];
  private readonly lateInformers: Informer[] = [];
  private readonly controllers: Controller[] = [];
  private readonly elector: LeaderElector | undefined;
  private readonly shards: ShardCoordinator | undefined;
  private server: Server | undefined;
  private readonly gitSync: GitSyncParts;
  private readonly imagePolicies: ImagePolicyParts;
  private readonly canaries: Informer<Canary>;
  private stopping = false;

  constructor(access: ClusterAccess, options: OperatorOptions, log: Logger) {
    this.options = options;
    this.log = log;
    this.client = new KubeClient(new KubeTransport(access, USER_AGENT));
    this.client.observeRequests((verb, resource, code, seconds) => {
      this.metrics.apiRequests.inc({ verb, resource, code: String(code) });
      this.metrics.apiRequestDuration.observe({ verb }, seconds);
    });
    const events = new EventRecorder(this.client, log, options.identity);
    this.controllers.push(
      createCanaryController({
        client: this.client,
        events,
        metrics: this.metrics,
        log,
        workers: options.workers,
        defaultProvider: options.defaultProvider,
        ...(options.metricsServer ? { metricsServer: options.metricsServer } : {}),
        ...(options.ingressAnnotationsPrefix ? { ingressAnnotationsPrefix: options.ingressAnnotationsPrefix } : {}),
        informerFor: (type, shape) => this.informerFor(type, shape),
        startInformer: (type) => this.startInformer(type),
      }),
    );
    this.gitSync = createGitSyncController({
      client: this.client,
      events,
      metrics: this.metrics,
      log,
      workers: options.workers,
      ...(options.watchNamespace ? { watchNamespace: options.watchNamespace } : {}),
      cacheDir: options.gitSyncCacheDir,
      tools: options.tools,
      scope: {
        ...(options.clusterWideGitSyncs ? { clusterWideNamespace: options.leaseNamespace } : {}),
        ...(options.defaultServiceAccount ? { defaultServiceAccount: options.defaultServiceAccount } : {}),
      },
      informerFor: (type) => this.informerFor(type),
      reverterFor: (repositories) =>
        new GitCanaryReverter(
          this.client,
          repositories,
          new GitWriteBack({ cacheDir: join(options.gitSyncCacheDir, 'revert'), git: options.tools.git }),
        ),
    });
    this.controllers.push(this.gitSync.controller);
    this.imagePolicies = createImagePolicyController({
      client: this.client,
      events,
      metrics: this.metrics,
      log,
      workers: options.workers,
      cacheDir: options.gitSyncCacheDir,
      git: options.tools.git,
      gitSyncs: this.gitSync.gitSyncs,
      repositories: this.gitSync.repositories,
      informerFor: (type) => this.informerFor(type),
    });
    this.controllers.push(this.imagePolicies.controller);
    this.canaries = this.informerFor<Canary>(CANARIES);
    // Canary, GitSync and ImagePolicy report their own spec problems; the other kinds only need validation.
    const ownValidation = new Set(['Canary', 'GitSync', 'ImagePolicy']);
    for (const definition of WREN_KINDS.filter((kind) => !ownValidation.has(kind.kind))) {
      const type = WREN_RESOURCE_TYPES.find((candidate) => candidate.kind === definition.kind) as ResourceType;
      const informer = this.informerFor<KubeObject>(type);
      const reconciler = new ResourceValidationReconciler(definition, type, informer, this.client, events, {
        defaultProvider: options.defaultProvider,
      });
      const controller = new Controller(reconciler, { workers: options.workers, metrics: this.metrics, log });
      controller.watch(informer);
      this.controllers.push(controller);
    }
    // Each cache once: GitSync's live objects adopt some of the operator's own.
    this.metrics.observeCaches(() => [...new Set([...this.informers, ...this.lateInformers, ...this.gitSync.live.caches()])]);
    const renewIntervalMs = Math.max(1000, (options.leaseDurationSeconds * 1000) / 3);
    const renewDeadlineMs = (options.leaseDurationSeconds * 1000 * 2) / 3;
    this.shards =
      options.shards > 0
        ? new ShardCoordinator(
            this.client,
            {
              namespace: options.leaseNamespace,
              group: options.leaseName,
              identity: options.identity,
              shards: options.shards,
              leaseDurationSeconds: options.leaseDurationSeconds,
              roundIntervalMs: renewIntervalMs,
              renewDeadlineMs,
            },
            log,
          )
        : undefined;
    this.elector =
      options.leaderElection && !this.shards
        ? new LeaderElector(
            this.client,
            {
              namespace: options.leaseNamespace,
              name: options.leaseName,
              identity: options.identity,
              leaseDurationSeconds: options.leaseDurationSeconds,
              renewIntervalMs,
              retryIntervalMs: 2000,
              renewDeadlineMs,
            },
            log,
          )
        : undefined;
  }

  /** One watch per resource type, shared by every controller that reads it. */
  private informerFor<T extends KubeObject>(type: ResourceType, shape: CacheShape = {}): Informer<T> {
    const existing = this.informers.find((informer) => informer.type === type);
    if (existing) return existing as unknown as Informer<T>;
    const informer = new Informer<T>(this.client, type, this.log, { namespace: this.options.watchNamespace, ...shape });
    this.informers.push(informer as unknown as Informer);
    return informer;
  }

  /** A watch started on demand, after the operator is running; it does not gate readiness. */
  private startInformer<T extends KubeObject>(type: ResourceType): Informer<T> {
    const existing = this.lateInformers.find((informer) => informer.type === type);
    if (existing) return existing as unknown as Informer<T>;
    const informer = new Informer<T>(this.client, type, this.log, { namespace: this.options.watchNamespace });
    this.lateInformers.push(informer as unknown as Informer);
    informer.start();
    return informer;
  }

  /** POST /hooks/git: verified deliveries request a sync of the GitSyncs of that repository. */
  private gitWebhook() {
    const [namespace, name] = this.options.gitWebhookSecret.split('/') as [string, string];
    return createGitWebhookRouter({
      secret: () => this.secretToken(namespace, name),
      gitSyncs: () =>
        this.gitSync.gitSyncs
          .list()
          .map((sync) => ({ namespace: sync.metadata?.namespace ?? '', name: sync.metadata?.name ?? '', url: sync.spec?.url ?? '' })),
      requestSync: (syncNamespace, syncName) => requestSync(this.client, syncNamespace, syncName),
      log: this.log,
    });
  }

  /** POST /hooks/registry: authenticated pushes make the ImagePolicies of that repository scan now. */
  private registryWebhook() {
    const [namespace, name] = this.options.registryWebhookSecret.split('/') as [string, string];
    return createRegistryWebhookRouter({
      token: () => this.secretToken(namespace, name),
      policies: () =>
        this.imagePolicies.policies.list().map((policy) => ({
          namespace: policy.metadata?.namespace ?? '',
          name: policy.metadata?.name ?? '',
          image: policy.spec?.image ?? '',
        })),
      requestScan: (policyNamespace, policyName) => requestReconcile(this.client, IMAGE_POLICIES, policyNamespace, policyName),
      log: this.log,
    });
  }

  /** GET /api/v1/revisions/SHA: the verdict of a commit, from the caches every replica keeps. */
  private revisionsEndpoint() {
    const caches = [this.gitSync.gitSyncs, this.canaries];
    return createRevisionsRouter({
      gitSyncs: () => this.gitSync.gitSyncs.list(),
      canaries: () => this.canaries.list(),
      notReadyReason: () => {
        const unsynced = caches.filter((informer) => !informer.synced).map((informer) => informer.type.plural);
        return unsynced.length > 0 ? `caches not synced: ${unsynced.join(', ')}` : undefined;
      },
    });
  }

  /** GET /ui: the web dashboard, read from the caches; actions are patched with the operator's client. */
  private dashboard() {
    return createDashboard({
      caches: { canaries: this.canaries, gitsyncs: this.gitSync.gitSyncs, imagepolicies: this.imagePolicies.policies },
      reviewer: new TokenReviews(this.client),
      anonymousRead: this.options.dashboardAnonymousRead,
      log: this.log.child({ component: 'dashboard' }),
      effects: dashboardEffects(this.client),
    });
  }

  /** The "token" key of a webhook Secret, or undefined when there is none. */
  private async secretToken(namespace: string, name: string): Promise<string | undefined> {
    const token = (await readObjectData(this.client, SECRETS, namespace, name))?.token;
    return token ? Buffer.from(token, 'base64').toString('utf8').trim() : undefined;
  }

  get isLeader(): boolean {
    if (this.shards) return this.shards.held.length > 0;
    return this.elector ? this.elector.isLeader : true;
  }

  notReadyReason(): string | undefined {
    const unsynced = this.informers.filter((informer) => !informer.synced).map((informer) => informer.type.plural);
    if (unsynced.length > 0) return `caches not synced: ${unsynced.join(', ')}`;
    if (this.elector && !this.elector.leadershipKnown) return 'leadership not known yet';
    if (this.shards && !this.shards.membershipKnown) return 'shard membership not known yet';
    return undefined;
  }

  async start(): Promise<void> {
    const app = createHttpApp({ live: () => !this.stopping, notReadyReason: () => this.notReadyReason() }, this.metrics);
    app.use('/hooks/git', this.gitWebhook());
    app.use('/hooks/registry', this.registryWebhook());
    app.use('/api/v1/revisions', this.revisionsEndpoint());
    if (this.options.dashboard) app.use('/ui', this.dashboard());
    this.server = await listen(app, this.options.httpPort, this.options.httpHost);
    const address = this.server.address();
    this.log.info({ address, identity: this.options.identity }, 'operator HTTP server listening');
    for (const informer of this.informers) informer.start();
    await Promise.all(this.informers.map((informer) => informer.waitForSync()));
    this.log.info('caches synced');
    if (this.shards) {
      this.startShards(this.shards);
    } else if (this.elector) {
      this.elector.start({
        onStartedLeading: () => this.startControllers(),
        onStoppedLeading: () => void this.stopControllers(),
      });
    } else {
      this.startControllers();
    }
  }

  /** The port the HTTP server listens on (useful when started on port 0). */
  get httpPort(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  private startControllers(): void {
    this.metrics.leader.set(1);
    for (const controller of this.controllers) {
      controller.enqueueAll();
      controller.start();
    }
    this.log.info('reconciling');
  }

  /**
   * Shards: every controller runs, gated to the keys of the shards this replica holds; a gained shard's
   * objects are all looked at (the previous owner's timers died with it).
   */
  private startShards(shards: ShardCoordinator): void {
    const count = this.options.shards;
    this.metrics.observeShards(() => shards.held.length);
    for (const controller of this.controllers) {
      controller.gate((key) => shards.owns(key));
      controller.start();
    }
    shards.start({
      onGained: (gained) => {
        const fresh = new Set(gained);
        for (const controller of this.controllers) controller.enqueueAll((key) => fresh.has(shardOfKey(key, count)));
      },
      busyShards: () => new Set(this.controllers.flatMap((controller) => controller.inProgress.map((key) => shardOfKey(key, count)))),
    });
    this.log.info({ shards: count }, 'reconciling the shards this replica holds');
  }

  private async stopControllers(): Promise<void> {
    this.metrics.leader.set(0);
    await Promise.all(this.controllers.map((controller) => controller.stop()));
    this.log.info('stopped reconciling');
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info('shutting down');
    await this.stopControllers();
    await this.elector?.stop();
    await this.shards?.stop();
    await Promise.all([...this.informers, ...this.lateInformers].map((informer) => informer.stop()));
    await this.gitSync.live.stop();
    if (this.server) await closeServer(this.server);
    await this.client.transport.close();
    this.log.info('stopped');
  }
}
