//! Markdown → sanitised HTML, and the escaping every other sink shares.
//!
//! Entries are written by their owner, but they travel: exported, imported, shared with a
//! mentor. So every body is treated as hostile, behind layers that are each enough alone, so
//! that one mistake in one layer does not let a script or a tracking pixel through. This module is layers 1 and 2 (the sandboxed frame and the CSP live in
//! the desktop shell):
//!
//! 1. **pulldown-cmark, with raw HTML turned into text.** Every `Event::Html` and
//!    `Event::InlineHtml` is re-emitted as `Event::Text`, so the writer escapes it: a `<script>`
//!    typed into an entry is shown, never parsed. Raw HTML blocks become paragraphs of that
//!    text. Images are decided here as well: only `attachment:<uuid>` images stay images;
//!    every other image becomes a plain link to its URL labelled with its alt text, so a shared
//!    entry cannot be a tracking pixel and nothing is fetched from the network.
//! 2. **An allow-list sanitiser.** The HTML then passes ammonia built from
//!    [`ammonia::Builder::empty`] with only what pulldown-cmark emits for the enabled
//!    extensions: text-level tags, paragraphs, headings, quotes, lists, tables, code, links,
//!    images, task-list checkboxes and footnotes. Never `svg`, `math`, `iframe`, `style`,
//!    `form`, `object`, `embed`, and no `on*`, `style` or free `class` attributes.
//!
//! **How attachment images get through.** ammonia has a single list of URL schemes for every
//! URL attribute, so `attachment` is on it next to `http`, `https` and `mailto`; an attribute
//! filter then narrows it per attribute: an `img src` must be `attachment:` followed by a
//! hyphenated UUID (nothing else, so no remote or relative image can load), and an `a href`
//! must pass [`is_safe_external_url`] or be a `#fragment`. Relative URLs are not denied
//! outright with `UrlRelative::Deny`, because footnote links are `#fragment`s; a custom
//! evaluator keeps fragments (prefixed `fn-`, to match the `fn-` prefix ammonia gives every
//! `id`, so footnote ids cannot clobber names the page's own scripts use) and drops the rest.
//!
//! **What is deliberately lost.** Table column alignment (pulldown-cmark writes it as a
//! `style` attribute), code-block language classes, and `attachment:` links (only images may
//! point at attachments for now).
//!
//! Every other sink — titles, tags, names, snippets — goes through the same path, so there is
//! one escaping to get right:
//! [`escape_html`] for text placed into HTML, and [`plain_text`] for list excerpts, whose output
//! is text and must itself be escaped (or set as `textContent`) where it is shown.

use std::borrow::Cow;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use url::Url;

/// The `rel` every surviving link carries: no opener access, no referrer, no endorsement.
const LINK_REL: &str = "noopener noreferrer nofollow";

/// Prefix ammonia puts on every `id`, and the custom relative-URL evaluator on every fragment.
const ID_PREFIX: &str = "fn-";

/// The scheme of images stored inside the journal.
const ATTACHMENT_SCHEME: &str = "attachment:";

/// Bytes of Markdown read per excerpt character: room for markup, link URLs and the like.
const EXCERPT_BYTES_PER_CHAR: usize = 32;

/// Bytes of Markdown always read for an excerpt, however short.
const EXCERPT_MIN_SOURCE_BYTES: usize = 8 * 1024;

/// Text-level elements pulldown-cmark emits (`input` only for task-list checkboxes).
const TEXT_TAGS: &[&str] = &[
    "a", "br", "code", "del", "em", "s", "strong", "sup", "img", "input",
];

/// Block elements pulldown-cmark emits for paragraphs, rules, code and quotes.
const BLOCK_TAGS: &[&str] = &["p", "hr", "pre", "blockquote"];

/// Headings, all six levels.
const HEADING_TAGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// Ordered, unordered and task lists.
const LIST_TAGS: &[&str] = &["ul", "ol", "li"];

/// Tables (alignment is lost: pulldown-cmark writes it as a `style` attribute).
const TABLE_TAGS: &[&str] = &["table", "thead", "tbody", "tr", "th", "td"];

/// The wrapper pulldown-cmark puts around each footnote definition.
const FOOTNOTE_TAGS: &[&str] = &["div"];

/// The sanitiser is built once: its configuration is fixed, and rebuilding the hash sets for
/// every list row or preview would be wasted work.
static SANITISER: LazyLock<Builder<'static>> = LazyLock::new(sanitiser);

