//! Rendering: ordinary Markdown renders as expected, and no hostile Markdown renders into
//! anything that could run, load or navigate: bodies are written anywhere and shared.

use std::fs;
use std::path::{Path, PathBuf};

use reprise::render::{escape_html, is_safe_external_url, markdown_to_html, plain_text};

/// The hostile corpus, sorted so failures are reported in a stable order.
fn hostile_fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .path()
        })
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    files
}

/// A start or end tag as a browser's tokenizer would see it.
#[derive(Debug)]
struct TagToken {
    name: String,
    closing: bool,
    attributes: Vec<(String, String)>,
}

/// Splits sanitised HTML into its tags, independently of ammonia.
///
/// Sanitised output escapes every `<` in text, so each `<` must open a tag this scanner
/// understands; anything else (a comment, a doctype, a stray `<`) is an error, which makes the
/// checks below an allow-list over real markup rather than a search for bad substrings.
fn scan_tags(html: &str) -> Result<Vec<TagToken>, String> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
            i += 1;
        }
        if i == name_start {
            return Err(format!("a `<` that opens no tag at byte {start}"));
        }
        let name = html[name_start..i].to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            match bytes.get(i) {
                None => return Err(format!("unterminated tag at byte {start}")),
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(_) => {}
            }
            let attr_start = i;
            while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b'/' | b' ' | b'\t' | b'\n')
            {
                i += 1;
            }
            let attr_name = html[attr_start..i].to_ascii_lowercase();
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                match bytes.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        i += 1;
                        let value_start = i;
                        while i < bytes.len() && bytes[i] != quote {
                            i += 1;
                        }
                        if i == bytes.len() {
                            return Err(format!("unterminated attribute value at byte {start}"));
                        }
                        value = html[value_start..i].to_owned();
                        i += 1;
                    }
                    _ => {
                        let value_start = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = html[value_start..i].to_owned();
                    }
                }
            }
            attributes.push((attr_name, decode_entities(&value)));
        }
        tags.push(TagToken {
            name,
            closing,
            attributes,
        });
    }
    Ok(tags)
}

