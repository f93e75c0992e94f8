// @vitest-environment jsdom
// The route table is the one list of views: the sidebar, the shortcuts, the palette and the
// main area must all follow it, so a view added as one row shows up everywhere.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// The whole app runs against the in-memory backend the UI uses outside the desktop shell.
vi.mock("./ipc/bindings", async () => {
  const { createMockBackend } = await import("./ipc/mock");
  const { commands, events } = createMockBackend();
  return { commands, events };
});

import App from "./App.svelte";
import Spinner from "./components/Spinner.svelte";
import { app, setView } from "./lib/app.svelte";
import { isMacPlatform, parseShortcut, shortcutLabel } from "./lib/shortcuts";
import RouteView from "./RouteView.svelte";
import Sidebar from "./Sidebar.svelte";
import { routeCommands, routes, viewForShortcut, type Route, type View } from "./routes";

beforeAll(() => {
  // jsdom lays nothing out: the virtual lists' observer and scrolling are stand-ins.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  Element.prototype.scrollIntoView ??= function () {};
});

afterEach(() => {
  cleanup();
  setView("journal");
  app.paletteOpen = false;
  app.chooserOpen = false;
});

/** The key press a shortcut such as "Mod+2" stands for, on this platform. */
function press(keys: string): void {
  const s = parseShortcut(keys);
  const mac = isMacPlatform();
  const code = /^\d$/.test(s.key) ? `Digit${s.key}` : /^[a-z]$/.test(s.key) ? `Key${s.key.toUpperCase()}` : undefined;
  fireEvent.keyDown(window, {
    key: s.key,
    code,
    ctrlKey: s.mod && !mac,
    metaKey: s.mod && mac,
    shiftKey: s.shift,
    altKey: s.alt,
  });
}

function navButtons(): HTMLElement[] {
  return [...screen.getByRole("navigation", { name: "Main" }).querySelectorAll<HTMLElement>('[data-testid^="nav-"]')];
}

async function startApp(): Promise<void> {
  render(App);
  await screen.findByTestId("nav-journal", {}, { timeout: 5000 });
}

function shownView(): string | null {
  return screen.getByRole("main").getAttribute("aria-label");
}

const withKeys = routes.filter((r): r is Route & { id: View; keys: string } => !!r.keys);

describe("the route table", () => {
  it("gives every view a distinct id, shortcut and palette entry", () => {
    const ids = routes.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = withKeys.map((r) => shortcutLabel(r.keys, false));
    expect(new Set(keys).size).toBe(keys.length);
    const commands = routeCommands().map((c) => c.id);
    expect(new Set(commands).size).toBe(commands.length);
    for (const r of routes) expect(r.palette.length, r.id).toBeGreaterThan(0);
  });

  it("maps every view's shortcut back to that view", () => {
    for (const r of withKeys) {
      const s = parseShortcut(r.keys);
      const event = { key: s.key, code: /^\d$/.test(s.key) ? `Digit${s.key}` : undefined, ctrlKey: s.mod, metaKey: false, shiftKey: s.shift, altKey: s.alt };
      expect(viewForShortcut(event, false)).toBe(r.id);
    }
  });

  it("is what the sidebar lists: exactly its rows, in its order, with their shortcuts", () => {
    render(Sidebar);
    const buttons = navButtons();
    expect(buttons.map((b) => b.dataset["testid"])).toEqual(routes.map((r) => `nav-${r.id}`));
    const list = buttons[0]?.closest("ul");
    expect(list && within(list).getAllByRole("listitem")).toHaveLength(routes.length);
    routes.forEach((r, i) => {
      expect(buttons[i]?.textContent).toContain(r.label);
      if (r.keys) expect(buttons[i]?.textContent).toContain(shortcutLabel(r.keys));
    });
  });

  it("shows a view that is loaded on its first visit once its code has come", async () => {
    const { container } = render(RouteView, { route: { id: "lazy", label: "Lazy", icon: "star", palette: [], load: async () => ({ default: Spinner }) } });
    await waitFor(() => expect(container.querySelector(".spinner")).not.toBeNull());
  });
});

