// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";

vi.mock("../../ipc/bindings", async () => {
  const { createMockBackend } = await import("../../ipc/mock");
  const { commands, events } = createMockBackend();
  return { commands, events };
});

import { app } from "../../lib/app.svelte";
import Settings from "./Settings.svelte";

afterEach(() => {
  cleanup();
  app.section = null;
});

describe("the Settings page", () => {
  it("lays out its sections in order, each a region named by its heading", async () => {
    render(Settings);
    await screen.findByTestId("profile-name");
    const names = ["Your profile", "Journal file", "Appearance", "Templates", "Export and import"];
    expect(screen.getAllByRole("region")).toEqual(names.map((name) => screen.getByRole("region", { name })));
    expect(screen.getByRole("radiogroup", { name: "Appearance" })).toBeTruthy();
  });

  it("opened at a section, puts its first control in focus once the profile has loaded", async () => {
    const scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled;
    app.section = "exchange";
    render(Settings);
    await waitFor(() => expect(document.activeElement?.getAttribute("data-testid")).toBe("export-reprise-json"));
    expect(screen.getByTestId("profile-name")).toBeTruthy();
    expect(scrolled.mock.contexts.map((el) => (el as Element).id)).toEqual(["exchange"]);
  });
});
