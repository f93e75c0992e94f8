// An in-memory stand-in for the Rust core, used ONLY by `vite dev` in a plain browser (see
// index.ts): it lets the UI be looked at and clicked through without the desktop shell.
// It is never bundled into a production build. URL switches: `?entries=50000` sets the size of
// the demo journal, `?firstrun` starts at the welcome screen, `?fail=save` makes saves fail,
// `?drafts` leaves drafts behind as if the app had crashed.

import type { Backend, Progress } from "./index";
import type {
  AppInfo,
  AttachmentMeta,
  Draft,
  Entry,
  EntryFilter,
  EntryInput,
  EntryKind,
  EntrySummary,
  Page,
  ImportReport,
  Person,
  Result,
  SearchHit,
  Template,
  IpcError,
} from "./bindings";

const structuredClone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const params = new URLSearchParams(typeof location === "undefined" ? "" : location.search);

function ok<T>(data: T): Promise<Result<T, IpcError>> {
  return new Promise((resolve) => setTimeout(() => resolve({ status: "ok", data }), 20 + Math.random() * 40));
}
function err<T>(kind: string, message: string): Promise<Result<T, IpcError>> {
  return new Promise((resolve) => setTimeout(() => resolve({ status: "error", error: { kind, message } }), 60));
}

let seq = 0;
function uuid(): string {
  seq += 1;
  const hex = (Date.now().toString(16) + seq.toString(16).padStart(8, "0")).padStart(20, "0").slice(-20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${seq.toString(16).padStart(12, "0")}`;
}
const nowIso = () => new Date().toISOString();
const today = () => new Date().toISOString().slice(0, 10);

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

const T0 = "2026-01-01T09:00:00Z";
const templates: Template[] = [
  {
    id: "01900000-0000-7000-8000-000000000001",
    key: "gibbs",
    name: "Gibbs' reflective cycle",
    description: "A thorough, step-by-step reflection for a session or moment you want to understand properly and learn from.",
    kind: "reflection",
    builtin: true,
    prompts: [
      { heading: "Description", guidance: ["What happened, in the order it happened?", "Who was there, and what was the setting like?"] },
      { heading: "Feelings", guidance: ["How were you feeling before, during and after?", "What do you imagine the children were feeling?"] },
      { heading: "Evaluation", guidance: ["What went well, and what was harder?"] },
      { heading: "Analysis", guidance: ["Why do you think things unfolded the way they did?"] },
      { heading: "Conclusion", guidance: ["What have you learnt from this?"] },
      { heading: "Action plan", guidance: ["What will you do the same or differently next time?"] },
    ],
    created_at: T0,
    updated_at: T0,
  },
  {
    id: "01900000-0000-7000-8000-000000000002",
    key: "rolfe",
    name: "Rolfe: What? So what? Now what?",
    description: "Three quick questions that move from what happened to what it means and what to do next.",
    kind: "reflection",
    builtin: true,
    prompts: [
      { heading: "What?", guidance: ["What happened? What did I do, and what did others do?"] },
      { heading: "So what?", guidance: ["What does this tell me about my practice or the group?"] },
      { heading: "Now what?", guidance: ["What will I do next, and what would help?"] },
    ],
    created_at: T0,
    updated_at: T0,
  },
  {
    id: "01900000-0000-7000-8000-000000000003",
    key: "schon",
    name: "Schön: a moment in action",
    description: "A quick note of a moment when you changed course during a session.",
    kind: "quick_note",
    builtin: true,
    prompts: [{ heading: "The moment", guidance: ["What did you notice, and what did you change there and then?"] }],
    created_at: T0,
    updated_at: T0,
  },
  {
    id: "01900000-0000-7000-8000-000000000004",
    key: "music-session",
    name: "Music session record",
    description: "The facts of a session and a short note on how it went.",
    kind: "session_record",
    builtin: true,
    prompts: [
      { heading: "Plan", guidance: ["What did you plan to do?"] },
      { heading: "How it went", guidance: ["What happened that you did not expect?"] },
    ],
    created_at: T0,
    updated_at: T0,
  },
];

const TAGS = ["early-years", "ks3", "singing", "behaviour", "inclusion", "percussion", "mentoring", "send", "improvisation", "parents"];
const TITLES = [
  "Rhythm circle with the toddler group",
  "Year 8 samba — losing the room",
  "Peer observation debrief",
  "Lullabies with the baby room",
  "Call-and-response that finally clicked",
  "Working with a new teaching assistant",
  "Quiet child joined in on the drum",
  "Planning the spring concert",
  "Supervision notes",
  "Improvising with the looked-after children group",
];

const entries = new Map<string, Entry>();
const drafts = new Map<string, Draft>();
const attachmentData = new Map<string, string>();
let owner: Person | null = null;
let info: AppInfo = {
  journal_path: "/home/sam/.local/share/reprise/journal.reprise",
  is_sample: false,
  first_run: params.has("firstrun"),
  theme: "system",
  version: "0.1.0-dev",
};

function seed(count: number): void {
  entries.clear();
  const start = new Date("2026-11-20T12:00:00Z").getTime();
  for (let i = 0; i < count; i++) {
    const day = new Date(start - Math.floor(i * 0.9) * 86_400_000 * (count > 2000 ? 0.05 : 1));
    const kind: EntryKind = i % 7 === 3 ? "quick_note" : i % 5 === 1 ? "session_record" : "reflection";
    const template = kind === "reflection" ? (i % 3 === 0 ? templates[0] : templates[1]) : null;
    const title = `${TITLES[i % TITLES.length] ?? "Entry"}${i >= TITLES.length ? ` (${i})` : ""}`;
    const body = template
      ? template.prompts.map((p) => `## ${p.heading}\n\nThe children ${i % 2 ? "sang" : "played"} with real focus today; ${p.heading.toLowerCase()} notes go here.\n`).join("\n")
      : "Short note: the *shaker egg* game settled the group in under a minute. Try it again on **Thursday**.";
    const id = uuid();
    entries.set(id, {
      id,
      kind,
      title,
      body,
      occurred_on: day.toISOString().slice(0, 10),
      occurred_time: null,
      template_id: template?.id ?? null,
      starred: i % 11 === 0,
      tags: [TAGS[i % TAGS.length] ?? "misc", ...(i % 4 === 0 ? [TAGS[(i + 3) % TAGS.length] ?? "misc"] : [])],
      session:
        kind === "session_record"
          ? { setting: "Sunflower Nursery", group: "Toddlers", age_range: "2–3", participants: 9, duration_minutes: 40, activities: "Hello song, shakers, goodbye song" }
          : null,
      linked_entries: [],
      linked_cpd: [],
      linked_relationships: [],
      attachments: [],
      created_at: day.toISOString(),
      updated_at: day.toISOString(),
      deleted_at: null,
    });
  }
}
seed(Number(params.get("entries") ?? 400));
if (params.has("drafts")) {
  const first = [...entries.values()][0];
  if (first) {
    const { attachments: _a, id: _i, created_at: _c, updated_at: _u, deleted_at: _d, ...content } = first;
    drafts.set(first.id, { entry_id: first.id, key: first.id, content: { ...content, body: `${first.body}\n\nA last thought typed just before the crash.` }, saved_at: nowIso(), newer_than_entry: true });
  }
  drafts.set("new:k1", {
    entry_id: null,
    key: "k1",
    content: { kind: "quick_note", title: "", body: "The quiet child hummed along to the goodbye song.", occurred_on: today(), occurred_time: null, template_id: null, starred: false, tags: [], session: null, linked_entries: [], linked_cpd: [], linked_relationships: [] },
    saved_at: nowIso(),
    newer_than_entry: true,
  });
}