/// Renders Markdown to HTML that is safe to show: raw HTML escaped, remote images as links, and
/// the result passed through an allow-list sanitiser.
pub fn markdown_to_html(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2);
    pulldown_cmark::html::push_html(&mut html, safe_events(markdown).into_iter());
    SANITISER.clean(&html).to_string()
}

/// An entry as it is read, printed or shared: what it is and when, its title, tags and session
/// facts above its rendered body. Every value is escaped here; the body goes through
/// [`markdown_to_html`].
pub fn entry_html(entry: &crate::model::EntryInput, template_name: Option<&str>) -> String {
    use crate::model::EntryKind;
    use std::fmt::Write as _;
    let kind = match entry.kind {
        EntryKind::Reflection => "Reflection",
        EntryKind::QuickNote => "Quick note",
        EntryKind::SessionRecord => "Session record",
    };
    let mut meta = vec![kind.to_owned()];
    if let Some(day) = entry.occurred_on {
        meta.push(day.format("%A %-d %B %Y").to_string());
    }
    if let Some(name) = template_name {
        meta.push(name.to_owned());
    }
    let mut html = String::from("<header class=\"entry-head\">");
    let _ = write!(
        html,
        "<p class=\"entry-meta\">{}</p>",
        escape_html(&meta.join(" · "))
    );
    if !entry.title.trim().is_empty() {
        let _ = write!(html, "<h1>{}</h1>", escape_html(entry.title.trim()));
    }
    if !entry.tags.is_empty() {
        html.push_str("<p class=\"entry-tags\">");
        for t in &entry.tags {
            let _ = write!(html, "<span>#{}</span> ", escape_html(t));
        }
        html.push_str("</p>");
    }
    if let Some(f) = &entry.session {
        let facts = [
            ("Setting", f.setting.clone()),
            ("Group", f.group.clone()),
            ("Ages", f.age_range.clone()),
            ("Participants", f.participants.map(|n| n.to_string())),
            (
                "Duration",
                f.duration_minutes.map(|m| format!("{m} minutes")),
            ),
            ("Activities", f.activities.clone()),
        ];
        let shown: Vec<_> = facts
            .iter()
            .filter_map(|(label, v)| {
                v.as_deref()
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (label, v))
            })
            .collect();
        if !shown.is_empty() {
            html.push_str("<dl class=\"entry-facts\">");
            for (label, value) in shown {
                let _ = write!(
                    html,
                    "<dt>{label}</dt><dd>{}</dd>",
                    escape_html(value.trim())
                );
            }
            html.push_str("</dl>");
        }
    }
    html.push_str("</header>");
    html.push_str(&markdown_to_html(&entry.body));
    html
}

/// Escapes text for an HTML text or quoted-attribute context (`&`, `<`, `>`, `"`, `'`).
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A plain-text excerpt of Markdown of at most `max_chars` characters: no markup, whitespace
/// collapsed, cut on a word with "…" when longer; the result is text, not HTML.
pub fn plain_text(markdown: &str, max_chars: usize) -> String {
    if max_chars == 0 {
        return String::new();
    }
    // pulldown-cmark finds the block structure of the whole document before yielding its first
    // event, so a 100 KB entry would cost a list row milliseconds for 200 characters. Reading
    // only the head is exact whenever the head alone overflows the limit, because it ends at a
    // block boundary; when it does not (a long first paragraph, heavy markup), the whole entry
    // is read after all.
    if let Some(head) = excerpt_head(markdown, max_chars) {
        let excerpt = Excerpt::collect(head, max_chars);
        if excerpt.is_full() {
            return excerpt.finish();
        }
    }
    Excerpt::collect(markdown, max_chars).finish()
}

/// Whether `url` may be handed to the system's link opener: after parsing with the WHATWG URL
/// rules, only `http` and `https` URLs with a host and non-empty `mailto` URLs are allowed.
pub fn is_safe_external_url(url: &str) -> bool {
    // Parsing (rather than comparing prefixes) is the point: the URL parser strips leading
    // control characters and spaces, removes tabs and newlines anywhere, and lowercases the
    // scheme exactly as a browser would, so `" JaVa\tScRiPt:"` is seen as `javascript:`.
    // Entity-like text (`javascript&colon;`) is not a scheme at all and fails to parse.
    match Url::parse(url) {
        Ok(parsed) => match parsed.scheme() {
            "http" | "https" => parsed.host_str().is_some_and(|host| !host.is_empty()),
            "mailto" => !parsed.path().is_empty(),
            _ => false,
        },
        Err(_) => false,
    }
}

