import { HeliomeshError } from '@heliomesh/util';
import { describe, expect, it } from 'vitest';
import {
  KubeError,
  codeForStatus,
  httpStatusOf,
  isTransient,
  type KubeErrorCode,
} from './kube-error.util.js';

describe('KubeError', () => {
  it('is a HeliomeshError a front door can answer with', () => {
    const err = new KubeError({
      code: 'KUBE_INVALID',
      message: 'VirtualService shop/x is invalid',
      kubeStatus: 422,
      causes: [{ reason: 'FieldValueInvalid', field: 'spec.hosts', message: 'Required value' }],
    });
    expect(err).toBeInstanceOf(HeliomeshError);
    expect(err.toJSON()).toEqual({
      code: 'KUBE_INVALID',
      message: 'VirtualService shop/x is invalid',
      path: '$',
      details: [{ code: 'FieldValueInvalid', path: 'spec.hosts', message: 'Required value' }],
    });
  });

  it('maps API server statuses to codes', () => {
    const table: Array<[number, KubeErrorCode]> = [
      [400, 'KUBE_BAD_REQUEST'],
      [401, 'KUBE_UNAUTHORIZED'],
      [403, 'KUBE_FORBIDDEN'],
      [404, 'KUBE_NOT_FOUND'],
      [409, 'KUBE_CONFLICT'],
      [410, 'KUBE_EXPIRED'],
      [415, 'KUBE_BAD_REQUEST'],
      [422, 'KUBE_INVALID'],
      [429, 'KUBE_THROTTLED'],
      [500, 'KUBE_SERVER_ERROR'],
      [503, 'KUBE_SERVER_ERROR'],
      [504, 'KUBE_TIMEOUT'],
    ];
    for (const [status, code] of table) expect([status, codeForStatus(status)]).toEqual([status, code]);
  });

  it('never tells a client that its own credentials failed when the cluster refused ours', () => {
    expect(httpStatusOf('KUBE_UNAUTHORIZED')).toBe(502);
    expect(httpStatusOf('KUBE_FORBIDDEN')).toBe(502);
    expect(httpStatusOf('KUBE_UNREACHABLE')).toBe(503);
    expect(httpStatusOf('KUBE_CONFIG_INVALID')).toBe(400);
  });

  it('retries only what another attempt can fix', () => {
    const transient = (code: KubeErrorCode) => isTransient(new KubeError({ code, message: '' }));
    expect(
      ['KUBE_UNREACHABLE', 'KUBE_TIMEOUT', 'KUBE_THROTTLED', 'KUBE_SERVER_ERROR', 'KUBE_CONFLICT'].every(
        (c) => transient(c as KubeErrorCode),
      ),
    ).toBe(true);
    expect(
      ['KUBE_INVALID', 'KUBE_UNAUTHORIZED', 'KUBE_NOT_FOUND', 'KUBE_RETRIES_EXHAUSTED'].some((c) =>
        transient(c as KubeErrorCode),
      ),
    ).toBe(false);
    expect(isTransient(new Error('boom'))).toBe(false);
  });
});
