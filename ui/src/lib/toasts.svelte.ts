// Short messages at the bottom of the window ("Moved to the trash — Undo"), read out by
// screen readers through a live region.

export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Toast {
  id: number;
  message: string;
  kind: "info" | "error";
  action?: ToastAction;
}

let next = 1;
export const toasts = $state<Toast[]>([]);

export function dismissToast(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

export function showToast(message: string, opts: { kind?: "info" | "error"; action?: ToastAction; ms?: number } = {}): number {
  const id = next++;
  const toast: Toast = { id, message, kind: opts.kind ?? "info" };
  if (opts.action) toast.action = opts.action;
  toasts.push(toast);
  while (toasts.length > 4) toasts.shift();
  const ms = opts.ms ?? (opts.kind === "error" ? 10_000 : opts.action ? 8_000 : 4_000);
  setTimeout(() => dismissToast(id), ms);
  return id;
}
