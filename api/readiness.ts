import type { Connection } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { withTimeout } from '../lib/timeout';
import type { ReadinessCheck } from './routes/health';

const CHECK_TIMEOUT_MS = 2_000;
const SERVING = 1; // grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING

export function temporalReadiness(connection: Connection): ReadinessCheck {
  return async () => {
    const answer = await connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => connection.healthService.check({}));
    // A numeric enum from the generated protos; the package that declares it is no dependency of ours.
    if ((answer.status as number) !== SERVING) throw new Error(`Temporal frontend is not serving (status ${answer.status})`);
  };
}

export function redisReadiness(redis: Redis): ReadinessCheck {
  return async () => {
    await withTimeout(redis.ping(), CHECK_TIMEOUT_MS, `Redis did not answer within ${CHECK_TIMEOUT_MS} ms`);
  };
}
