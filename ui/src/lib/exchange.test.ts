import { describe, expect, it } from "vitest";
import type { ImportReport } from "../ipc";
import { importSummary } from "./exchange";

const c = (added = 0, updated = 0, skipped = 0) => ({ added, updated, skipped });
const report = (over: Partial<ImportReport> = {}): ImportReport => ({
  templates: c(),
  people: c(),
  relationships: c(),
  mentoring_sessions: c(),
  actions: c(),
  cpd_activities: c(),
  entries: c(),
  attachments: c(),
  total: c(),
  backup: null,
  ...over,
});

describe("the import summary line", () => {
  it("counts new and updated entries, what was already there, and where the backup is", () => {
    const r = report({ entries: c(10, 2, 3), attachments: c(4), total: c(14, 2, 3), backup: "/b/before-import.reprise" });
    expect(importSummary(r)).toBe(
      "Imported 12 entries (10 new, 2 updated); 3 already here; 4 other records (templates, people, attachments…). A backup of the journal as it was is at /b/before-import.reprise.",
    );
  });

  it("says plainly when a re-import changed nothing", () => {
    expect(importSummary(report({ entries: c(0, 0, 5), total: c(0, 0, 7) }))).toBe("Nothing new to import: all 7 records were already in the journal.");
  });

  it("uses the core's own line when it sends one", () => {
    expect(importSummary({ ...report(), summary: "Imported 1 entry." } as ImportReport)).toBe("Imported 1 entry.");
  });
});