describe("the app's views", () => {
  it("include a row added to the table: in the sidebar, by its shortcut and in the palette", async () => {
    const example = { id: "example", label: "Example", icon: "star", keys: "Mod+9", palette: [{ id: "go-example", label: "Go to Example", keywords: "sample" }], component: Spinner } as const;
    const table = routes as unknown as Route[];
    table.push(example);
    try {
      await startApp();
      expect(navButtons().map((b) => b.dataset["testid"])).toContain("nav-example");
      press("Mod+9");
      await waitFor(() => expect(shownView()).toBe("Example"));
      expect(screen.getByRole("main").querySelector(".spinner")).not.toBeNull();
      await fireEvent.click(screen.getByTestId("nav-journal"));
      press("Mod+K");
      const command = await screen.findByTestId("palette-command-go-example");
      expect(command.textContent).toContain(shortcutLabel("Mod+9"));
      await fireEvent.mouseDown(command);
      await waitFor(() => expect(app.view).toBe("example"));
    } finally {
      table.pop();
    }
  });

  it("opens each view with its shortcut, from another view", async () => {
    await startApp();
    for (const r of withKeys) {
      const elsewhere = routes.find((o) => o.id !== r.id);
      if (elsewhere) await fireEvent.click(screen.getByTestId(`nav-${elsewhere.id}`));
      expect(shownView()).toBe(elsewhere?.label);
      press(r.keys);
      await waitFor(() => expect(shownView()).toBe(r.label));
      expect(screen.getByTestId(`nav-${r.id}`).getAttribute("aria-current")).toBe("page");
      expect(screen.queryByTestId("palette")).toBeNull();
    }
  });

  it("offers every view in the command palette, and each entry opens it", async () => {
    await startApp();
    for (const r of routes) {
      for (const entry of r.palette) {
        const elsewhere = routes.find((o) => o.id !== r.id);
        if (elsewhere) await fireEvent.click(screen.getByTestId(`nav-${elsewhere.id}`));
        press("Mod+K");
        const command = await screen.findByTestId(`palette-command-${entry.id}`);
        expect(command.textContent).toContain(entry.label);
        await fireEvent.mouseDown(command);
        await waitFor(() => expect(shownView()).toBe(r.label));
        expect(screen.queryByTestId("palette")).toBeNull();
      }
    }
  });

  it("renders each view's own content in the main area", async () => {
    await startApp();
    for (const r of routes) {
      await fireEvent.click(screen.getByTestId(`nav-${r.id}`));
      await waitFor(() => expect(shownView()).toBe(r.label));
      const main = screen.getByRole("main");
      // A view loaded on first visit (`load`) shows its content once its code has arrived.
      await waitFor(() => expect(main.textContent?.trim().length, r.id).toBeGreaterThan(0));
    }
  });

  it("keeps the editor open while moving between the views beside it", async () => {
    await startApp();
    const beside = routes.filter((r) => r.withEditor);
    expect(beside.length).toBeGreaterThan(1);
    const editor = screen.getByRole("main").querySelector(".editor");
    for (const r of beside) {
      await fireEvent.click(screen.getByTestId(`nav-${r.id}`));
      expect(screen.getByRole("main").querySelector(".editor")).toBe(editor);
    }
  });

  it("opens Settings at Export and import from the palette, with the first export in focus", async () => {
    const scrolled = vi.spyOn(Element.prototype, "scrollIntoView");
    await startApp();
    press("Mod+K");
    await fireEvent.mouseDown(await screen.findByTestId("palette-command-export"));
    await waitFor(() => expect(document.activeElement?.getAttribute("data-testid")).toBe("export-reprise-json"), { timeout: 3000 });
    expect(shownView()).toBe("Settings");
    expect(scrolled.mock.contexts.map((el) => (el as Element).id)).toContain("exchange");
    scrolled.mockRestore();
  });
});
