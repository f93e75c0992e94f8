import { describe, expect, it } from "vitest";
import { findBinding, matches, shortcutLabel } from "./shortcuts";

const key = (k: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean; code: string }> = {}) => ({
  key: k,
  code: mods.code,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
});

describe("keyboard shortcuts", () => {
  it("reads Mod as Ctrl on Linux and Windows and as Cmd on macOS", () => {
    expect(matches(key("k", { ctrl: true }), "Mod+K", false)).toBe(true);
    expect(matches(key("k", { meta: true }), "Mod+K", false)).toBe(false);
    expect(matches(key("k", { meta: true }), "Mod+K", true)).toBe(true);
    expect(matches(key("k", { ctrl: true }), "Mod+K", true)).toBe(false);
  });

  it("does not fire on extra modifiers", () => {
    expect(matches(key("N", { ctrl: true, shift: true }), "Mod+N", false)).toBe(false);
    expect(matches(key("s", { ctrl: true, alt: true }), "Mod+S", false)).toBe(false);
    expect(matches(key("k"), "Mod+K", false)).toBe(false);
  });

  it("matches digits by their key position, whatever the layout prints", () => {
    expect(matches(key("&", { ctrl: true, code: "Digit1" }), "Mod+1", false)).toBe(true);
    expect(matches(key("2", { ctrl: true, code: "Digit2" }), "Mod+1", false)).toBe(false);
  });

  it("finds the first binding that matches", () => {
    const bindings = [
      { keys: "Mod+N", action: "new" },
      { keys: "Mod+K", action: "palette" },
    ];
    expect(findBinding(key("k", { ctrl: true }), bindings, false)).toBe("palette");
    expect(findBinding(key("x", { ctrl: true }), bindings, false)).toBeNull();
  });

  it("labels shortcuts the way each platform writes them", () => {
    expect(shortcutLabel("Mod+K", false)).toBe("Ctrl+K");
    expect(shortcutLabel("Mod+Shift+N", false)).toBe("Ctrl+Shift+N");
    expect(shortcutLabel("Mod+K", true)).toBe("⌘K");
  });
});