function excerptOf(body: string): string {
  return body
    .replace(/^#+\s*/gm, "")
    .replace(/[*_`>]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}

function summary(e: Entry): EntrySummary {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    occurred_on: e.occurred_on,
    template_name: templates.find((t) => t.id === e.template_id)?.name ?? null,
    tags: e.tags,
    excerpt: excerptOf(e.body),
    starred: e.starred,
    updated_at: e.updated_at,
    deleted_at: e.deleted_at,
  };
}

function matching(f: EntryFilter): Entry[] {
  const tpl = f.template ? templates.find((t) => t.id === f.template || t.key === f.template) : undefined;
  const out = [...entries.values()].filter(
    (e) =>
      (f.trash ? e.deleted_at !== null : e.deleted_at === null) &&
      f.tags.every((t) => e.tags.includes(t)) &&
      (!f.kind || e.kind === f.kind) &&
      (!f.template || e.template_id === tpl?.id) &&
      (!f.since || e.occurred_on >= f.since) &&
      (!f.until || e.occurred_on <= f.until) &&
      (!f.starred || e.starred),
  );
  out.sort((a, b) => (a.occurred_on === b.occurred_on ? (a.id < b.id ? 1 : -1) : a.occurred_on < b.occurred_on ? 1 : -1));
  return out;
}

function paged<T>(all: T[], f: EntryFilter): Page<T> {
  const start = f.cursor ? Number(f.cursor) : 0;
  const limit = Math.min(f.limit ?? 50, 500);
  const items = all.slice(start, start + limit);
  return { items, next: start + limit < all.length ? String(start + limit) : null };
}

function toEntry(input: EntryInput, base?: Entry): Entry {
  const t = nowIso();
  const firstLine = input.body.split("\n").map((l) => l.replace(/^#+\s*/, "").trim()).find((l) => l) ?? "";
  return {
    id: base?.id ?? uuid(),
    kind: input.kind,
    title: input.title.trim() || firstLine.slice(0, 80) || (input.kind === "quick_note" ? "Quick note" : input.kind === "session_record" ? "Session record" : "Untitled reflection"),
    body: input.body,
    occurred_on: input.occurred_on ?? today(),
    occurred_time: input.occurred_time,
    template_id: input.template_id,
    starred: input.starred,
    tags: [...new Set(input.tags.map((x) => x.replace(/^#/, "").trim().replace(/\s+/g, "-")).filter(Boolean))],
    session: input.session,
    linked_entries: input.linked_entries,
    linked_cpd: input.linked_cpd,
    linked_relationships: input.linked_relationships,
    attachments: base?.attachments ?? [],
    created_at: base?.created_at ?? t,
    updated_at: t,
    deleted_at: null,
  };
}

function renderMd(md: string): string {
  const inline = (s: string) =>
    escapeHtml(s)
      // Like the core: attachment images stay images; web and email links stay links.
      .replace(/!\[([^\]]*)\]\((attachment:[0-9a-f-]{36})\)/g, '<img src="$2" alt="$1">')
      .replace(/\[([^\]]+)\]\(((?:https?:\/\/|mailto:)[^)\s"]+)\)/g, '<a href="$2" rel="noopener noreferrer nofollow">$1</a>')
      .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
      .replace(/\*(.+?)\*/g, "<em>$1</em>")
      .replace(/`(.+?)`/g, "<code>$1</code>");
  const out: string[] = [];
  let list = false;
  for (const block of md.split(/\n{2,}/)) {
    const lines = block.split("\n").filter((l) => l.trim());
    if (lines.length === 0) continue;
    for (const line of lines) {
      const h = /^(#{1,6})\s+(.*)$/.exec(line);
      const li = /^\s*[-*]\s+(.*)$/.exec(line);
      if (li) {
        if (!list) out.push("<ul>");
        list = true;
        out.push(`<li>${inline(li[1] ?? "")}</li>`);
        continue;
      }
      if (list) out.push("</ul>");
      list = false;
      if (h) out.push(`<h${h[1]?.length}>${inline(h[2] ?? "")}</h${h[1]?.length}>`);
      else out.push(`<p>${inline(line)}</p>`);
    }
  }
  if (list) out.push("</ul>");
  return out.join("\n");
}

function markHtml(text: string, words: string[]): string {
  let html = escapeHtml(text);
  for (const w of words) {
    if (!w) continue;
    const re = new RegExp(`(${escapeHtml(w).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\w*)`, "gi");
    html = html.replace(re, "<mark>$1</mark>");
  }
  return html;
}

const progressListeners = new Set<(e: { payload: Progress }) => void>();
async function runExchange(total: number): Promise<void> {
  for (let done = 0; done <= total; done += Math.ceil(total / 8)) {
    progressListeners.forEach((l) => l({ payload: { phase: "Writing entries", done: Math.min(done, total), total } }));
    await new Promise((r) => setTimeout(r, 120));
  }
}

export function createMockBackend(): Backend {
  const commands: Backend["commands"] = {
    appInfo: () => ok(info),
    journalHealth: () => ok(null),
    finishWelcome: (profile, sample) => {
      if (!profile.display_name.trim()) return err("Invalid", "invalid display_name: must not be empty");
      owner = { id: uuid(), display_name: profile.display_name, contact: profile.contact, role_words: profile.role_words, is_owner: true, notes: "", created_at: nowIso(), updated_at: nowIso() };
      if (!sample) seed(0);
      info = { ...info, first_run: false, is_sample: sample, journal_path: sample ? "/home/sam/.local/share/reprise/sample.reprise" : info.journal_path };
      return ok(info);
    },
    setTheme: (theme) => {
      info = { ...info, theme };
      return ok(null);
    },
    switchJournal: (sample) => {
      seed(sample ? 400 : 12);
      info = { ...info, is_sample: sample, journal_path: sample ? "/home/sam/.local/share/reprise/sample.reprise" : "/home/sam/.local/share/reprise/journal.reprise" };
      return ok(info);
    },
    getOwner: () => ok(owner ?? { id: uuid(), display_name: "Sam Taylor", contact: null, role_words: "Early-years music leader", is_owner: true, notes: "", created_at: T0, updated_at: T0 }),
    setOwner: (input) => {
      if (!input.display_name.trim()) return err("Invalid", "invalid display_name: must not be empty");
      owner = { id: owner?.id ?? uuid(), display_name: input.display_name.trim(), contact: input.contact, role_words: input.role_words, is_owner: true, notes: input.notes, created_at: T0, updated_at: nowIso() };
      return ok(owner);
    },
    listEntries: (f) => ok(paged(matching(f).map(summary), f)),
    countEntries: (f) => ok(matching(f).length),
    getEntry: (id) => {
      const e = entries.get(id);
      return e ? ok(structuredClone(e)) : err("NotFound", `no entry with id ${id}`);
    },
    createEntry: (input) => {
      if (params.get("fail") === "save") return err("DiskFull", "storage: database or disk is full");
      const e = toEntry(input);
      entries.set(e.id, e);
      return ok(structuredClone(e));
    },
    updateEntry: (id, input) => {
      if (params.get("fail") === "save") return err("DiskFull", "storage: database or disk is full");
      const base = entries.get(id);
      if (!base) return err("NotFound", `no entry with id ${id}`);
      if (input.session?.participants != null && input.session.participants > 100000)
        return err("Invalid", `invalid session.participants: ${input.session.participants} is more than 100000`);
      const e = toEntry(input, base);
      entries.set(id, e);
      return ok(structuredClone(e));
    },
    trashEntry: (id) => {
      const e = entries.get(id);
      if (e) e.deleted_at = nowIso();
      return ok(null);
    },
    restoreEntry: (id) => {
      const e = entries.get(id);
      if (e) e.deleted_at = null;
      return ok(null);
    },
    purgeEntry: (id) => {
      entries.delete(id);
      return ok(null);
    },
    renderMarkdown: async (md) => renderMd(md),
    listTags: () => {
      const counts = new Map<string, number>();
      for (const e of entries.values()) if (!e.deleted_at) for (const t of e.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
      return ok([...counts].map(([name, n]) => ({ name, entries: n, cpd: 0 })).sort((a, b) => a.name.localeCompare(b.name)));
    },
    listTemplates: () => ok(structuredClone(templates)),
    createTemplate: (input) => {
      if (!input.name.trim()) return err("Invalid", "invalid name: must not be empty");
      if (input.prompts.length === 0) return err("Invalid", "invalid prompts: a template needs at least one prompt");
      const t: Template = { ...input, description: input.description ?? "", id: uuid(), key: input.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"), builtin: false, created_at: nowIso(), updated_at: nowIso() };
      templates.push(t);
      return ok(t);
    },
    updateTemplate: (id, input) => {
      const t = templates.find((x) => x.id === id);
      if (!t) return err("NotFound", `no template with id ${id}`);
      if (t.builtin) return err("Invalid", "invalid template: built-in templates cannot be changed; copy it first");
      if (input.prompts.length === 0) return err("Invalid", "invalid prompts: a template needs at least one prompt");
      Object.assign(t, input, { description: input.description ?? "", updated_at: nowIso() });
      return ok(structuredClone(t));
    },
    copyTemplate: (idOrKey, name) => {
      const t = templates.find((x) => x.id === idOrKey || x.key === idOrKey);
      if (!t) return err("NotFound", `no template with id ${idOrKey}`);
      const copy: Template = { ...structuredClone(t), id: uuid(), key: `${t.key}-copy`, name: name ?? `${t.name} (copy)`, builtin: false, created_at: nowIso(), updated_at: nowIso() };
      templates.push(copy);
      return ok(copy);
    },
    deleteTemplate: (id) => {
      const i = templates.findIndex((x) => x.id === id);
      if (i >= 0) templates.splice(i, 1);
      return ok(null);
    },
    search: (req) => {
      const q = req.query.trim();
      if (/["(]$/.test(q) || q === "AND" || q === "OR") return err("Query", "search query: the query ends before it is complete");
      const words = q.toLowerCase().split(/\s+/).filter(Boolean);
      const all = matching(req.filter).filter((e) => {
        const hay = `${e.title} ${e.body} ${e.tags.join(" ")}`.toLowerCase();
        return words.every((w) => hay.includes(w));
      });
      const hits: SearchHit[] = all.map((e) => {
        const ex = excerptOf(e.body);
        return { entry: summary(e), title_html: markHtml(e.title, words), snippet_html: markHtml(ex, words), snippet_text: ex };
      });
      return ok(paged(hits, req.filter));
    },
    saveDraft: (entryId, key, content) => {
      drafts.set(entryId ?? `new:${key}`, { entry_id: entryId, key: entryId ?? key, content, saved_at: nowIso(), newer_than_entry: true });
      return ok(null);
    },
    listDrafts: () => ok([...drafts.values()]),
    discardDraft: (entryId, key) => {
      drafts.delete(entryId ?? `new:${key}`);
      return ok(null);
    },
    addAttachment: (entryId) => {
      const e = entries.get(entryId);
      if (!e) return err("NotFound", `no entry with id ${entryId}`);
      const id = uuid();
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><rect width="320" height="180" fill="#d9e4dd"/><text x="24" y="96" font-size="20" fill="#2f4f4a">Session photo</text></svg>`;
      attachmentData.set(id, `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      const meta: AttachmentMeta = { id, file_name: `photo-${e.attachments.length + 1}.svg`, media_type: "image/svg+xml", size: svg.length, sha256: "0".repeat(64), created_at: nowIso() };
      e.attachments.push(meta);
      return ok(meta);
    },
    removeAttachment: (id) => {
      for (const e of entries.values()) e.attachments = e.attachments.filter((a) => a.id !== id);
      return ok(null);
    },
    openAttachment: () => ok(null),
    exportJournal: async (format) => {
      const n = matching({ tags: [], kind: null, template: null, relationship: null, since: null, until: null, starred: false, trash: false, cursor: null, limit: null }).length;
      await runExchange(n);
      return ok({ entries: n, attachments: 0, bytes: n * 1500, path: `/home/sam/Documents/reprise-export.${format === "json" ? "json" : "md"}` });
    },
    importJournal: async () => {
      await runExchange(40);
      const none = { added: 0, updated: 0, skipped: 0 };
      const report: ImportReport = {
        templates: none, people: none, relationships: none, mentoring_sessions: none, actions: none, cpd_activities: none,
        entries: { added: 38, updated: 2, skipped: 5 }, attachments: { added: 3, updated: 0, skipped: 0 },
        total: { added: 41, updated: 2, skipped: 5 }, backup: "/home/sam/.local/share/reprise/backups/before-import.reprise",
      };
      return ok(report);
    },
    openExternal: () => ok(null),
  };
  const events = {
    exchangeProgress: {
      listen: (cb: (e: { payload: Progress }) => void) => {
        progressListeners.add(cb);
        return Promise.resolve(() => progressListeners.delete(cb));
      },
      once: (cb: (e: { payload: Progress }) => void) => {
        const once = (e: { payload: Progress }) => {
          progressListeners.delete(once);
          cb(e);
        };
        progressListeners.add(once);
        return Promise.resolve(() => progressListeners.delete(once));
      },
    },
  } as unknown as Backend["events"];
  return { commands, events, attachmentUrl: (id) => attachmentData.get(id) ?? "" };
}
