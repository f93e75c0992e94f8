import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Autosaver, saveStatusText, type SaveState } from "./autosave";

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("autosave", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(save: (v: string) => Promise<void>) {
    const states: SaveState["kind"][] = [];
    const saver = new Autosaver<string>({ delay: 1000, save, onState: (s) => states.push(s.kind), describe: (e) => String(e) });
    return { saver, states };
  }

  it("saves once, a second after typing stops, with the newest text", async () => {
    const save = vi.fn(() => Promise.resolve());
    const { saver } = setup(save);
    saver.change("a");
    await vi.advanceTimersByTimeAsync(600);
    saver.change("ab");
    await vi.advanceTimersByTimeAsync(600);
    saver.change("abc");
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith("abc");
  });

  it("says Saved only after the save resolved", async () => {
    const d = deferred();
    const { saver } = setup(() => d.promise);
    saver.change("x");
    await vi.advanceTimersByTimeAsync(1000);
    expect(saver.current.kind).toBe("saving");
    d.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(saver.current.kind).toBe("saved");
  });

  it("never says Saved while newer typing waits behind a running save", async () => {
    const first = deferred();
    const calls: string[] = [];
    const { saver, states } = setup((v) => {
      calls.push(v);
      return calls.length === 1 ? first.promise : Promise.resolve();
    });
    saver.change("one");
    await vi.advanceTimersByTimeAsync(1000);
    saver.change("one two");
    first.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(["one", "one two"]);
    expect(states.filter((s) => s === "saved")).toHaveLength(1);
    expect(states[states.length - 1]).toBe("saved");
  });

  it("runs one save at a time", async () => {
    let running = 0;
    let most = 0;
    const { saver } = setup(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 500));
      running -= 1;
    });
    saver.change("a");
    const a = saver.flush();
    saver.change("b");
    const b = saver.flush();
    await vi.advanceTimersByTimeAsync(3000);
    await Promise.all([a, b]);
    expect(most).toBe(1);
  });

  it("keeps failed content unsaved, reports the error, and retries it", async () => {
    let fail = true;
    const save = vi.fn((_: string) => (fail ? Promise.reject("disk full") : Promise.resolve()));
    const { saver } = setup(save);
    saver.change("precious");
    await vi.advanceTimersByTimeAsync(1000);
    expect(saver.current).toEqual({ kind: "error", message: "disk full" });
    expect(saver.dirty).toBe(true);
    fail = false;
    await expect(saver.retry()).resolves.toBe(true);
    expect(save).toHaveBeenLastCalledWith("precious");
    expect(saver.current.kind).toBe("saved");
    expect(saver.dirty).toBe(false);
  });

  it("saves at once on flush (blur, Ctrl+S, switching) without waiting for the timer", async () => {
    const save = vi.fn(() => Promise.resolve());
    const { saver } = setup(save);
    saver.change("now");
    await expect(saver.flush()).resolves.toBe(true);
    expect(save).toHaveBeenCalledWith("now");
    await vi.advanceTimersByTimeAsync(2000);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it("does nothing on flush when nothing changed", async () => {
    const save = vi.fn(() => Promise.resolve());
    const { saver } = setup(save);
    await expect(saver.flush()).resolves.toBe(true);
    expect(save).not.toHaveBeenCalled();
  });

  it("puts the state into words for the status line", () => {
    expect(saveStatusText({ kind: "saving" })).toBe("Saving…");
    expect(saveStatusText({ kind: "saved", at: 0 })).toBe("Saved");
    expect(saveStatusText({ kind: "error", message: "The disk is full." })).toBe("Error: The disk is full.");
  });
});
