import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState } from '@temporalio/common';
import { externalFailure, failureDetails, kindForStatus, isRetryable, parseRetryAfter } from '../../clients/errors';
import { failureMessage, isFailure, isPermanentFailure } from '../../contracts/failures';

test('4xx that a retry cannot fix are non-retryable, transient ones retryable', () => {
  const expectations: [number, string, boolean][] = [
    [400, 'BadRequest', false],
    [403, 'Forbidden', false],
    [404, 'NotFound', false],
    [409, 'Conflict', false],
    [422, 'BadRequest', false],
    [401, 'Unauthorized', true],
    [408, 'Timeout', true],
    [429, 'RateLimited', true],
    [500, 'ServerError', true],
    [502, 'ServerError', true],
    [503, 'ServerError', true],
  ];
  for (const [status, kind, retryable] of expectations) {
    assert.equal(kindForStatus(status), kind, `status ${status}`);
    assert.equal(isRetryable(kindForStatus(status)), retryable, `status ${status}`);
  }
});

test('externalFailure is a typed ApplicationFailure that carries its classification', () => {
  const failure = externalFailure(
    { system: 'Advoware', kind: 'NotFound', status: 404, method: 'GET', path: 'api/v1/advonet/Beteiligte/7' },
    'HTTP 404',
  );
  assert.ok(failure instanceof ApplicationFailure);
  assert.equal(failure.type, 'AdvowareNotFound');
  assert.equal(failure.nonRetryable, true);
  assert.match(failure.message, /Advoware GET api\/v1\/advonet\/Beteiligte\/7: HTTP 404/);
  assert.equal(failureDetails(failure)?.status, 404);
  assert.equal(failureDetails(new Error('plain')), undefined);
});

test('Retry-After becomes the next retry delay', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000);
  assert.equal(parseRetryAfter('soon'), undefined);
  const failure = externalFailure({ system: 'EspoCrm', kind: 'RateLimited', method: 'GET', path: 'x' }, 'slow down', {
    retryAfterMs: 1500,
  });
  assert.equal(failure.nonRetryable, false);
  assert.equal(failure.nextRetryDelay, 1500);
});

describe('isFailure: one predicate for classified failures, through Temporal wrappers', () => {
  const notFound = externalFailure({ system: 'Google', kind: 'NotFound', status: 404, method: 'GET', path: 'calendars/x' }, 'HTTP 404');
  const activity = (cause: Error) => new ActivityFailure('activity failed', 'googleListEvents', '1', RetryState.NON_RETRYABLE_FAILURE, 'w', cause);

  it('matches system and kind on the failure itself and inside an ActivityFailure or ChildWorkflowFailure', () => {
    assert.equal(isFailure(notFound, 'Google', 'NotFound'), true);
    assert.equal(isFailure(activity(notFound), 'Google', 'NotFound'), true);
    const child = new ChildWorkflowFailure(
      'default',
      { workflowId: 'c', runId: 'r' },
      'calendarSyncWorkflow',
      RetryState.NON_RETRYABLE_FAILURE,
      activity(notFound),
    );
    assert.equal(isFailure(child, 'Google', 'NotFound'), true);
    assert.equal(isFailure(child, 'Google'), true, 'any kind of that system');
  });

  it('does not match another system, another kind, or an unclassified error', () => {
    assert.equal(isFailure(activity(notFound), 'Advoware', 'NotFound'), false);
    assert.equal(isFailure(activity(notFound), 'Google', 'ServerError'), false);
    assert.equal(isFailure(new Error('GoogleNotFound'), 'Google', 'NotFound'), false);
    assert.equal(isFailure(ApplicationFailure.create({ type: 'GoogleNotFoundish', message: 'x' }), 'Google'), false);
  });

  it('permanence and the one-line message come from the wrapped failure', () => {
    assert.equal(isPermanentFailure(activity(notFound)), true);
    assert.equal(
      isPermanentFailure(activity(externalFailure({ system: 'EspoCrm', kind: 'ServerError', method: 'PUT', path: 'x' }, 'HTTP 503'))),
      false,
    );
    assert.equal(failureMessage(activity(notFound)), 'GoogleNotFound: Google GET calendars/x: HTTP 404');
    assert.equal(failureMessage(new Error('plain')), 'plain');
  });
});
