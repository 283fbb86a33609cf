import { randomBytes } from 'node:crypto';
import { comprehendFaults } from './comprehend/faults.ts';
import { dynamodbFaults } from './dynamodb/faults.ts';
import { type Emulators, startEmulators } from './emulators.ts';
import { FaultInjector, type FaultPlan } from './faults/index.ts';
import { proxyTo } from './gateway/proxy.ts';
import { serviceOf } from './gateway/scope.ts';
import { awsError, type GatewayOptions, startGateway } from './gateway/server.ts';
import { kinesisFaults } from './kinesis/faults.ts';
import { type LimitedKinesis, limitShardWrites } from './kinesis/shard-limits.ts';
import { refuseBadSubjects } from './sns/subject.ts';
import { sqsQueryProtocol } from './sqs/query-protocol.ts';
import { DEFAULT_PORT, type GatewayRequest, type GatewayResponse, type ServiceHandler } from './types.ts';

export interface LocalCloudOptions {
  /** Loopback by default; anything else needs `allowRemote`. */
  host?: string;
  /** 4566 by default; 0 picks a free port (tests). */
  port?: number;
  allowRemote?: boolean;
  /** Failures to inject (off when absent): see local/faults/. */
  faults?: FaultPlan;
  /**
   * Kinesis's per-shard write limits (1,000 records/s, 1 MiB/s), as AWS enforces them. On unless
   * false, or unless `WILDRYDES_SHARD_LIMITS=off` when not given: off is for benchmarks of the
   * emulator itself.
   */
  shardLimits?: boolean;
  /** Trust and limits of the gateway (README.md, "Security"): see gateway/trust.ts, gateway/server.ts. */
  gateway?: Pick<
    GatewayOptions,
    'secret' | 'allowedOrigins' | 'ownAddresses' | 'timeouts' | 'maxConnections'
  >;
}

/** The environment variable that turns the per-shard write limits off (`off`). */
export const SHARD_LIMITS_ENV = 'WILDRYDES_SHARD_LIMITS';

/** A running local cloud: one endpoint in front of every emulated service. */
export interface LocalCloud {
  /** `http://127.0.0.1:4566`: what `AWS_ENDPOINT_URL` points at. */
  endpoint: string;
  host: string;
  port: number;
  emulators: Emulators;
  /** When the cloud started: its data lives in memory, so nothing older survived. */
  startedAt: Date;
  /** The fault injector, when faults are on: the Lambda service takes it too. */
  faults?: FaultInjector;
  /** With `allowRemote`: what other machines sign with (SigV4) or send as `Authorization: Bearer`. */
  secret?: string;
  /** Connections open now. */
  connections(): number;
  /** Kinesis's per-shard write limits, when on: what they refused so far. */
  shardLimits?: Pick<LimitedKinesis, 'throttled'>;
  /** Serves a service (by its SigV4 name) with one of our own handlers. */
  register(service: string, handler: ServiceHandler, description?: string): void;
  /**
   * Calls `listener` after each response of `service` (e.g. S3 PutObject → EventBridge event);
   * a listener's error is logged, never returned to the client.
   */
  observe(service: string, listener: ResponseListener): void;
  /**
   * Answers a request in this process as the gateway would (faults and listeners included), for
   * the local services' own calls: no socket, no HTTP.
   */
  serve(req: Omit<GatewayRequest, 'service'>): Promise<GatewayResponse>;
  /** Serves `/_wildrydes/<name>`: the workshop's own control API (deploy, logs), loopback only. */
  control(name: string, handler: (req: Omit<GatewayRequest, 'service'>) => Promise<GatewayResponse>): void;
  stop(): Promise<void>;
}

/** Sees a request and the response it got, after the fact. */
export type ResponseListener = (req: GatewayRequest, res: GatewayResponse) => void | Promise<void>;

const CONTROL_PREFIX = '/_wildrydes/';

