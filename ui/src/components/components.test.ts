// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import ConfirmDialog from "./ConfirmDialog.svelte";
import SaveStatus from "./SaveStatus.svelte";
import TagInput from "./TagInput.svelte";

afterEach(cleanup);

describe("SaveStatus", () => {
  it("shows the error in words with a Retry button that retries", async () => {
    const onretry = vi.fn();
    render(SaveStatus, { state: { kind: "error", message: "The disk is full." }, onretry });
    expect(screen.getByTestId("save-status").textContent).toContain("Error: The disk is full.");
    await fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(onretry).toHaveBeenCalledOnce();
  });

  it("says Saved without a Retry button once saved", () => {
    render(SaveStatus, { state: { kind: "saved", at: 0 }, onretry: () => {} });
    expect(screen.getByTestId("save-status").textContent).toContain("Saved");
    expect(screen.queryByRole("button")).toBeNull();
  });
});

describe("ConfirmDialog", () => {
  it("closes on Escape without confirming", async () => {
    const onconfirm = vi.fn();
    const onclose = vi.fn();
    render(ConfirmDialog, { title: "Delete?", message: "Gone for good.", confirmLabel: "Delete", onconfirm, onclose });
    await fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
    expect(onclose).toHaveBeenCalledOnce();
    expect(onconfirm).not.toHaveBeenCalled();
  });

  it("keeps Shift+Tab inside, as WebKitGTK reports it (key Unidentified, code Tab)", async () => {
    // jsdom lays nothing out; every element counts as shown here.
    const shown = vi.spyOn(HTMLElement.prototype, "offsetParent", "get").mockImplementation(function (this: HTMLElement) {
      return this.parentElement;
    });
    render(ConfirmDialog, { title: "Delete?", message: "Gone for good.", confirmLabel: "Delete", onconfirm: vi.fn(), onclose: vi.fn() });
    const dialog = screen.getByRole("dialog");
    await new Promise((r) => setTimeout(r, 0));
    const controls = [...dialog.querySelectorAll<HTMLElement>("button")];
    const first = controls[0];
    const last = controls[controls.length - 1];
    first?.focus();
    const ev = new KeyboardEvent("keydown", { key: "Unidentified", code: "Tab", shiftKey: true, bubbles: true, cancelable: true });
    first?.dispatchEvent(ev);
    expect(ev.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(last);
    shown.mockRestore();
  });

  it("brings focus back when something outside takes it", async () => {
    const outside = document.createElement("button");
    document.body.appendChild(outside);
    render(ConfirmDialog, { title: "Delete?", message: "Gone for good.", confirmLabel: "Delete", onconfirm: vi.fn(), onclose: vi.fn() });
    const dialog = screen.getByRole("dialog");
    outside.focus();
    expect(dialog.contains(document.activeElement)).toBe(true);
    outside.remove();
  });

  it("shows a failed confirmation in words and stays open", async () => {
    const onclose = vi.fn();
    render(ConfirmDialog, {
      title: "Delete?",
      message: "Gone for good.",
      confirmLabel: "Delete",
      onconfirm: () => Promise.reject({ kind: "Storage", message: "storage: disk I/O error" }),
      onclose,
    });
    await fireEvent.click(screen.getByTestId("confirm-button"));
    expect((await screen.findByRole("alert")).textContent).toBe("Storage: disk I/O error");
    expect(onclose).not.toHaveBeenCalled();
  });
});

describe("TagInput", () => {
  it("keeps one chip for a tag typed again in another case, and says why", async () => {
    const onchange = vi.fn();
    render(TagInput, { label: "Tags", tags: ["Singing"], suggestions: [], onchange, testid: "tag-input" });
    const input = screen.getByTestId("tag-input");
    await fireEvent.input(input, { target: { value: "singing" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(onchange).not.toHaveBeenCalled();
    expect(screen.getByTestId("tag-already").textContent).toContain("#Singing is already here");
  });

  it("keeps emoji and letters of any script in a tag", async () => {
    const onchange = vi.fn();
    render(TagInput, { label: "Tags", tags: [], suggestions: [], onchange, testid: "tag-input" });
    const input = screen.getByTestId("tag-input");
    await fireEvent.input(input, { target: { value: "music therapy 🎵" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(onchange).toHaveBeenLastCalledWith(["music-therapy-🎵"]);
    await fireEvent.input(input, { target: { value: "🎵" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(onchange).toHaveBeenLastCalledWith(["🎵"]);
  });

  it("adds a typed tag on Enter, normalised, and removes the last one on Backspace", async () => {
    const onchange = vi.fn();
    const { rerender } = render(TagInput, { label: "Tags", tags: [], suggestions: [], onchange, testid: "tag-input" });
    const input = screen.getByTestId("tag-input");
    await fireEvent.input(input, { target: { value: "#early years" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(onchange).toHaveBeenLastCalledWith(["early-years"]);
    await rerender({ label: "Tags", tags: ["early-years"], suggestions: [], onchange, testid: "tag-input" });
    await fireEvent.keyDown(input, { key: "Backspace" });
    expect(onchange).toHaveBeenLastCalledWith([]);
  });

  it("suggests existing tags and picks the highlighted one", async () => {
    const onchange = vi.fn();
    render(TagInput, { label: "Tags", tags: [], suggestions: [{ name: "singing", entries: 4 }, { name: "ks3", entries: 2 }], onchange, testid: "tag-input" });
    const input = screen.getByTestId("tag-input");
    await fireEvent.focus(input);
    await fireEvent.input(input, { target: { value: "si" } });
    expect(screen.getAllByRole("option").map((o) => o.textContent)).toEqual(["#singing4"]);
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(onchange).toHaveBeenLastCalledWith(["singing"]);
  });
});
