import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Refresher, type Timers } from "../../../../src/core/refresh/refresher";

/** Manual clock: timers fire only when the test advances time. */
class FakeTimers implements Timers {
  now = 0;
  private next = 1;
  private pending = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }
  get count(): number {
    return this.pending.size;
  }
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      await new Promise((r) => setImmediate(r)); // let the fetch promise settle
    }
    this.now = end;
    await new Promise((r) => setImmediate(r));
  }
}

function setup(pollMs = 1000) {
  const timers = new FakeTimers();
  let fetches = 0;
  let release: (() => void) | undefined;
  let hold = false;
  const fetch = () => {
    fetches++;
    return hold ? new Promise<void>((r) => (release = r)) : Promise.resolve();
  };
  const r = new Refresher(fetch, { debounceMs: 50, pollMs }, timers);
  return {
    r,
    timers,
    get fetches() {
      return fetches;
    },
    hold(on: boolean) {
      hold = on;
    },
    release: () => release?.(),
  };
}

describe("Refresher", () => {
  test("hidden views never fetch, not even on request; showing them fetches once", async () => {
    const s = setup();
    s.r.request();
    s.r.request();
    await s.timers.advance(10_000);
    assert.equal(s.fetches, 0);
    s.r.setVisible(true);
    await s.timers.advance(60);
    assert.equal(s.fetches, 1);
  });

  test("a burst of requests is debounced into one fetch", async () => {
    const s = setup(0);
    s.r.setVisible(true);
    await s.timers.advance(100);
    const before = s.fetches;
    for (let i = 0; i < 20; i++) s.r.request();
    await s.timers.advance(100);
    assert.equal(s.fetches - before, 1);
  });

  test("requests during a fetch merge into exactly one follow-up", async () => {
    const s = setup(0);
    s.hold(true);
    s.r.setVisible(true);
    await s.timers.advance(60);
    assert.equal(s.fetches, 1);
    s.r.request();
    await s.timers.advance(60);
    s.r.request();
    await s.timers.advance(60);
    assert.equal(s.fetches, 1, "no second fetch while one is in flight");
    s.hold(false);
    s.release();
    await s.timers.advance(10);
    assert.equal(s.fetches, 2, "one merged follow-up");
  });

  test("polls only while visible and without push", async () => {
    const s = setup(1000);
    s.r.setVisible(true);
    await s.timers.advance(3100);
    const visiblePolls = s.fetches;
    assert.ok(visiblePolls >= 3, `polled ${visiblePolls} times in 3 s`);
    s.r.setPushActive(true);
    await s.timers.advance(5000);
    assert.equal(s.fetches, visiblePolls, "no polling while push is active");
    s.r.setPushActive(false);
    s.r.setVisible(false);
    await s.timers.advance(5000);
    assert.equal(s.fetches, visiblePolls, "no polling while hidden");
    assert.equal(s.timers.count, 0, "no timers left while hidden");
  });

  test("errors go to onError and do not stop later fetches", async () => {
    const timers = new FakeTimers();
    const errors: unknown[] = [];
    let n = 0;
    const r = new Refresher(async () => {
      n++;
      if (n === 1) throw new Error("boom");
    }, { debounceMs: 10, pollMs: 0, onError: (e) => errors.push(e) }, timers);
    r.setVisible(true);
    await timers.advance(20);
    r.request();
    await timers.advance(20);
    assert.equal(n, 2);
    assert.equal(errors.length, 1);
  });

  test("now() answers a request still waiting out its debounce: one fetch, not two", async () => {
    const s = setup(0);
    s.r.setVisible(true);
    await s.timers.advance(100);
    const before = s.fetches;
    s.r.request();
    await s.r.now();
    await s.timers.advance(500);
    assert.equal(s.fetches - before, 1);
  });

  test("dispose cancels everything", async () => {
    const s = setup(1000);
    s.r.setVisible(true);
    s.r.dispose();
    await s.timers.advance(5000);
    assert.equal(s.fetches, 0);
  });
});
