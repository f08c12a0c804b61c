import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { Redis } from 'ioredis';
import { externalFailure } from '../../clients/errors';
import { threecxEnvFor } from '../../simulators/sandbox-credentials';
import { composeActivities } from '../../workers/activities';
import { INTERNAL_ACTIVITIES, apiSystemOf, errorKindOf } from '../../workers/api-call-metrics';
import { testActivityConfig } from '../support/worker';

describe('API call metrics: which activity calls which system', () => {
  // Every activity the worker registers, 3CX included; nothing connects (lazy Redis, no client calls).
  const redis = new Redis({ lazyConnect: true });
  const activities = composeActivities(testActivityConfig({}, threecxEnvFor('http://127.0.0.1:9')), {
    redis,
    client: {} as Client,
    taskQueue: 'unused',
  });
  const names = Object.keys(activities);

  it('every registered activity is either an API call of a system or listed as internal', () => {
    assert.ok(names.length > 40, `found ${names.length} activities`);
    const unclassified = names.filter((name) => !apiSystemOf(name) && !INTERNAL_ACTIVITIES.has(name));
    assert.deepEqual(unclassified, [], 'new activities must be named after their system or listed in INTERNAL_ACTIVITIES');
    const stale = [...INTERNAL_ACTIVITIES].filter((name) => !names.includes(name));
    assert.deepEqual(stale, [], 'INTERNAL_ACTIVITIES lists only registered activities');
  });

  it('derives the system from the name, with the lead and employee-list calls named explicitly', () => {
    assert.equal(apiSystemOf('espoGetBeteiligte'), 'EspoCrm');
    assert.equal(apiSystemOf('advowareUpdateBeteiligte'), 'Advoware');
    assert.equal(apiSystemOf('googleListEvents'), 'Google');
    assert.equal(apiSystemOf('threecxInitiateCall'), 'ThreeCx');
    assert.equal(apiSystemOf('leadCreate'), 'EspoCrm');
    assert.equal(apiSystemOf('calendarEmployeesOldestFirst'), 'Advoware');
    assert.equal(apiSystemOf('calendarSaveState'), undefined);
    assert.equal(apiSystemOf('requestBeteiligteSyncs'), undefined);
  });

  it("labels a failed call with the classified failure's kind, else what stopped it", () => {
    const failure = externalFailure({ system: 'Google', kind: 'RateLimited', status: 429, method: 'GET', path: 'calendars' }, 'slow down');
    assert.equal(errorKindOf(failure), 'RateLimited');
    assert.equal(errorKindOf(new CancelledFailure('timed out')), 'Cancelled');
    assert.equal(errorKindOf(new Error('boom')), 'Unclassified');
  });
});