/// The Markdown extensions a journal entry may use.
fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// What became of an image start tag, so its end tag can follow suit.
enum ImageAs {
    /// An attachment: still an image.
    Image,
    /// A remote or relative image shown as a link; `start` is the index of its start event.
    Link { start: usize, url: String },
    /// A non-attachment image inside a link: only its alt text is kept, as links cannot nest.
    AltText,
}

/// Parses Markdown into events with layer 1 applied: raw HTML as text, and only attachment
/// images left as images.
fn safe_events(markdown: &str) -> Vec<Event<'_>> {
    let mut events = Vec::new();
    let mut images: Vec<ImageAs> = Vec::new();
    let mut link_depth = 0_usize;
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => events.push(Event::Text(html)),
            Event::Start(Tag::HtmlBlock) => events.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => {
                // The block's last line ends in a newline that would otherwise sit before `</p>`.
                if let Some(Event::Text(text)) = events.last_mut() {
                    if text.ends_with('\n') {
                        *text = text.trim_end_matches('\n').to_owned().into();
                    }
                }
                events.push(Event::End(TagEnd::Paragraph));
            }
            Event::Start(Tag::Link { .. }) => {
                link_depth += 1;
                events.push(event);
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                events.push(event);
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if is_attachment_url(&dest_url) {
                    images.push(ImageAs::Image);
                    events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                } else if link_depth > 0 {
                    images.push(ImageAs::AltText);
                } else {
                    images.push(ImageAs::Link {
                        start: events.len(),
                        url: dest_url.to_string(),
                    });
                    link_depth += 1;
                    events.push(Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => match images.pop() {
                Some(ImageAs::Image) => events.push(event),
                Some(ImageAs::Link { start, url }) => {
                    link_depth = link_depth.saturating_sub(1);
                    // An image without alt text would otherwise become an invisible link.
                    if events.len() == start + 1 {
                        events.push(Event::Text(url.into()));
                    }
                    events.push(Event::End(TagEnd::Link));
                }
                Some(ImageAs::AltText) | None => {}
            },
            other => events.push(other),
        }
    }
    events
}

/// Whether `url` names an image stored in the journal: `attachment:` and a hyphenated UUID.
fn is_attachment_url(url: &str) -> bool {
    // 36 characters is exactly the hyphenated form; the braced, URN and simple forms that
    // `Uuid::try_parse` also accepts have other lengths, so the check admits one spelling only.
    url.strip_prefix(ATTACHMENT_SCHEME)
        .is_some_and(|id| id.len() == 36 && uuid::Uuid::try_parse(id).is_ok())
}

/// Builds the layer-2 allow-list sanitiser.
fn sanitiser() -> Builder<'static> {
    let mut builder = Builder::empty();
    builder
        .tags(
            TEXT_TAGS
                .iter()
                .chain(BLOCK_TAGS)
                .chain(HEADING_TAGS)
                .chain(LIST_TAGS)
                .chain(TABLE_TAGS)
                .chain(FOOTNOTE_TAGS)
                .copied()
                .collect(),
        )
        .clean_content_tags(["script", "style"].into())
        .generic_attributes([].into())
        .tag_attributes(
            [
                ("a", ["href", "title"].into()),
                ("img", ["src", "alt", "title"].into()),
                ("ol", ["start"].into()),
                ("input", ["type", "checked", "disabled"].into()),
                ("div", ["id"].into()),
            ]
            .into(),
        )
        .allowed_classes(
            [
                ("div", ["footnote-definition"].into()),
                (
                    "sup",
                    ["footnote-reference", "footnote-definition-label"].into(),
                ),
            ]
            .into(),
        )
        // Whatever an `input` arrived with, it leaves as a read-only checkbox.
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .url_schemes(["http", "https", "mailto", "attachment"].into())
        .url_relative(UrlRelative::Custom(Box::new(fragment_only)))
        .attribute_filter(filter_attribute)
        .link_rel(Some(LINK_REL))
        .id_prefix(Some(ID_PREFIX))
        .strip_comments(true);
    builder
}

/// Keeps `#fragment` URLs (footnote links), prefixed to match the prefixed ids; denies every
/// other relative URL.
fn fragment_only(url: &str) -> Option<Cow<'_, str>> {
    url.strip_prefix('#')
        .map(|fragment| Cow::Owned(format!("#{ID_PREFIX}{fragment}")))
}