/// Decodes the character references a browser would decode in an attribute value.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&end| end <= 12);
        let decoded = end.and_then(|end| {
            let body = &rest[1..end];
            let c = match body {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => {
                    let number = body.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A URL as a lenient browser reads its scheme: control characters and whitespace removed
/// anywhere, lowercased.
fn browser_view_of_url(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase()
}

const ALLOWED_TAGS: &[&str] = &[
    "a",
    "br",
    "code",
    "del",
    "em",
    "s",
    "strong",
    "sup",
    "img",
    "input",
    "p",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
];

/// The attributes each tag may carry in rendered output.
fn allowed_attributes(tag: &str) -> &'static [&'static str] {
    match tag {
        "a" => &["href", "title", "rel"],
        "img" => &["src", "alt", "title"],
        "ol" => &["start"],
        "input" => &["type", "checked", "disabled"],
        "div" => &["id", "class"],
        "sup" => &["class"],
        _ => &[],
    }
}

/// Every reason the rendered HTML is unsafe; empty when it is safe.
fn safety_violations(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lowered = html.to_lowercase();
    for needle in [
        "<script", "<svg", "<math", "<iframe", "<object", "<embed", "<style", "<form", "<base",
        "<meta", "<link", "<!--",
    ] {
        if lowered.contains(needle) {
            problems.push(format!("contains `{needle}`"));
        }
    }
    let tags = match scan_tags(html) {
        Ok(tags) => tags,
        Err(error) => {
            problems.push(error);
            return problems;
        }
    };
    for tag in &tags {
        if !ALLOWED_TAGS.contains(&tag.name.as_str()) {
            problems.push(format!("tag `{}` is not on the allow-list", tag.name));
        }
        if tag.closing {
            continue;
        }
        for (name, value) in &tag.attributes {
            let url = browser_view_of_url(value);
            if name.starts_with("on") && name[2..].chars().all(|c| c.is_ascii_alphabetic()) {
                problems.push(format!("event handler `{name}` on `{}`", tag.name));
            }
            if !allowed_attributes(&tag.name).contains(&name.as_str()) {
                problems.push(format!("attribute `{name}` on `{}`", tag.name));
            }
            if name == "href" || name == "src" {
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    if url.starts_with(scheme) || url.contains(scheme) {
                        problems.push(format!("`{scheme}` in {name}={value:?}"));
                    }
                }
            }
            match (tag.name.as_str(), name.as_str()) {
                ("img", "src") if !url.starts_with("attachment:") => {
                    problems.push(format!("image not from an attachment: src={value:?}"));
                }
                ("a", "href")
                    if !["https:", "http:", "mailto:", "#"]
                        .iter()
                        .any(|prefix| url.starts_with(prefix)) =>
                {
                    problems.push(format!("link to a forbidden scheme: href={value:?}"));
                }
                ("a", "rel") if value != "noopener noreferrer nofollow" => {
                    problems.push(format!("link without the full rel: rel={value:?}"));
                }
                ("input", "type") if value != "checkbox" => {
                    problems.push(format!("input that is not a checkbox: type={value:?}"));
                }
                _ => {}
            }
        }
        if tag.name == "input" && !tag.attributes.iter().any(|(name, _)| name == "disabled") {
            problems.push("a checkbox that is not disabled".to_owned());
        }
    }
    problems
}

#[test]
fn the_hostile_corpus_has_at_least_forty_cases() {
    assert!(
        hostile_fixtures().len() >= 40,
        "only {} hostile fixtures",
        hostile_fixtures().len()
    );
}

#[test]
fn no_hostile_fixture_survives_rendering() {
    let mut failures = Vec::new();
    for path in hostile_fixtures() {
        let markdown = fs::read_to_string(&path).unwrap();
        let html = markdown_to_html(&markdown);
        for problem in safety_violations(&html) {
            failures.push(format!("{}: {problem}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rendering_a_hostile_fixture_twice_is_still_safe() {
    // mXSS works by markup that changes meaning when serialised and parsed again; feeding the
    // output back in as Markdown is the cheapest stand-in for that round trip.
    let mut failures = Vec::new();
    for path in hostile_fixtures() {
        let once = markdown_to_html(&fs::read_to_string(&path).unwrap());
        for problem in safety_violations(&markdown_to_html(&once)) {
            failures.push(format!("{}: {problem}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_safety_check_catches_what_it_looks_for() {
    // Without this, a scanner that sees nothing would make the corpus test pass vacuously.
    for unsafe_html in [
        "<script>alert(1)</script>",
        "<p onclick=\"alert(1)\">x</p>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href=\" JAVASCRIPT:alert(1)\">x</a>",
        "<img src=\"https://tracker.example/p.gif\">",
        "<svg></svg>",
        "<a href='data:text/html,x'>x</a>",
        "<span>x</span>",
        "<p style=\"color: red\">x</p>",
        "<!-- x -->",
        "a < b",
    ] {
        assert!(
            !safety_violations(unsafe_html).is_empty(),
            "missed: {unsafe_html}"
        );
    }
    assert_eq!(
        safety_violations(
            "<p><a href=\"https://example.com\" rel=\"noopener noreferrer nofollow\">x</a></p>"
        ),
        Vec::<String>::new()
    );
}

#[test]
fn raw_html_in_the_corpus_is_shown_as_text_not_dropped() {
    let html = markdown_to_html("<script>alert(1)</script>");
    insta::assert_snapshot!(html, @"<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
}

#[test]
fn gibbs_template_headings_render_as_headings() {
    let html = markdown_to_html(
        "## Description\n\nWhat happened?\n\n## Feelings\n\nWhat were you thinking and feeling?\n\n\
         ## Evaluation\n\n## Analysis\n\n## Conclusion\n\n## Action plan\n",
    );
    insta::assert_snapshot!(html, @r#"
    <h2>Description</h2>
    <p>What happened?</p>
    <h2>Feelings</h2>
    <p>What were you thinking and feeling?</p>
    <h2>Evaluation</h2>
    <h2>Analysis</h2>
    <h2>Conclusion</h2>
    <h2>Action plan</h2>
    "#);
}

#[test]
fn lists_render_nested_and_with_their_numbering() {
    let html = markdown_to_html("- one\n- two\n  - two and a half\n\n3. three\n4. four\n");
    insta::assert_snapshot!(html, @r#"
    <ul>
    <li>one</li>
    <li>two
    <ul>
    <li>two and a half</li>
    </ul>
    </li>
    </ul>
    <ol start="3">
    <li>three</li>
    <li>four</li>
    </ol>
    "#);
}

#[test]
fn a_table_renders_without_inline_styles() {
    let html = markdown_to_html("| Skill | Hours |\n|:------|------:|\n| Listening | 2 |\n");
    insta::assert_snapshot!(html, @r#"
    <table><thead><tr><th>Skill</th><th>Hours</th></tr></thead><tbody>
    <tr><td>Listening</td><td>2</td></tr>
    </tbody></table>
    "#);
}

#[test]
fn a_code_block_keeps_its_text_and_drops_the_language_class() {
    let html = markdown_to_html("```rust\nfn main() { println!(\"<hi>\"); }\n```\n");
    insta::assert_snapshot!(html, @r#"
    <pre><code>fn main() { println!("&lt;hi&gt;"); }
    </code></pre>
    "#);
}

#[test]
fn emphasis_strong_strikethrough_and_inline_code_render() {
    let html = markdown_to_html("*felt* **calm**, ~~rushed~~ and `steady`");
    insta::assert_snapshot!(html, @"<p><em>felt</em> <strong>calm</strong>, <del>rushed</del> and <code>steady</code></p>");
}

#[test]
fn a_safe_link_keeps_its_href_and_gains_rel() {
    let html = markdown_to_html(
        "[guidance](https://example.org/gibbs \"Gibbs\") and <mailto:mentor@example.org>",
    );
    insta::assert_snapshot!(html, @r#"<p><a href="https://example.org/gibbs" title="Gibbs" rel="noopener noreferrer nofollow">guidance</a> and <a href="mailto:mentor@example.org" rel="noopener noreferrer nofollow">mailto:mentor@example.org</a></p>"#);
}

#[test]
fn a_script_link_keeps_its_text_and_loses_its_href() {
    let html = markdown_to_html("[click](&#106;avascript:alert(1)) [again](JaVaScRiPt:alert(1))");
    insta::assert_snapshot!(html, @r#"<p><a rel="noopener noreferrer nofollow">click</a> <a rel="noopener noreferrer nofollow">again</a></p>"#);
}

#[test]
fn a_task_list_renders_disabled_checkboxes() {
    let html = markdown_to_html("- [x] book supervision\n- [ ] write it up\n");
    insta::assert_snapshot!(html, @r#"
    <ul>
    <li><input disabled="" type="checkbox" checked="">
    book supervision</li>
    <li><input disabled="" type="checkbox">
    write it up</li>
    </ul>
    "#);
}

#[test]
fn an_attachment_image_renders_as_an_image() {
    let html = markdown_to_html("![whiteboard](attachment:0190f0c4-8a4e-7b8c-9d1e-2f3a4b5c6d7e)");
    insta::assert_snapshot!(html, @r#"<p><img src="attachment:0190f0c4-8a4e-7b8c-9d1e-2f3a4b5c6d7e" alt="whiteboard"></p>"#);
}

#[test]
fn a_remote_image_renders_as_a_link_to_its_url() {
    let html = markdown_to_html("![chart](https://tracker.example/p.gif)");
    insta::assert_snapshot!(html, @r#"<p><a href="https://tracker.example/p.gif" rel="noopener noreferrer nofollow">chart</a></p>"#);
}

#[test]
fn a_remote_image_without_alt_text_shows_its_url() {
    let html = markdown_to_html("![](https://tracker.example/p.gif)");
    insta::assert_snapshot!(html, @r#"<p><a href="https://tracker.example/p.gif" rel="noopener noreferrer nofollow">https://tracker.example/p.gif</a></p>"#);
}

#[test]
fn a_remote_reference_image_renders_as_a_link() {
    let html = markdown_to_html("![chart][c]\n\n[c]: https://tracker.example/ref.gif\n");
    insta::assert_snapshot!(html, @r#"<p><a href="https://tracker.example/ref.gif" rel="noopener noreferrer nofollow">chart</a></p>"#);
}

#[test]
fn a_remote_image_inside_a_link_leaves_only_its_alt_text() {
    let html = markdown_to_html("[![badge](https://tracker.example/b.svg)](https://example.org)");
    insta::assert_snapshot!(html, @r#"<p><a href="https://example.org" rel="noopener noreferrer nofollow">badge</a></p>"#);
}

#[test]
fn an_image_that_only_looks_like_an_attachment_is_not_loaded() {
    let html = markdown_to_html(
        "![x](attachment:../../secrets) ![y](ATTACHMENT:0190f0c4-8a4e-7b8c-9d1e-2f3a4b5c6d7e)",
    );
    insta::assert_snapshot!(html, @r#"<p><a rel="noopener noreferrer nofollow">x</a> <a rel="noopener noreferrer nofollow">y</a></p>"#);
}

#[test]
fn raw_html_renders_as_escaped_text() {
    let html = markdown_to_html("I tried <b>bold</b> and <img src=x onerror=alert(1)>.\n\n<div onclick=\"x()\">\nblock\n</div>\n");
    insta::assert_snapshot!(html, @r#"
    <p>I tried &lt;b&gt;bold&lt;/b&gt; and &lt;img src=x onerror=alert(1)&gt;.</p>
    <p>&lt;div onclick="x()"&gt;
    block
    &lt;/div&gt;</p>
    "#);
}

#[test]
fn footnotes_link_to_prefixed_ids() {
    let html = markdown_to_html("Felt tense[^1].\n\n[^1]: Before the handover.\n");
    insta::assert_snapshot!(html, @r##"
    <p>Felt tense<sup class="footnote-reference"><a href="#fn-1" rel="noopener noreferrer nofollow">1</a></sup>.</p>
    <div class="footnote-definition" id="fn-1"><sup class="footnote-definition-label">1</sup>
    <p>Before the handover.</p>
    </div>
    "##);
}

#[test]
fn escape_html_escapes_the_five_special_characters() {
    assert_eq!(
        escape_html(r#"<a href="x" title='y'>Tom & Jerry</a>"#),
        "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;Tom &amp; Jerry&lt;/a&gt;"
    );
    assert_eq!(escape_html("Überlegung ✓"), "Überlegung ✓");
}

#[test]
fn plain_text_drops_markup_and_collapses_whitespace() {
    let markdown = "## Description\n\nWhat **happened**   in the\n_handover_?\n\n- [x] [asked](https://example.org) ![chart](https://t.example/p.gif)\n- `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    assert_eq!(
        plain_text(markdown, 200),
        "Description: What happened in the handover? asked chart code a b 1 2"
    );
}

#[test]
fn plain_text_cuts_long_text_on_a_word_with_an_ellipsis() {
    let markdown = "The ward round ran late, so the handover was rushed and I missed a detail.";
    assert_eq!(plain_text(markdown, 30), "The ward round ran late, so…");
    assert_eq!(plain_text(markdown, 24), "The ward round ran…");
}

#[test]
fn plain_text_keeps_text_that_fits_unchanged() {
    assert_eq!(plain_text("Short *and* sweet.", 18), "Short and sweet.");
    assert_eq!(plain_text("exactly ten", 11), "exactly ten");
}

#[test]
fn plain_text_never_exceeds_the_limit() {
    let markdown = "Überlegung 🙂 nach dem Gespräch: ruhig, aber müde. ".repeat(20);
    for limit in 0..120 {
        let excerpt = plain_text(&markdown, limit);
        assert!(
            excerpt.chars().count() <= limit,
            "limit {limit}: {excerpt:?} has {} chars",
            excerpt.chars().count()
        );
    }
}

#[test]
fn plain_text_cuts_at_a_char_boundary_in_multibyte_text() {
    assert_eq!(plain_text("ÄÖÜäöüßÄÖÜäöüß", 5), "ÄÖÜä…");
    assert_eq!(plain_text("🙂🙂🙂 🙂🙂🙂", 6), "🙂🙂🙂…");
}

#[test]
fn plain_text_cuts_a_single_long_word_inside_it() {
    assert_eq!(plain_text("Antidisestablishmentarianism", 10), "Antidises…");
}

#[test]
fn plain_text_of_a_long_entry_is_cut_like_a_short_one() {
    let many_paragraphs = "A short paragraph.\n\n".repeat(5_000);
    assert_eq!(
        plain_text(&many_paragraphs, 50),
        "A short paragraph. A short paragraph. A short…"
    );
    let long_first_paragraph = format!("## Description\n\n{}\n\nLater.\n", "word ".repeat(5_000));
    assert_eq!(
        plain_text(&long_first_paragraph, 40),
        "Description: word word word word word…"
    );
}

#[test]
fn plain_text_of_a_zero_limit_is_empty() {
    assert_eq!(plain_text("anything", 0), "");
}

#[test]
fn plain_text_shows_raw_html_as_the_text_that_was_typed() {
    // The excerpt is text, like the rendered entry shows raw HTML as text; whoever puts it into
    // HTML escapes it (or sets textContent).
    assert_eq!(plain_text("a <b>c</b>", 50), "a <b>c</b>");
}

#[test]
fn ordinary_https_http_and_mailto_urls_are_safe() {
    for url in [
        "https://example.org/gibbs?cycle=1#feelings",
        "http://localhost:8080/",
        "HTTPS://EXAMPLE.ORG",
        "mailto:mentor@example.org",
        "mailto:mentor@example.org?subject=Supervision",
    ] {
        assert!(is_safe_external_url(url), "rejected {url}");
    }
}

#[test]
fn obfuscated_script_schemes_are_not_safe() {
    for url in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "\u{1}javascript:alert(1)",
        "\u{0}javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\rscript:alert(1)",
        "javascript&colon;alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "%6Aavascript:alert(1)",
        "javascript%3Aalert(1)",
        "\u{feff}javascript:alert(1)",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:text/html;base64,PHNjcmlwdD4=",
    ] {
        assert!(!is_safe_external_url(url), "accepted {url:?}");
    }
}

#[test]
fn other_schemes_and_relative_urls_are_not_safe() {
    for url in [
        "",
        "   ",
        "file:///etc/passwd",
        "ftp://example.org/",
        "attachment:0190f0c4-8a4e-7b8c-9d1e-2f3a4b5c6d7e",
        "tauri://localhost/",
        "blob:https://example.org/x",
        "about:blank",
        "//example.org/",
        "/relative/path",
        "#fragment",
        "https://",
        "http:",
        "mailto:",
    ] {
        assert!(!is_safe_external_url(url), "accepted {url:?}");
    }
}

#[test]
fn an_entry_is_shown_with_what_it_is_when_its_title_tags_and_facts_above_the_body() {
    let input = reprise::model::EntryInput {
        kind: reprise::model::EntryKind::Reflection,
        title: "Circle <b>time</b>".into(),
        body: "We **sang**.".into(),
        occurred_on: Some("2026-11-23".parse().unwrap()),
        tags: vec!["early-years".into(), "<script>".into()],
        session: Some(reprise::model::SessionFacts {
            setting: Some("Sunflower \"Nursery\"".into()),
            participants: Some(9),
            duration_minutes: Some(40),
            ..Default::default()
        }),
        ..Default::default()
    };
    let html = reprise::render::entry_html(&input, Some("Gibbs' reflective cycle"));
    assert!(
        html.contains("Reflection · Monday 23 November 2026 · Gibbs&#x27; reflective cycle"),
        "{html}"
    );
    assert!(
        html.contains("<h1>Circle &lt;b&gt;time&lt;/b&gt;</h1>"),
        "{html}"
    );
    assert!(html.contains("<span>#&lt;script&gt;</span>"), "{html}");
    assert!(
        html.contains("<dt>Setting</dt><dd>Sunflower &quot;Nursery&quot;</dd>"),
        "{html}"
    );
    assert!(
        html.contains("<dt>Participants</dt><dd>9</dd><dt>Duration</dt><dd>40 minutes</dd>"),
        "{html}"
    );
    assert!(!html.contains("<dt>Group</dt>"), "empty facts are left out");
    assert!(
        html.ends_with("<p>We <strong>sang</strong>.</p>\n"),
        "{html}"
    );
    assert!(!html.contains("<script>") && !html.contains("<b>"));
}
