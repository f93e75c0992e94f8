let n = 0;
/** A document-unique id for tying labels and messages to controls. */
export function uid(prefix = "f"): string {
  n += 1;
  return `${prefix}-${n}`;
}
