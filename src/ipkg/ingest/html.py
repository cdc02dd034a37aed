"""The main text of an HTML page, with the standard library's :mod:`html.parser`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["HtmlText", "html_to_text"]

#: Elements whose content is never article text.
DROP = frozenset(
    {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg", "iframe", "button", "select", "textarea", "head"}
)
#: Elements whose text is kept, one paragraph each.
KEEP = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"})
#: Elements that end a run of text (so their neighbours do not run together).
BLOCK = KEEP | frozenset(
    {"div", "section", "article", "main", "body", "html", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "pre", "figure", "figcaption", "hr", "br"}
)
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_DATE_META = ("article:published_time", "datepublished", "date", "pubdate", "dc.date", "dcterms.date", "og:published_time")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class HtmlText:
    """What :func:`html_to_text` finds: the paragraphs joined by blank lines, and metadata."""

    text: str
    title: str = ""
    published: str = ""
    url: str = ""


class _MainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.drop = 0
        self.keep = 0
        self.in_title = False
        self.title: list[str] = []
        self.buf: list[str] = []
        self.kept: list[str] = []
        self.other: list[str] = []
        self.published = ""
        self.url = ""

    def _flush(self) -> None:
        text = " ".join("".join(self.buf).split())
        self.buf = []
        if text:
            (self.kept if self.keep else self.other).append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in _DATE_META and not self.published and _ISO_DATE.match(a.get("content", "")):
                self.published = a["content"][:10]
            elif key == "og:url" and not self.url:
                self.url = a.get("content", "").strip()
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.url = a.get("href", "").strip() or self.url
        if tag == "title":
            self.in_title = True
            return
        if tag in VOID:
            if tag in BLOCK and not self.drop:
                self._flush()
            return
        if tag in DROP:
            if not self.drop:
                self._flush()
            self.drop += 1
            return
        if self.drop:
            return
        if tag in BLOCK:
            self._flush()
        if tag in KEEP:
            self.keep += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROP and tag not in VOID:  # <script/> and the like open nothing
            return
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if tag in DROP:
            self.drop = max(0, self.drop - 1)
            return
        if self.drop:
            return
        if tag in BLOCK:
            self._flush()
        if tag in KEEP:
            self.keep = max(0, self.keep - 1)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.drop:
            self.buf.append(data)


def html_to_text(html: str) -> HtmlText:
    """The article text of an HTML page: paragraphs, headings, list items and block quotes.

    ``script``, ``style``, ``nav``, ``header``, ``footer``, ``aside``, ``form`` (and a few more,
    see :data:`DROP`) are dropped with everything inside them. The text of each ``p``, ``h1``-``h6``,
    ``li`` and ``blockquote`` becomes one paragraph, with white space collapsed and entities decoded;
    paragraphs are separated by a blank line. A page with none of those keeps all its other visible
    text instead. ``<title>`` becomes the title; ``article:published_time`` (and similar ``meta``
    tags) the publication date; ``link rel=canonical`` or ``og:url`` the URL.

    Examples
    --------
    >>> page = '''<html><head><title>Talks in Tehran</title>
    ... <meta property="article:published_time" content="2024-04-22T09:00:00Z"></head>
    ... <body><nav><li>Home</li></nav><script>var x = "<p>no</p>";</script>
    ... <h1>Talks</h1><p>Sharif met  Pezeshkian &amp; said
    ... &quot;yes&quot;.</p><footer>© 2024</footer></body></html>'''
    >>> r = html_to_text(page)
    >>> print(r.text)
    Talks
    <BLANKLINE>
    Sharif met Pezeshkian & said "yes".
    >>> r.title, r.published
    ('Talks in Tehran', '2024-04-22')
    """
    parser = _MainText()
    parser.feed(html)
    parser.close()
    parser._flush()
    paragraphs = parser.kept or parser.other
    return HtmlText("\n\n".join(paragraphs), " ".join("".join(parser.title).split()), parser.published, parser.url)