/// Narrows the scheme allow-list per attribute: images only from attachments, links only to
/// safe external URLs or fragments, list starts only as numbers.
fn filter_attribute<'v>(element: &str, attribute: &str, value: &'v str) -> Option<Cow<'v, str>> {
    let keep = match (element, attribute) {
        ("img", "src") => is_attachment_url(value),
        ("a", "href") => value.starts_with('#') || is_safe_external_url(value),
        ("ol", "start") => !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()),
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}

/// The beginning of a long `markdown` that usually holds enough text for an excerpt of
/// `max_chars`: cut at a blank line, so no block is split and shown as literal markup; `None`
/// when the document is short or has no blank line within the budget.
///
/// The price is that reference links whose definitions lie beyond the head show as written.
fn excerpt_head(markdown: &str, max_chars: usize) -> Option<&str> {
    let budget = max_chars
        .saturating_mul(EXCERPT_BYTES_PER_CHAR)
        .max(EXCERPT_MIN_SOURCE_BYTES);
    if markdown.len() <= budget {
        return None;
    }
    let mut end = budget;
    while !markdown.is_char_boundary(end) {
        end -= 1;
    }
    markdown[..end]
        .rfind("\n\n")
        .filter(|&blank_line| blank_line > 0)
        .map(|blank_line| &markdown[..blank_line])
}

/// Whether a start tag is inline, so it does not separate words in an excerpt.
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// Whether an end tag is inline, so it does not separate words in an excerpt.
fn is_inline_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// An excerpt being collected: words with single spaces, stopping one character past the limit.
struct Excerpt {
    text: String,
    chars: usize,
    limit: usize,
    pending_space: bool,
}

impl Excerpt {
    /// Collects the text of `markdown`, stopping as soon as one character more than `limit`
    /// is known.
    fn collect(markdown: &str, limit: usize) -> Self {
        let mut excerpt = Excerpt {
            text: String::with_capacity(limit.saturating_add(8).min(4096)),
            chars: 0,
            limit,
            pending_space: false,
        };
        for event in Parser::new_ext(markdown, markdown_options()) {
            match event {
                Event::Text(text)
                | Event::Code(text)
                | Event::Html(text)
                | Event::InlineHtml(text)
                | Event::InlineMath(text)
                | Event::DisplayMath(text) => excerpt.push(&text),
                Event::SoftBreak | Event::HardBreak | Event::Rule => excerpt.pending_space = true,
                Event::Start(tag) if !is_inline(&tag) => excerpt.pending_space = true,
                // A template's prompt heading runs into its answer in one line of text; a colon
                // keeps "Description: We began…" readable.
                Event::End(TagEnd::Heading(_)) => {
                    if excerpt.text.ends_with(|c: char| c.is_alphanumeric()) {
                        excerpt.push(":");
                    }
                    excerpt.pending_space = true;
                }
                Event::End(tag) if !is_inline_end(tag) => excerpt.pending_space = true,
                Event::Start(_)
                | Event::End(_)
                | Event::FootnoteReference(_)
                | Event::TaskListMarker(_) => {}
            }
            if excerpt.is_full() {
                break;
            }
        }
        excerpt
    }

    /// Whether more characters than the limit have been collected, so the excerpt will be cut.
    fn is_full(&self) -> bool {
        self.chars > self.limit
    }

    /// Appends text, collapsing every run of whitespace (and block boundaries) to one space.
    fn push(&mut self, text: &str) {
        for c in text.chars() {
            if self.is_full() {
                return;
            }
            if c.is_whitespace() || c.is_control() {
                self.pending_space = true;
                continue;
            }
            if self.pending_space && !self.text.is_empty() {
                self.text.push(' ');
                self.chars += 1;
            }
            self.pending_space = false;
            self.text.push(c);
            self.chars += 1;
        }
    }

    /// The excerpt: as collected when it fits, otherwise cut on a word and ended with "…".
    fn finish(mut self) -> String {
        if !self.is_full() {
            return self.text;
        }
        // One character of the limit is the ellipsis itself.
        let keep = self.limit - 1;
        let mut cut = self
            .text
            .char_indices()
            .nth(keep)
            .map_or(self.text.len(), |(index, _)| index);
        let at_word_end = self.text[cut..].starts_with(' ');
        if !at_word_end {
            // A single word longer than the limit is cut inside the word rather than dropped.
            if let Some(space) = self.text[..cut].rfind(' ').filter(|&space| space > 0) {
                cut = space;
            }
        }
        self.text.truncate(cut);
        let trimmed_len = self.text.trim_end_matches([' ', ',', ';', ':']).len();
        self.text.truncate(trimmed_len);
        self.text.push('…');
        self.text
    }
}
