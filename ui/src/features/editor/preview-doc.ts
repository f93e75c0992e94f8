// The document shown in the preview frame. `html` is the core's sanitised rendering (bodies are
// treated as hostile, since an entry may be pasted from anywhere or imported): it is
// only ever placed in an `<iframe sandbox="">` (no scripts, no same-origin), never in our DOM.
//
// Two things the frame cannot do on its own are done here, on the sanitised HTML:
// - attachment images: the core writes `<img src="attachment:<uuid>">`, a scheme no webview
//   loads, so that exact form is pointed at the shell's attachment URL before the HTML goes in;
// - links: the frame has no scripts and the CSP stops it navigating, so the entry's web and
//   email links are listed under the preview as buttons that ask the shell to open them.

/** A hyphenated UUID, the only spelling the core lets through after `attachment:`. */
const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/** One `<img …>` start tag (attribute values are quoted; `>` may appear inside them). */
const IMG_TAG = /<img\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi;

/** The `src` attribute of an attachment image, exactly as the sanitiser writes it. */
const ATTACHMENT_SRC = new RegExp(`(\\s)src="attachment:(${UUID})"`, "g");

const escapeAttribute = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * Points every `<img src="attachment:<uuid>">` at `urlOf(uuid)` (the shell's attachment URL).
 * Only `src` attributes of `img` tags change: text that merely reads `src="attachment:…"` (in a
 * code span, say) stays as written, and anything but an exact hyphenated UUID is left alone.
 */
export function rewriteAttachmentImages(html: string, urlOf: (id: string) => string): string {
  return html.replace(IMG_TAG, (tag) =>
    tag.replace(ATTACHMENT_SRC, (_m, space: string, id: string) => `${space}src="${escapeAttribute(urlOf(id))}"`),
  );
}

/**
 * The Markdown that shows attachment `id` as an image: `![file name](attachment:<id>)`, with the
 * name's Markdown punctuation escaped and line breaks flattened so it stays plain alt text.
 */
export function attachmentImageMarkdown(fileName: string, id: string): string {
  const alt = fileName
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .trim()
    .replace(/[\\`*_[\]<>&!~|]/g, "\\$&");
  return `![${alt}](attachment:${id})`;
}

/** A link of the entry that can be opened outside the app. */
export interface ExternalLink {
  url: string;
  /** The link's words (the URL itself when it has none). */
  text: string;
}

const OPENABLE = new Set(["http:", "https:", "mailto:"]);

/** The entry's `http`, `https` and `mailto` links, in order of appearance, each URL once. */
export function externalLinks(html: string): ExternalLink[] {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const links: ExternalLink[] = [];
  const seen = new Set<string>();
  for (const a of doc.querySelectorAll("a[href]")) {
    const href = (a.getAttribute("href") ?? "").trim();
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      continue; // relative, e.g. a footnote's `#fn-1`
    }
    if (!OPENABLE.has(url.protocol) || seen.has(href)) continue;
    seen.add(href);
    const text = (a.textContent ?? "").replace(/\s+/g, " ").trim();
    links.push({ url: href, text: text || href });
  }
  return links;
}

const PALETTE = {
  light: { bg: "#fbfaf7", text: "#1f1d1a", muted: "#5e5950", accent: "#2d6a64", border: "#e4e0d8", code: "#f1eee8" },
  dark: { bg: "#1a1b1d", text: "#e8e6e1", muted: "#aaa59c", accent: "#7cc4ba", border: "#2f3034", code: "#25262a" },
};

export function previewDocument(html: string, dark: boolean): string {
  const c = dark ? PALETTE.dark : PALETTE.light;
  const style = `
    :root { color-scheme: ${dark ? "dark" : "light"}; }
    html { background: ${c.bg}; }
    body { max-width: 720px; margin: 0 auto; padding: 24px 28px 64px; color: ${c.text}; background: ${c.bg};
      font: 17px/1.7 "Iowan Old Style", Charter, "Bitstream Charter", Cambria, "Noto Serif", "DejaVu Serif", Georgia, serif;
      overflow-wrap: anywhere; }
    h1, h2, h3, h4 { font-family: system-ui, -apple-system, "Segoe UI", Cantarell, "Noto Sans", sans-serif; line-height: 1.3; margin: 1.4em 0 .4em; }
    h1 { font-size: 1.5em; } h2 { font-size: 1.2em; } h3 { font-size: 1.05em; }
    body > :first-child { margin-top: 0; }
    p, ul, ol, blockquote, pre, table { margin: 0 0 .9em; }
    a { color: ${c.accent}; text-decoration: underline; text-underline-offset: 2px; }
    /* Clicking cannot open a link in here (no scripts, navigation blocked); the list under the
       preview does. Fragment links (footnotes) still move within the page. */
    a:not([href^="#"]) { pointer-events: none; }
    blockquote { border-left: 3px solid ${c.border}; padding-left: 14px; color: ${c.muted}; font-style: italic; }
    code { font: .88em ui-monospace, "DejaVu Sans Mono", Menlo, monospace; background: ${c.code}; padding: 1px 4px; border-radius: 4px; }
    pre { background: ${c.code}; padding: 12px 14px; border-radius: 6px; overflow: auto; }
    pre code { background: none; padding: 0; }
    table { border-collapse: collapse; } th, td { border: 1px solid ${c.border}; padding: 4px 8px; }
    img { max-width: 100%; }
    hr { border: 0; border-top: 1px solid ${c.border}; margin: 1.6em 0; }
    .entry-head { margin: 0 0 1.4em; padding-bottom: 1em; border-bottom: 1px solid ${c.border}; }
    .entry-head h1 { margin: .2em 0 .3em; font-size: 1.6em; }
    .entry-meta { margin: 0; color: ${c.muted}; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Cantarell, "Noto Sans", sans-serif; }
    .entry-tags { margin: 0 0 .6em; font: 13px/1.4 system-ui, sans-serif; color: ${c.accent}; }
    .entry-tags span { margin-right: .6em; }
    .entry-facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: .6em 0 0;
      font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Cantarell, "Noto Sans", sans-serif; }
    .entry-facts dt { color: ${c.muted}; } .entry-facts dd { margin: 0; }
  `;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${style}</style></head><body>${html}</body></html>`;
}
