/**
 * What a queue job may carry (lib/experiment/queue/runJob.ts) and how queue URLs are read
 * (redisUrl.ts): job data is checked field by field, never evaluated; URLs give host, port,
 * database, user, password and TLS, and passwords never reach messages.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkRunJob, runJobId, RUN_JOB_FORMAT, type RunJobData } from '../../lib/experiment/queue/runJob.ts';
import { parseRedisUrl, redisUrlForDisplay, maskQueueArguments } from '../../lib/experiment/queue/redisUrl.ts';

const job: RunJobData = { format: RUN_JOB_FORMAT, pair: 'zh-history-to-course', fraction: 0.1, method: 'la-dtl', seed: 2, options: ['--protocol', 'paper'], configHash: '0a1b2c3d', dataHash: 'ffee0011' };

test('checkRunJob: a well-formed job passes; each bad field is named', () => {
  assert.equal(checkRunJob(structuredClone(job)), job);
  const bad: [Partial<Record<keyof RunJobData, unknown>>, string][] = [
    [{ format: 'ladtl-run-job-0' }, 'format'],
    [{ pair: '../../etc' }, 'pair'],
    [{ fraction: 0 }, 'fraction'],
    [{ fraction: '0.1' }, 'fraction'],
    [{ method: 'constructor' }, 'method'],
    [{ method: 'rm -rf' }, 'method'],
    [{ seed: 1.5 }, 'seed'],
    [{ options: ['--lr', 3] }, 'options'],
    [{ options: 'process.exit()' }, 'options'],
    [{ configHash: 'zzzzzzzz' }, 'configHash'],
    [{ dataHash: undefined }, 'dataHash'],
  ];
  for (const [change, field] of bad) {
    assert.throws(() => checkRunJob({ ...job, ...change }), (e: Error) => e.message.includes(`field "${field}"`), `${field}: ${JSON.stringify(change)}`);
  }
  assert.throws(() => checkRunJob(null), /not an object/);
  assert.throws(() => checkRunJob([job]), /not an object/);
});

test('runJobId: one id per run configuration, safe characters only', () => {
  assert.is(runJobId(job), '0a1b2c3d.zh-history-to-course.0.1.la-dtl.2');
  assert.is.not(runJobId({ ...job, seed: 3 }), runJobId(job));
  assert.is.not(runJobId({ ...job, configHash: '0a1b2c3e' }), runJobId(job));
  assert.ok(/^[A-Za-z0-9._-]+$/.test(runJobId({ ...job, pair: 'a:b c' })));
});

test('parseRedisUrl: host, port, database, user, password, TLS; refusals say why', () => {
  assert.equal(parseRedisUrl('redis://127.0.0.1:6390'), { host: '127.0.0.1', port: 6390, db: 0, maxRetriesPerRequest: null });
  assert.equal(parseRedisUrl('rediss://worker:s%40cret@redis.example.org/3'), { host: 'redis.example.org', port: 6379, db: 3, username: 'worker', password: 's@cret', tls: { servername: 'redis.example.org' }, maxRetriesPerRequest: null });
  assert.equal(parseRedisUrl('redis://:pw@[::1]:7000').host, '::1');
  assert.is(parseRedisUrl('redis://:pw@h').password, 'pw');
  assert.throws(() => parseRedisUrl('http://h:6379'), /scheme must be redis:\/\/ or rediss:\/\//);
  assert.throws(() => parseRedisUrl('redis://h/x'), /database number/);
  assert.throws(() => parseRedisUrl('redis://h?tls=true'), /query strings/);
  assert.throws(() => parseRedisUrl('localhost:6379'), /scheme must be|not a URL/);
  assert.throws(() => parseRedisUrl('redis://:hunter2@h:99999'), (e: Error) => /not a URL/.test(e.message) && !e.message.includes('hunter2'));
  assert.equal(maskQueueArguments(['--pair', 'p', '--queue', 'redis://:hunter2@h:1', '--queue=rediss://u:pw@h']), ['--pair', 'p', '--queue', 'redis://:***@h:1', '--queue=rediss://u:***@h']);
  assert.not.match(redisUrlForDisplay('redis://user:hunter2@h:1/2'), 'hunter2');
  assert.match(redisUrlForDisplay('redis://user:hunter2@h:1/2'), 'user:***@h:1/2');
});

test.run();
