import { beforeEach, describe, expect, it, vi } from "vitest";

// The generated bindings, replaced: each command answers what the test says.
const answers = vi.hoisted(() => ({ value: undefined as unknown, reject: undefined as unknown }));
vi.mock("./bindings", () => {
  const answer = () => (answers.reject !== undefined ? Promise.reject(answers.reject) : Promise.resolve(answers.value));
  const commands = new Proxy({}, { get: () => vi.fn(answer) });
  const events = { exchangeProgress: { listen: vi.fn(async (cb: (e: { payload: unknown }) => void) => (cb({ payload: { phase: "writing", done: 1, total: 2 } }), () => {})) } };
  return { commands, events };
});

const win = vi.hoisted(() => ({
  handler: null as null | (() => Promise<void>),
  unlisten: vi.fn(),
  destroy: vi.fn(() => Promise.resolve()),
}));
vi.mock("@tauri-apps/api/window", () => ({
  getCurrentWindow: () => ({
    listen: vi.fn(async (_event: string, cb: () => Promise<void>) => {
      win.handler = cb;
      return win.unlisten;
    }),
    destroy: win.destroy,
  }),
}));

import * as ipc from "./index";
import { IpcError, toIpcError, unwrap } from "./index";

beforeEach(() => {
  answers.value = undefined;
  answers.reject = undefined;
});

describe("the ipc wrapper", () => {
  it("returns the data of an ok result", async () => {
    answers.value = { status: "ok", data: { items: [], next: null } };
    await expect(ipc.listEntries({} as never)).resolves.toEqual({ items: [], next: null });
  });

  it("returns null data as null (commands without a value, cancelled dialogs)", async () => {
    answers.value = { status: "ok", data: null };
    await expect(ipc.exportJournal("reprise-json")).resolves.toBeNull();
  });

  it("throws an IpcError with the kind and message of an error result", async () => {
    answers.value = { status: "error", error: { kind: "Query", message: "search query: unbalanced quote" } };
    const err = await ipc.search({} as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect(err).toMatchObject({ kind: "Query", message: "search query: unbalanced quote" });
  });

  it("passes plain values of commands that cannot fail straight through", async () => {
    answers.value = [];
    await expect(ipc.exchangeFormats()).resolves.toEqual([]);
  });

  it("turns a rejected invoke into an IpcError", async () => {
    answers.reject = new Error("ipc channel closed");
    await expect(ipc.appInfo()).rejects.toMatchObject({ kind: "Internal", message: "ipc channel closed" });
    answers.reject = { kind: "Busy", message: "the journal is open elsewhere" };
    await expect(ipc.appInfo()).rejects.toMatchObject({ kind: "Busy", message: "the journal is open elsewhere" });
    answers.reject = "command not found";
    await expect(ipc.appInfo()).rejects.toMatchObject({ kind: "Internal", message: "command not found" });
  });

  it("hands progress events to the listener as their payload", async () => {
    const seen: unknown[] = [];
    const off = await ipc.onExchangeProgress((p) => seen.push(p));
    expect(seen).toEqual([{ phase: "writing", done: 1, total: 2 }]);
    expect(typeof off).toBe("function");
  });
});

describe("unwrap and toIpcError", () => {
  it("keep an IpcError as it is", () => {
    const e = new IpcError("NotFound", "no entry");
    expect(toIpcError(e)).toBe(e);
  });

  it("unwrap a Result promise", async () => {
    await expect(unwrap(Promise.resolve({ status: "ok" as const, data: 3 }))).resolves.toBe(3);
    await expect(unwrap(Promise.resolve({ status: "error" as const, error: { kind: "Invalid", message: "must not be empty", field: "title" } }))).rejects.toMatchObject({
      kind: "Invalid",
      field: "title",
    });
  });
});

describe("closing the window", () => {
  beforeEach(() => {
    win.handler = null;
    win.unlisten.mockClear();
    win.destroy.mockReset();
    win.destroy.mockImplementation(() => Promise.resolve());
  });

  it("commits the editor first, then closes", async () => {
    const order: string[] = [];
    win.destroy.mockImplementation(async () => void order.push("destroy"));
    await ipc.onWindowClose(async () => (order.push("save"), true), () => order.push("problem"));
    await win.handler?.();
    expect(order).toEqual(["save", "destroy"]);
  });

  it("stays open once when the text could not be saved, and closes on the second request", async () => {
    const problems: string[] = [];
    await ipc.onWindowClose(async () => false, (p) => problems.push(p.kind));
    await win.handler?.();
    expect(win.destroy).not.toHaveBeenCalled();
    expect(problems).toEqual(["unsaved"]);
    await win.handler?.();
    expect(win.destroy).toHaveBeenCalledOnce();
  });

  it("stops holding the close when it is not allowed to destroy the window", async () => {
    win.destroy.mockImplementation(() => Promise.reject("window.destroy not allowed"));
    const problems: ipc.CloseProblem[] = [];
    await ipc.onWindowClose(async () => true, (p) => problems.push(p));
    await win.handler?.();
    expect(win.unlisten).toHaveBeenCalledOnce();
    expect(problems[0]).toMatchObject({ kind: "cannot-close", error: { message: "window.destroy not allowed" } });
  });
});
