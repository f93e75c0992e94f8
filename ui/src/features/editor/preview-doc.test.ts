import { describe, expect, it } from "vitest";
import { previewDocument } from "./preview-doc";

describe("the preview document", () => {
  it("wraps the core's HTML in a page of its own with no script, in the theme's colours", () => {
    const light = previewDocument("<p>Hello</p>", false);
    const dark = previewDocument("<p>Hello</p>", true);
    expect(light).toContain("<body><p>Hello</p></body>");
    expect(light).not.toMatch(/<script/i);
    expect(light).toContain("background: #fbfaf7");
    expect(dark).toContain("background: #1a1b1d");
  });
});
