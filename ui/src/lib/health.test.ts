import { describe, expect, it, vi } from "vitest";

const outcome = vi.hoisted(() => ({
  kind: "ok" as "ok" | "Damaged" | "Storage",
  /** When set, the next answer waits until the test settles it. */
  held: null as null | { promise: Promise<null>; resolve: (v: null) => void; reject: (e: unknown) => void },
}));

vi.mock("../ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../ipc")>();
  return {
    ...real,
    journalHealth: vi.fn(() => {
      if (outcome.held) {
        const held = outcome.held;
        outcome.held = null;
        return held.promise;
      }
      if (outcome.kind === "Damaged")
        return Promise.reject(
          new real.IpcError("Damaged", "the journal at /j.reprise is damaged (page 7: btreeInitPage() returns error code 11); it has not been changed. Restore a backup from /backups"),
        );
      if (outcome.kind === "Storage") return Promise.reject(new real.IpcError("Storage", "storage: disk I/O error"));
      return Promise.resolve(null);
    }),
  };
});

import { app, watchJournalHealth } from "./app.svelte";

describe("the journal's check at launch", () => {
  it("puts damage in plain words where the banner shows it", async () => {
    outcome.kind = "Damaged";
    await watchJournalHealth();
    expect(app.damage).toMatch(/^The journal at \/j\.reprise is damaged .*Restore a backup from \/backups$/);
  });

  it("clears the banner when the journal is healthy", async () => {
    app.damage = "left over";
    outcome.kind = "ok";
    await watchJournalHealth();
    expect(app.damage).toBeNull();
  });

  it("shows no damage banner when the check only could not run (the next save retries it)", async () => {
    app.damage = null;
    outcome.kind = "Storage";
    await watchJournalHealth();
    expect(app.damage).toBeNull();
  });

  it("does not let the answer about the journal open before a switch overwrite the one after it", async () => {
    app.damage = null;
    let settle!: { resolve: (v: null) => void; reject: (e: unknown) => void };
    const promise = new Promise<null>((resolve, reject) => (settle = { resolve, reject }));
    outcome.held = { promise, ...settle };
    const before = watchJournalHealth(); // the journal open before the switch: damaged, answers late
    outcome.kind = "ok";
    await watchJournalHealth(); // the journal switched to: healthy
    const { IpcError } = await import("../ipc");
    settle.reject(new IpcError("Damaged", "the journal at /old.reprise is damaged"));
    await before;
    expect(app.damage).toBeNull();
  });
});
