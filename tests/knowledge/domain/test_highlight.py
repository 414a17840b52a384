"""Highlighted fragments: escaped HTML, hits in <mark>, the best window chosen."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from servicedesk.knowledge.domain.highlight import MARK_END, MARK_START, highlight, markers_to_html
from servicedesk.knowledge.domain.text import query_terms


def test_inflected_forms_are_marked() -> None:
    html = highlight("Начисление баллов за покупку", query_terms("баллы не начислились"))
    assert html == "<mark>Начисление</mark> <mark>баллов</mark> за покупку"


def test_markup_in_the_text_is_escaped() -> None:
    html = highlight("<script>alert('баллы')</script>", query_terms("баллы"))
    assert html == "&lt;script&gt;alert('<mark>баллы</mark>')&lt;/script&gt;"


def test_a_long_text_is_cut_around_the_hits() -> None:
    text = "вступление " * 50 + "здесь про начисление баллов " + "хвост " * 50
    html = highlight(text, query_terms("начисление баллов"), max_words=10)
    assert html.startswith("… ")
    assert html.endswith(" …")
    assert "<mark>начисление</mark> <mark>баллов</mark>" in html


def test_postgresql_headline_markers_become_marks_and_the_rest_is_escaped() -> None:
    marked = f"a < b {MARK_START}баллы{MARK_END} & c"
    assert markers_to_html(marked) == "a &lt; b <mark>баллы</mark> &amp; c"


@given(st.text(max_size=300))
def test_no_tag_other_than_mark_ever_comes_out(text: str) -> None:
    html = highlight(text, query_terms("баллы карта script"))
    stripped = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped
    assert ">" not in stripped
