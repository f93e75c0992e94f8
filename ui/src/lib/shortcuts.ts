// Keyboard shortcuts written as "Mod+K", "Mod+Shift+N", "Escape". "Mod" is Cmd on macOS and
// Ctrl elsewhere, so one table serves every platform.

export interface Shortcut {
  key: string;
  mod: boolean;
  shift: boolean;
  alt: boolean;
}

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function parseShortcut(spec: string): Shortcut {
  const parts = spec.split("+");
  const key = (parts.pop() ?? "").toLowerCase();
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  return { key, mod: mods.has("mod"), shift: mods.has("shift"), alt: mods.has("alt") };
}

export function isMacPlatform(nav: { platform?: string; userAgent?: string } = globalThis.navigator ?? {}): boolean {
  return /Mac|iPhone|iPad/.test(nav.platform ?? "") || /Mac OS X/.test(nav.userAgent ?? "");
}

/** The key a digit or letter shortcut means, also when a layout or Shift changes `key`. */
function keyOf(e: KeyLike): string {
  if (e.code && /^Digit\d$/.test(e.code)) return e.code.slice(5);
  if (e.code && /^Key[A-Z]$/.test(e.code) && e.key.length === 1 && !/[a-z]/i.test(e.key)) return e.code.slice(3).toLowerCase();
  return e.key.toLowerCase();
}

export function matches(e: KeyLike, shortcut: Shortcut | string, mac = isMacPlatform()): boolean {
  const s = typeof shortcut === "string" ? parseShortcut(shortcut) : shortcut;
  const mod = mac ? e.metaKey : e.ctrlKey;
  const otherMod = mac ? e.ctrlKey : e.metaKey;
  if (s.mod !== mod || otherMod) return false;
  if (s.shift !== e.shiftKey || s.alt !== e.altKey) return false;
  return keyOf(e) === s.key;
}

/** "Mod+K" → "Ctrl+K" or "⌘K". */
export function shortcutLabel(spec: string, mac = isMacPlatform()): string {
  const s = parseShortcut(spec);
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key[0]?.toUpperCase() + s.key.slice(1);
  if (mac) return `${s.mod ? "⌘" : ""}${s.alt ? "⌥" : ""}${s.shift ? "⇧" : ""}${key}`;
  return [s.mod ? "Ctrl" : "", s.alt ? "Alt" : "", s.shift ? "Shift" : "", key].filter(Boolean).join("+");
}

/** Finds the first binding whose shortcut the event matches. */
export function findBinding<A>(e: KeyLike, bindings: readonly { keys: string; action: A }[], mac = isMacPlatform()): A | null {
  for (const b of bindings) if (matches(e, b.keys, mac)) return b.action;
  return null;
}
