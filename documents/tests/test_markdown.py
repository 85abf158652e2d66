"""mammoth's HTML → markdown: the structure later steps rely on (headings, nested lists, tables)."""

import pytest

from documents.markdown import html_to_markdown


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<h1>Brief</h1><p>Intro <strong>bold</strong> and <em>it</em>.</p>", "# Brief\n\nIntro **bold** and *it*."),
        (
            "<ul><li>a<ul><li>b</li><li>b2</li></ul></li><li>c</li></ul><p>after</p>",
            "- a\n  - b\n  - b2\n- c\n\nafter",
        ),
        (
            "<ol><li><p>one</p></li><li><p>two</p><ol><li>two.a</li></ol></li></ol>",
            "1. one\n2. two\n   1. two.a",
        ),
        (
            "<table><tr><th>a|b</th><th>c</th></tr><tr><td><p>1</p></td></tr></table>",
            "| a\\|b | c |\n| --- | --- |\n| 1 |  |",
        ),
        ('<p>see <a href="https://example.com/x">the spec</a></p>', "see [the spec](https://example.com/x)"),
        ("<h2>T <strong>bold</strong></h2><p><strong></strong></p><p>x</p>", "## T **bold**\n\nx"),
    ],
)
def test_html_to_markdown(html, markdown):
    assert html_to_markdown(html) == markdown
