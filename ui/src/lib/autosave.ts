// The editor's autosave: one save at a time, the newest content always wins, and "saved" is
// reported only when the save call resolved with nothing newer waiting ("Saved" means
// committed to disk, so a crash right after it loses nothing). A failed save keeps the content as unsaved, reports the error, and is tried again
// on the next change, on `flush()` (blur, close, switching entry, Ctrl+S) or on `retry()`.

export type SaveState =
  | { kind: "idle" }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "saved"; at: number }
  | { kind: "error"; message: string };

export interface AutosaveOptions<T> {
  /** Milliseconds of quiet after the last change before saving. */
  delay: number;
  /** Commits the content; rejects when it could not. */
  save: (content: T) => Promise<void>;
  /** Told about every state change. */
  onState?: (state: SaveState) => void;
  /** Turns a rejection into words for the status line. */
  describe?: (error: unknown) => string;
  now?: () => number;
}

export class Autosaver<T> {
  private state: SaveState = { kind: "idle" };
  private latest: T | undefined;
  private dirtyFlag = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<boolean> | null = null;
  private disposed = false;

  constructor(private readonly opts: AutosaveOptions<T>) {}

  get current(): SaveState {
    return this.state;
  }

  /** True while there is content that has not been committed. */
  get dirty(): boolean {
    return this.dirtyFlag || this.state.kind === "saving";
  }

  /** Records new content and (re)starts the quiet-period timer. */
  change(content: T): void {
    if (this.disposed) return;
    this.latest = content;
    this.dirtyFlag = true;
    if (this.state.kind !== "saving" && this.state.kind !== "error") this.set({ kind: "pending" });
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.opts.delay);
  }

  /**
   * Saves now if anything is unsaved, waiting for a save already running first.
   * Resolves true when everything is committed, false when the last attempt failed.
   */
  flush(): Promise<boolean> {
    this.clearTimer();
    if (this.running) return this.running;
    if (!this.dirtyFlag) return Promise.resolve(this.state.kind !== "error");
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Tries the last failed save again. */
  retry(): Promise<boolean> {
    return this.flush();
  }

  /** Stops the timer; later changes are ignored. Call `flush()` first to keep them. */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  private async drain(): Promise<boolean> {
    while (this.dirtyFlag) {
      const content = this.latest as T;
      this.dirtyFlag = false;
      this.set({ kind: "saving" });
      try {
        await this.opts.save(content);
      } catch (e) {
        this.dirtyFlag = true;
        this.set({ kind: "error", message: this.opts.describe ? this.opts.describe(e) : String(e) });
        return false;
      }
    }
    this.set({ kind: "saved", at: (this.opts.now ?? Date.now)() });
    return true;
  }

  private set(state: SaveState): void {
    this.state = state;
    this.opts.onState?.(state);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** The words of the status line for a state. */
export function saveStatusText(state: SaveState): string {
  switch (state.kind) {
    case "idle":
      return "";
    case "pending":
      return "Edited";
    case "saving":
      return "Saving…";
    case "saved":
      return "Saved";
    case "error":
      return `Error: ${state.message}`;
  }
}
