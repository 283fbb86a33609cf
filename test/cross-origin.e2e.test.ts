import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, useLocalCloud } from '../testing/local-cloud.ts';

const CHROMIUM = '/usr/bin/chromium';

/**
 * The page an attendee might open while the local cloud runs: it tries every way a page has to
 * reach another origin without asking (no-cors fetches, form posts, an image) and one that asks.
 */
const attackPage = (endpoint: string, queueUrl: string, topicArn: string) => `<!doctype html>
<html><body>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe>
<form id="sqs" method="POST" target="sink1" enctype="application/x-www-form-urlencoded"
  action="${endpoint}/?X-Amz-Credential=x%2F20261202%2Fus-east-1%2Fsqs%2Faws4_request">
  <input name="Action" value="SendMessage"><input name="QueueUrl" value="${queueUrl}">
  <input name="MessageBody" value="from a web page"></form>
<form id="sns" method="POST" target="sink2" enctype="application/x-www-form-urlencoded"
  action="${endpoint}/?X-Amz-Credential=x%2F20261202%2Fus-east-1%2Fsns%2Faws4_request">
  <input name="Action" value="Publish"><input name="TopicArn" value="${topicArn}">
  <input name="Message" value="from a web page"></form>
<script>
window.attack = async () => {
  const loaded = (name) => new Promise((r) => document.querySelector('iframe[name=' + name + ']').addEventListener('load', r, { once: true }));
  const frames = [loaded('sink1'), loaded('sink2')];
  document.getElementById('sqs').submit();
  document.getElementById('sns').submit();
  const blind = { method: 'POST', mode: 'no-cors' };
  await Promise.allSettled([
    fetch('${endpoint}/_wildrydes/destroy', blind),
    fetch('${endpoint}/_wildrydes/deploy', { ...blind, body: '{"stacks":["x"]}', headers: { 'content-type': 'text/plain' } }),
    fetch('${endpoint}/_wildrydes/destroy', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    new Promise((r) => { const img = new Image(); img.onload = img.onerror = r;
      img.src = '${endpoint}/?X-Amz-Credential=x%2F20261202%2Fus-east-1%2Fsqs%2Faws4_request&Action=SendMessage&MessageBody=img&QueueUrl=' + encodeURIComponent('${queueUrl}'); }),
    ...frames,
  ]);
  return 'done';
};
</script></body></html>`;

describe('a page from another origin, in Chromium, cannot drive the local cloud', () => {
  const cloud = useLocalCloud();
  let browser: BrowserContext | undefined;
  let profile = '';
  let evil: Server | undefined;
  let queueUrl = '';
  const controls: string[] = [];
  const reached: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`this test needs Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    for (const name of ['deploy', 'destroy']) {
      cloud().control(name, async () => {
        controls.push(name);
        return { status: 200, body: '{}' };
      });
    }
    queueUrl =
      (await new SQSClient(clientConfig(cloud())).send(new CreateQueueCommand({ QueueName: 'victim' })))
        .QueueUrl ?? '';
    const { TopicArn = '' } = await new SNSClient(clientConfig(cloud())).send(
      new CreateTopicCommand({ Name: 'victim' }),
    );
    for (const service of ['sqs', 'sns'])
      cloud().observe(service, (req) => void reached.push(`${service} ${req.url}`));
    const page = attackPage(cloud().endpoint, queueUrl, TopicArn);
    evil = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    await new Promise<void>((resolve) => evil?.listen(0, '127.0.0.1', resolve));
    profile = mkdtempSync(join(tmpdir(), 'wildrydes-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (evil) await new Promise((resolve) => evil?.close(resolve));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('tries fetches, form posts and an image; every one is refused and nothing changes', async () => {
    // Prepare
    if (!browser || !evil) throw new Error('not started');
    const page = await browser.newPage();
    const statuses: number[] = [];
    page.on('response', (res) => {
      if (res.url().startsWith(cloud().endpoint)) statuses.push(res.status());
    });
    reached.length = 0;

    // Act
    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    await page.evaluate('window.attack()');
    const served = [...reached];
    const { Messages } = await new SQSClient(clientConfig(cloud())).send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }),
    );

    // Assess: the requests left the browser and were answered 403; none reached a service
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    expect(new Set(statuses)).toEqual(new Set([403]));
    expect(controls).toEqual([]);
    expect(served).toEqual([]);
    expect(Messages ?? []).toEqual([]);
  });
});
