// The document shown in the preview frame. `html` is the core's sanitised rendering (M1): it is
// only ever placed in an `<iframe sandbox="">` (no scripts, no same-origin), never in our DOM.

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
    a { color: ${c.accent}; }
    blockquote { border-left: 3px solid ${c.border}; padding-left: 14px; color: ${c.muted}; font-style: italic; }
    code { font: .88em ui-monospace, "DejaVu Sans Mono", Menlo, monospace; background: ${c.code}; padding: 1px 4px; border-radius: 4px; }
    pre { background: ${c.code}; padding: 12px 14px; border-radius: 6px; overflow: auto; }
    pre code { background: none; padding: 0; }
    table { border-collapse: collapse; } th, td { border: 1px solid ${c.border}; padding: 4px 8px; }
    img { max-width: 100%; }
    hr { border: 0; border-top: 1px solid ${c.border}; margin: 1.6em 0; }
  `;
  return `<!doctype html><html><head><meta charset="utf-8"><style>${style}</style></head><body>${html}</body></html>`;
}
