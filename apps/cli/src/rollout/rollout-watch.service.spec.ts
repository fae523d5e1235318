import { describe, expect, it } from 'vitest';
import { apiErrorReply, type FakeReply, fakeFetch } from '../../test/fake-api.js';
import { analysis, event, rolloutView, verdict } from '../../test/rollout-fixtures.js';
import { ApiClient } from '../api/api-client.service.js';
import type { RolloutEvent, RolloutView } from '../api/api.types.js';
import { memoryIo } from '../io/memory-io.util.js';
import { palette } from '../io/palette.util.js';
import { watchRollout } from './rollout-watch.service.js';

const ID = '3f2c6a1e-0000-4000-8000-000000000001';

/** A rollout that moves one state further each time it is read, with its events so far. */
function scripted(states: Array<{ view: RolloutView; events: RolloutEvent[] } | FakeReply>) {
  let reads = 0;
  const fetch = fakeFetch((req) => {
    if (req.path === `/v1/rollouts/${ID}`) {
      const state = states[Math.min(reads++, states.length - 1)]!;
      return 'view' in state ? { json: state.view } : state;
    }
    if (req.path === `/v1/rollouts/${ID}/events`) {
      const state = states[Math.min(reads - 1, states.length - 1)]!;
      const all = 'view' in state ? state.events : [];
      const after = Number(req.query.get('afterSeq') ?? -1);
      return { json: all.filter((e) => e.seq > after) };
    }
    return apiErrorReply(404, 'NOT_FOUND', 'no such route');
  });
  return { api: new ApiClient({ server: 'http://api.test', token: 'hm_x' }, fetch), fetch };
}

const created = event(1, { type: 'created', message: 'Rollout created.' });
const step = event(2, { type: 'step', message: 'Step 1 of 4 done: set route: canary 20 %.' });
const passed = analysis(3, 'continue', [
  verdict('success-rate', 99.9, 'pass', '%'),
  verdict('latency-p99', 40, 'pass', 'ms'),
]);
const done = event(4, {
  type: 'transition',
  phase: 'Succeeded',
  canaryWeight: 100,
  message: 'Succeeded: v2 serves all traffic.',
});

describe('rollout watch', () => {
  it('prints each event once and a progress line per change, reading only new events, until the verdict', async () => {
    const { api, fetch } = scripted([
      { view: rolloutView(), events: [created, step] },
      { view: rolloutView(), events: [created, step] },
      {
        view: rolloutView({
          step: { index: 3, total: 4, description: 'analysis: 1 passing run' },
          canaryWeight: 50,
        }),
        events: [created, step, passed],
      },
      { view: rolloutView({ phase: 'Succeeded', canaryWeight: 100 }), events: [created, step, passed, done] },
    ]);
    const io = memoryIo();
    const result = await watchRollout(api, ID, io, palette(false), { pollMs: 1000, events: true });
    expect(result.view.phase).toBe('Succeeded');
    expect(result.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(io.stdout().split('\n')).toEqual([
      '00:00:01 Rollout created.',
      '00:00:02 Step 1 of 4 done: set route: canary 20 %.',
      'reviews v1→v2  [####----------------]   20 %  Progressing  step 2/4 analysis: 1 passing run',
      '00:00:03 analysis at 20 %: continue (success-rate 99.9 % ✓ · latency-p99 40 ms ✓)',
      'reviews v1→v2  [##########----------]   50 %  Progressing  step 4/4 analysis: 1 passing run  success-rate 99.9 % ✓ · latency-p99 40 ms ✓',
      '00:00:04 Succeeded: v2 serves all traffic.',
      'reviews v1→v2  [####################]  100 %  Succeeded  done  success-rate 99.9 % ✓ · latency-p99 40 ms ✓',
      '',
    ]);
    const afterSeqs = fetch.calls
      .filter((c) => c.path.endsWith('/events'))
      .map((c) => c.query.get('afterSeq'));
    expect(afterSeqs).toEqual([null, '2', '2', '3']);
  });

  it('redraws one line in place on a terminal, events scrolling above it', async () => {
    const { api } = scripted([
      { view: rolloutView(), events: [created] },
      { view: rolloutView({ phase: 'Succeeded', canaryWeight: 100 }), events: [created, done] },
    ]);
    const io = memoryIo({ isTTY: true });
    await watchRollout(api, ID, io, palette(false), { pollMs: 500, events: true });
    expect(io.stdout()).toBe(
      '\r\x1b[2K00:00:01 Rollout created.\nreviews v1→v2  [████░░░░░░░░░░░░░░░░]   20 %  Progressing  step 2/4 analysis: 1 passing run' +
        '\r\x1b[2K00:00:04 Succeeded: v2 serves all traffic.\nreviews v1→v2  [████████████████████]  100 %  Succeeded  done\n',
    );
  });

  it('rides out a restarting API, but not a client error', async () => {
    const unavailable = apiErrorReply(
      503,
      'DATABASE_UNAVAILABLE',
      'The database is not reachable right now.',
    );
    const { api } = scripted([
      unavailable,
      unavailable,
      { view: rolloutView({ phase: 'RolledBack', canaryWeight: 0 }), events: [] },
    ]);
    const result = await watchRollout(api, ID, memoryIo(), palette(false), { pollMs: 1000, events: false });
    expect(result.view.phase).toBe('RolledBack');

    const gone = scripted([apiErrorReply(404, 'NOT_FOUND', 'No rollout with this id.')]);
    await expect(
      watchRollout(gone.api, ID, memoryIo(), palette(false), { pollMs: 1000, events: false }),
    ).rejects.toThrow('No rollout with this id.');
  });

  it('gives up after the timeout, saying the rollout goes on', async () => {
    const { api } = scripted([{ view: rolloutView({ phase: 'Paused' }), events: [] }]);
    const io = memoryIo();
    await expect(
      watchRollout(api, ID, io, palette(false), { pollMs: 1000, timeoutMs: 5000, events: false }),
    ).rejects.toThrow(
      /had not finished after 5 s; it goes on. Watch again with `heliomesh rollout watch 3f2c6a1e/,
    );
  });

  it('stops on Ctrl-C and reports where the rollout stands', async () => {
    const { api } = scripted([{ view: rolloutView({ phase: 'Paused' }), events: [] }]);
    const io = memoryIo();
    io.interrupt();
    const result = await watchRollout(api, ID, io, palette(false), { pollMs: 1000, events: false });
    expect(result).toMatchObject({ interrupted: true, view: { phase: 'Paused' } });
  });
});
