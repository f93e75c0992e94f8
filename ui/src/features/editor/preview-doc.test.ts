// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { attachmentImageMarkdown, externalLinks, previewDocument, rewriteAttachmentImages } from "./preview-doc";

describe("the preview document", () => {
  it("wraps the core's HTML in a page of its own with no script, in the theme's colours", () => {
    const light = previewDocument("<p>Hello</p>", false);
    const dark = previewDocument("<p>Hello</p>", true);
    expect(light).toContain("<body><p>Hello</p></body>");
    expect(light).not.toMatch(/<script/i);
    expect(light).toContain("background: #fbfaf7");
    expect(dark).toContain("background: #1a1b1d");
  });

  it("shows links as links", () => {
    expect(previewDocument("", false)).toMatch(/a \{[^}]*text-decoration: underline/);
  });
});

describe("attachment images in the preview", () => {
  const ID = "0b4f7a52-3c1e-4d8a-9f6b-2e7c5d1a8b90";
  const url = (id: string) => `reprise-attachment://localhost/${id}`;

  it("points an attachment image at the shell's attachment URL", () => {
    const html = `<p><img src="attachment:${ID}" alt="Circle time"></p>`;
    expect(rewriteAttachmentImages(html, url)).toBe(`<p><img src="reprise-attachment://localhost/${ID}" alt="Circle time"></p>`);
  });

  it("rewrites every image, wherever src sits in the tag, even after a > in another attribute", () => {
    const other = "11111111-2222-4333-8444-555555555555";
    const html = `<img alt="a > b" src="attachment:${ID}" /><img src="attachment:${other}" title="x">`;
    expect(rewriteAttachmentImages(html, url)).toBe(
      `<img alt="a > b" src="reprise-attachment://localhost/${ID}" /><img src="reprise-attachment://localhost/${other}" title="x">`,
    );
  });

  it("leaves anything that is not exactly attachment:<uuid> in an img src alone", () => {
    const untouched = [
      `<img src="attachment:not-a-uuid">`,
      `<img src="attachment:${ID}x">`,
      `<img src="attachment:{${ID}}">`,
      `<img data-src="attachment:${ID}">`,
      `<a href="attachment:${ID}">file</a>`,
      `<p><code>&lt;img src="attachment:${ID}"&gt;</code></p>`,
      `<p>src="attachment:${ID}"</p>`,
    ];
    for (const html of untouched) expect(rewriteAttachmentImages(html, url)).toBe(html);
  });

  it("escapes the URL it puts into the attribute", () => {
    expect(rewriteAttachmentImages(`<img src="attachment:${ID}">`, () => `x"onerror="y&z`)).toBe(`<img src="x&quot;onerror=&quot;y&amp;z">`);
  });
});

describe("links in the preview", () => {
  it("lists web and email links with their words, in order, each URL once", () => {
    const html = [
      `<p>See <a href="https://example.org/a?b=1&amp;c=2" rel="noopener">the <em>guide</em></a>`,
      `and <a href="mailto:sam@example.org">Sam</a>`,
      `and <a href="http://example.com/">http://example.com/</a>`,
      `and <a href="https://example.org/a?b=1&amp;c=2">again</a>.</p>`,
    ].join(" ");
    expect(externalLinks(html)).toEqual([
      { url: "https://example.org/a?b=1&c=2", text: "the guide" },
      { url: "mailto:sam@example.org", text: "Sam" },
      { url: "http://example.com/", text: "http://example.com/" },
    ]);
  });

  it("leaves out footnote fragments, other schemes, anchors without href and empty hrefs", () => {
    const html = [
      `<sup class="footnote-reference"><a href="#fn-1">1</a></sup>`,
      `<a href="javascript:alert(1)">x</a>`,
      `<a href="attachment:0b4f7a52-3c1e-4d8a-9f6b-2e7c5d1a8b90">file</a>`,
      `<a href="ftp://example.org/">ftp</a>`,
      `<a href="">empty</a>`,
      `<a>none</a>`,
      `<a href="/relative">rel</a>`,
    ].join("");
    expect(externalLinks(html)).toEqual([]);
  });

  it("uses the URL as the words of a link without text", () => {
    expect(externalLinks(`<a href="https://example.org/"><img src="attachment:x" alt=""></a>`)).toEqual([
      { url: "https://example.org/", text: "https://example.org/" },
    ]);
  });
});

describe("inserting an attachment image", () => {
  it("writes ![file name](attachment:<id>)", () => {
    expect(attachmentImageMarkdown("circle time.jpg", "0b4f7a52-3c1e-4d8a-9f6b-2e7c5d1a8b90")).toBe(
      "![circle time.jpg](attachment:0b4f7a52-3c1e-4d8a-9f6b-2e7c5d1a8b90)",
    );
  });

  it("keeps the file name plain alt text: brackets and emphasis escaped, line breaks flattened", () => {
    expect(attachmentImageMarkdown("a]b[c*_d\\e\nf.png", "x")).toBe("![a\\]b\\[c\\*\\_d\\\\e f.png](attachment:x)");
  });
});
