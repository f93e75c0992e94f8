// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AttachmentMeta, Entry } from "../../ipc";

const failing = vi.hoisted(() => ({ kind: null as import("../../ipc").ErrorKind | null }));

vi.mock("../../ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../ipc")>();
  return {
    ...real,
    attachmentUrl: (id: string) => `reprise-attachment://localhost/${id}`,
    saveDraft: vi.fn(() => Promise.resolve(null)),
    discardDraft: vi.fn(() => Promise.resolve(null)),
    removeAttachment: vi.fn(() =>
      failing.kind ? Promise.reject(new real.IpcError(failing.kind, "storage: disk I/O error")) : Promise.resolve(null),
    ),
  };
});

import { blankInput } from "../../lib/entries";
import Attachments from "./Attachments.svelte";
import { EditorSession } from "./session.svelte";

const ID = "0b4f7a52-3c1e-4d8a-9f6b-2e7c5d1a8b90";
const photo: AttachmentMeta = { id: ID, file_name: "circle_time.jpg", media_type: "image/jpeg", size: 2048, sha256: "0".repeat(64), created_at: "2026-11-22T10:00:00Z" };

function session(): EditorSession {
  const entry: Entry = {
    ...blankInput("reflection", "2026-11-22"),
    id: "e1",
    title: "Circle time",
    body: "We sang.",
    attachments: [photo],
    created_at: "2026-11-22T10:00:00Z",
    updated_at: "2026-11-22T10:00:00Z",
    deleted_at: null,
  } as Entry;
  return new EditorSession({ entry, onCommitted: () => {} });
}

afterEach(() => {
  cleanup();
  failing.kind = null;
});

describe("Attachments", () => {
  it("shows why a file could not be removed, and keeps it listed", async () => {
    failing.kind = "Storage";
    const s = session();
    render(Attachments, { session: s });
    await fireEvent.click(screen.getByRole("button", { name: "Remove circle_time.jpg" }));
    await fireEvent.click(screen.getByTestId("confirm-button"));
    expect((await screen.findByRole("alert")).textContent).toBe("The file could not be removed: Storage: disk I/O error");
    expect(s.attachments).toHaveLength(1);
  });

  it("drops a file the journal no longer has", async () => {
    failing.kind = "NotFound";
    const s = session();
    render(Attachments, { session: s });
    await fireEvent.click(screen.getByRole("button", { name: "Remove circle_time.jpg" }));
    await fireEvent.click(screen.getByTestId("confirm-button"));
    await vi.waitFor(() => expect(s.attachments).toHaveLength(0));
  });

  it("inserts an image at the cursor through the editor, or appends it to the text", async () => {
    const oninsert = vi.fn(() => true);
    const s = session();
    render(Attachments, { session: s, oninsert });
    await fireEvent.click(screen.getByTestId("insert-attachment"));
    expect(oninsert).toHaveBeenCalledWith(`![circle\\_time.jpg](attachment:${ID})`);
    expect(s.input.body).toBe("We sang.");
    cleanup();

    render(Attachments, { session: s, oninsert: () => false });
    await fireEvent.click(screen.getByTestId("insert-attachment"));
    expect(s.input.body).toBe(`We sang.\n\n![circle\\_time.jpg](attachment:${ID})\n`);
    s.dispose();
  });
});
