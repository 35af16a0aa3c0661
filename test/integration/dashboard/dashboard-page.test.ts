import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { hostClock } from '../../../daemon/core/host-time.ts';
import { makeLine, startHarness, type Harness } from '../server/server-harness.ts';
import { launchBrowser, ensureDashboardBuilt, type Browser } from './browser.ts';
import { CLOCK_HINT, publishSeed, seedPorts } from './seed-scenario.ts';

let browser: Browser;
const harnesses: Harness[] = [];
const pages: Page[] = [];

beforeAll(async () => {
  ensureDashboardBuilt();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const p of pages.splice(0)) await p.close();
  for (const h of harnesses.splice(0)) await h.cleanup();
});

async function seeded(): Promise<{ h: Harness; page: Page; events: ReturnType<typeof publishSeed>['events'] }> {
  const ports = seedPorts();
  const h = await startHarness({ ports });
  harnesses.push(h);
  const { events } = publishSeed(h.bus, ports, hostClock.now() - 430_000_000);
  const page = await browser.context.newPage();
  pages.push(page);
  await page.goto(h.url);
  await page.locator('.conn[data-status="open"]').waitFor();
  return { h, page, events };
}

/** The page's own log buffer: [port, seq, lastSeq] of every filtered row. */
function pageRows(page: Page): Promise<[string, number, number][]> {
  return page.evaluate(() => {
    const dash = (window as unknown as { uartscope: { log: { view(): { rows: { port: string; seq: number; lastSeq: number }[]; start: number } } } }).uartscope;
    const v = dash.log.view();
    return v.rows.slice(v.start).map((r) => [r.port, r.seq, r.lastSeq] as [string, number, number]);
  });
}