/** Starts the emulators and the gateway that routes each request to its service. */
export async function startLocalCloud(opts: LocalCloudOptions = {}): Promise<LocalCloud> {
  const host = opts.host ?? '127.0.0.1';
  const startedAt = new Date();
  const faults =
    opts.faults &&
    new FaultInjector(opts.faults, {
      kinesis: kinesisFaults,
      dynamodb: dynamodbFaults,
      comprehend: comprehendFaults,
    });
  const emulators = await startEmulators();
  const routes = new Map<string, { handler: ServiceHandler; backend: string }>();
  const listeners = new Map<string, ResponseListener[]>();
  const controls = new Map<string, (req: Omit<GatewayRequest, 'service'>) => Promise<GatewayResponse>>();
  controls.set('health', async () => health());
  const fauxqs = proxyTo(emulators.fauxqs);
  const limitsOn = opts.shardLimits ?? process.env[SHARD_LIMITS_ENV] !== 'off';
  const limited = limitsOn ? limitShardWrites(proxyTo(emulators.kinesis)) : undefined;
  routes.set('kinesis', {
    handler: limited?.handler ?? proxyTo(emulators.kinesis),
    backend: 'kinesalite',
  });
  routes.set('dynamodb', { handler: proxyTo(emulators.dynamodb), backend: 'dynalite' });
  for (const service of ['s3', 'sts']) routes.set(service, { handler: fauxqs, backend: 'fauxqs' });
  routes.set('sns', { handler: refuseBadSubjects(fauxqs), backend: 'fauxqs' });
  // Older AWS CLIs speak SQS's query protocol, which fauxqs 1.x does not.
  routes.set('sqs', { handler: sqsQueryProtocol(fauxqs), backend: 'fauxqs' });

  const health = (): GatewayResponse => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      status: 'ok',
      startedAt: startedAt.toISOString(),
      ...(faults && { faults: { plan: faults.describe(), injected: faults.stats() } }),
      shardLimits: limited ? { on: true, throttled: limited.throttled() } : { on: false },
      services: Object.fromEntries(
        [...routes].map(([name, r]) => [name, { state: 'running', backend: r.backend }]),
      ),
    }),
  });

  const dispatch = async (req: Omit<GatewayRequest, 'service'>): Promise<GatewayResponse> => {
    const path = req.url.split('?')[0] ?? '';
    if (path.startsWith(CONTROL_PREFIX)) {
      const control = controls.get(path.slice(CONTROL_PREFIX.length));
      return control ? control(req) : awsError(404, 'NotFound', `no control endpoint ${path}`);
    }
    const service = serviceOf(req.headers, req.url);
    if (!service) {
      return awsError(
        400,
        'MissingAuthenticationTokenException',
        'the request is not signed with SigV4, so the local cloud cannot tell which AWS service it is for',
      );
    }
    const route = routes.get(service);
    if (!route) {
      return awsError(
        400,
        'UnknownServiceException',
        `the local cloud does not emulate the AWS service '${service}' (it serves: ${[...routes.keys()].join(', ')})`,
      );
    }
    const request = { ...req, service };
    // Faults off: one check, nothing else on the way.
    const response = faults ? await faults.serve(request, route.handler) : await route.handler(request);
    for (const listener of listeners.get(service) ?? []) {
      Promise.resolve()
        .then(() => listener(request, response))
        .catch((err) => console.error(`[local cloud] ${service} listener failed: ${(err as Error).message}`));
    }
    return response;
  };

  // Other machines prove themselves with a secret only the banner shows (README.md, "Security").
  const secret = opts.allowRemote
    ? (opts.gateway?.secret ?? randomBytes(24).toString('base64url'))
    : undefined;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  try {
    gateway = await startGateway({
      ...opts.gateway,
      host,
      port: opts.port ?? DEFAULT_PORT,
      allowRemote: opts.allowRemote,
      secret,
      dispatch,
    });
  } catch (err) {
    await emulators.stop();
    throw err;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${urlHost}:${gateway.port}`,
    host,
    port: gateway.port,
    emulators,
    startedAt,
    faults,
    secret,
    connections: () => gateway.connections(),
    shardLimits: limited,
    serve: dispatch,
    register(service, handler, description = 'wildrydes') {
      routes.set(service, { handler, backend: description });
    },
    control(name, handler) {
      controls.set(name, handler);
    },
    observe(service, listener) {
      listeners.set(service, [...(listeners.get(service) ?? []), listener]);
    },
    async stop() {
      await gateway.close();
      await emulators.stop();
    },
  };
}