describe('dashboard page in Chromium', () => {
  it('shows live lines with their level, module and device time, and folds repeated lines', async () => {
    const { page } = await seeded();
    await page.locator('.row', { hasText: 'Uptime:' }).first().waitFor();
    await page.locator('.scroller').evaluate((el) => { el.scrollTop = 0; });
    await page.locator('.row', { hasText: 'Failed to reset device: -116' }).waitFor();
    const row = page.locator('.row', { hasText: 'Failed to reset device: -116' });
    await expect(row.locator('.c-lvl').textContent()).resolves.toBe('err');
    await expect(row.locator('.c-mod').textContent()).resolves.toBe('wifi_esp_at');
    await expect(row.locator('.c-dev').textContent()).resolves.toBe('12.001000');
    // The device's own red comes through as a span, not as escape codes.
    await expect(row.locator('.c-msg .a-fg-1').count()).resolves.toBeGreaterThan(0);
    // Five identical lines in a row: one row, ×5.
    await expect(page.locator('.row[data-port="esp"] .fold').textContent()).resolves.toBe('×5');
    await expect(page.locator('tr[data-port="esp"] .state').textContent()).resolves.toBe('retrying');
  });

  it('filters by port, level, module, text and regex', async () => {
    const { page } = await seeded();
    await page.locator('.row', { hasText: 'Uptime:' }).first().waitFor();
    const texts = () => page.locator('.row .c-msg').allTextContents();

    await page.locator('.bar input.text').fill('Failed');
    await expect.poll(texts).toEqual(['Failed to reset device: -116', 'Failed to connect to Wi-Fi network: -115']);

    await page.locator('.bar input[aria-label="regex"]').check();
    await page.locator('.bar input.text').fill('-11[0-5]$');
    await expect.poll(texts).toEqual(['Failed to connect to Wi-Fi network: -115']);

    await page.locator('.bar button.clear').click();
    await page.locator('.bar button[data-level="inf"]').click();
    await page.locator('.bar button[data-level="dbg"]').click();
    await page.locator('.bar button[data-level="none"]').click();
    await expect.poll(async () => (await page.locator('.row .c-lvl').allTextContents()).sort()).toEqual(['err', 'err', 'wrn']);

    await page.locator('.bar button.clear').click();
    await page.locator('.bar input.module').fill('net_dhcp');
    await expect.poll(texts).toEqual(['DHCP request timed out, retrying']);

    await page.locator('.bar button.clear').click();
    await page.locator('.bar select').selectOption('esp');
    await expect.poll(async () => new Set(await page.locator('.row').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-port'))))).toEqual(new Set(['esp']));
  });

  it('shows a 1/8 device clock as "0.125" with its hint in words', async () => {
    const { page } = await seeded();
    const fit = page.locator('.fit[data-port="console"][data-source="uptime"]');
    await fit.waitFor();
    await expect(fit.locator('.ratio').textContent()).resolves.toBe('0.125');
    await expect(fit.locator('.hint').textContent()).resolves.toBe(CLOCK_HINT);
    await expect(fit.locator('.ratio').getAttribute('class')).resolves.toContain('verdict-drift');
    // The chart got the Uptime points: uPlot drew its canvases.
    await fit.locator('canvas').first().waitFor();
  });

  it('scrolls to and highlights the lines of an event that is clicked', async () => {
    const { h, page, events } = await seeded();
    // Push the event's lines far out of view first.
    for (let s = 0; s < 3000; s++) h.bus.publish({ type: 'line', line: makeLine('hv', 100 + s, `BAO INFO: tick ${s}`) });
    await page.locator('.row', { hasText: 'BAO INFO: tick 2999' }).waitFor();
    const ev = events.find((e) => e.kind === 'wifi.connect_failed');
    expect(ev).toBeDefined();
    await page.locator('.event[data-kind="wifi.connect_failed"]').click();
    const hl = page.locator('.row.hl');
    await hl.first().waitFor();
    const seqs = await hl.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-seq'))));
    expect(seqs).toEqual(Array.from({ length: (ev?.lines.last ?? 0) - (ev?.lines.first ?? 0) + 1 }, (_, i) => (ev?.lines.first ?? 0) + i));
    await expect(hl.first().isVisible()).resolves.toBe(true);
    await expect(page.locator('.row', { hasText: 'BAO INFO: tick 2999' }).count()).resolves.toBe(0);
  });

  it('renders markup in device lines as text and runs none of it', async () => {
    const { h, page } = await seeded();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    h.bus.publish({ type: 'line', line: makeLine('console', 5000, `pwn ${evil}`, { ansi: `\x1b[31mpwn \x1b[1m${evil}\x1b[0m` }) });
    h.bus.publish({ type: 'line', line: makeLine('hv', 5000, `plain ${evil}`) });
    h.bus.publish({ type: 'event', event: { id: 'x1', kind: 'fault', severity: 'critical', port: 'hv', boot: null, hostTime: hostClock.now(), title: `fault ${evil}`, attrs: { pc: evil }, hint: evil, lines: { port: 'hv', first: 5000, last: 5000 } } });
    await page.locator('.row', { hasText: `pwn ${evil}` }).waitFor();
    await page.locator('.row', { hasText: `plain ${evil}` }).waitFor();
    await page.locator('.event', { hasText: `fault ${evil}` }).waitFor();
    await page.waitForTimeout(300); // give an onerror handler the chance it must not get
    expect(dialogs).toEqual([]);
    await expect(page.locator('img').count()).resolves.toBe(0);
    await expect(page.locator('script:not([src])').count()).resolves.toBe(0);
    await expect(page.locator('.row script, .event script').count()).resolves.toBe(0);
  });

  it('reconnects after the server restarts and resumes without duplicates or holes', async () => {
    const first = await startHarness();
    harnesses.push(first);
    const { port } = first.server.address();
    for (let s = 0; s < 20; s++) first.bus.publish({ type: 'line', line: makeLine('console', s, `before restart ${s}`) });
    const page = await browser.context.newPage();
    pages.push(page);
    await page.goto(first.url);
    await page.locator('.row', { hasText: 'before restart 19' }).waitFor();
    await first.stop();
    await page.locator('.conn[data-status="closed"], .conn[data-status="connecting"]').first().waitFor();

    const second = await startHarness({ http: { listen: `127.0.0.1:${port}` } });
    harnesses.push(second);
    // The restarted daemon republishes some recent lines it reloaded, then continues.
    for (let s = 10; s < 30; s++) second.bus.publish({ type: 'line', line: makeLine('console', s, s < 20 ? `before restart ${s}` : `after restart ${s}`) });
    await page.locator('.conn[data-status="open"]').waitFor({ timeout: 15_000 });
    for (let s = 30; s < 40; s++) second.bus.publish({ type: 'line', line: makeLine('console', s, `after restart ${s}`) });
    await page.locator('.row', { hasText: 'after restart 39' }).waitFor();
    const rows = await pageRows(page);
    expect(rows.map(([, seq]) => seq)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    await expect(page.locator('.conn .gaps').count()).resolves.toBe(0);
  });

  it('offers a port input only to a page that presented the token when writes are allowed, and writes through it', async () => {
    const h = await startHarness({ http: { allow_write: true } });
    harnesses.push(h);
    const page = await browser.context.newPage();
    pages.push(page);
    await page.goto(h.url);
    await page.locator('.conn[data-status="open"]').waitFor();
    await expect(page.locator('form.input').count()).resolves.toBe(0);
    const token = readFileSync(join(h.dataDir, 'token'), 'utf8').trim();
    await page.goto(`${h.url}?token=${token}`);
    expect(page.url()).toBe(h.url); // the token left the address bar for an HttpOnly cookie
    await page.locator('form.input').waitFor();
    await page.locator('form.input select[aria-label="write to port"]').selectOption('esp');
    await page.locator('form.input input.cmd').fill('AT+GMR');
    await page.locator('form.input button[type="submit"]').click();
    await expect.poll(() => h.written).toEqual([{ port: 'esp', data: 'AT+GMR\r\n' }]);
  });

  it('shows every pipeline stage and sink with its counters, a dropping sink first with its reasons', async () => {
    const q = (over: Record<string, unknown>) => ({ received: 100, delivered: 100, dropped: 0, droppedBy: {}, errors: 0, depth: 0, capacity: 2048, ...over });
    const h = await startHarness({ stages: { analysis: q({}), otel: q({ received: 5000, delivered: 958, dropped: 4042, droppedBy: { queue_full: 4000, export_failed: 42 } }), store: q({}) } });
    harnesses.push(h);
    const page = await browser.context.newPage();
    pages.push(page);
    await page.goto(h.url);
    const otel = page.locator('.pipeline tr[data-stage="otel"]');
    await otel.waitFor();
    await expect(otel.getAttribute('class')).resolves.toContain('dropping');
    await expect(otel.textContent()).resolves.toContain('queue_full 4000, export_failed 42');
    await expect(page.locator('.pipeline tbody tr').first().getAttribute('data-stage')).resolves.toBe('otel');
    expect(await page.locator('.pipeline tbody tr').count()).toBe(3);
  });

  it('looks like a tool an engineer keeps open all day (screenshots at 1280×800 and on a phone)', async () => {
    const { page } = await seeded();
    await page.locator('.fit canvas').first().waitFor();
    await page.locator('.event[data-kind="esp.reset_failed"]').click();
    await page.waitForTimeout(700); // the chart refreshes its data twice a second
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/dashboard.png' });
    await expect(page.locator('.alert[data-alert="al-1"]').isVisible()).resolves.toBe(true);
    await page.locator('.clock').evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: 'test-output/dashboard-clock.png' });
    // The Wi-Fi story told by the console's wifi_esp_at lines: reset tried 3 times, connect failed with -115.
    const wifi = page.locator('.wifi .w[data-port="console"]');
    await expect(wifi.locator('.step.fail').allTextContents()).resolves.toEqual(['ready', 'connected']);
    await expect(wifi.locator('dd.bad').textContent()).resolves.toBe('-115 ENETDOWN');
    await expect(wifi.textContent()).resolves.toContain('rpi3-hotspot');
    await wifi.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-output/dashboard-wifi.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    await page.screenshot({ path: 'test-output/dashboard-narrow.png', fullPage: false });
    // Nothing wider than the screen on a phone: the page itself does not scroll sideways.
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
  });
});
