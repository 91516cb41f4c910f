"""Import a report written elsewhere: plain text (Word saved as .txt), Markdown, or our own export.

``import_text(data, outlines)`` decodes the bytes, finds the outline's headings and fills a
``Report``. Nothing is dropped: every line of body text ends up in some prose field (only a
label such as ``存在的问题：`` that named the question its text went to is left out), and text
that could not go where it belongs is listed in ``ImportResult.unplaced``.

Headings
    Numbered headings (``一、`` ``（一）`` ``1.`` ``1、`` ``（1）``), Markdown ``#`` headings and
    unnumbered lines that name a section are matched against the outlines' section titles,
    fuzzily: parentheses dropped, then the particles 项目/的/情况 ignored, then containment.
    Matching only moves forward through the outline. The outline that matches best is used.

What is read from free text, and what is not (deliberately conservative)
    * title: the short lines before the first heading, joined; the year from the title or,
      failing that, the year the text names most often; the unit when the title names a
      街道办事处/局/学校…;
    * budget lines: numbered items with an amount of money, inside the section that holds the
      budget (``1、基层党建办公室经费49万元，负责…``), read by ``parse_budget_line``;
    * funds: the first ``预算487万`` / ``实际支出483.3万元`` / ``节约3.7万元`` / ``到位资金…`` /
      ``执行率…%`` the text states (a bare ``完成率`` speaks of goals, not money: not taken);
    * indicators: paragraphs opening with a category (``数量指标：…``) stay prose and are
      listed; inside them only a named rate (``解决率达73.3%``) and, under 成本指标, a named
      amount of money (``…经费172483元``) become rows, with that actual and no target, operator
      or weight — the text gives none, so the checks can say so;
    * the claimed total (``综合评分100分``) and grade, from the conclusion section.

Our own Markdown export (``report.render.render_report``) is recognised by its 附件1 score
sheet and read back structurally: the title block, each section's blocks, the budget table and
the score sheet's tables, so an exported report imports as the same report.

Where things are: ``run`` holds ``import_text``, which decodes (``decoding``) and hands the text
to one of two readers: ``export_reader`` for our own export (with ``tables`` for its pipe
tables), ``text_reader`` for everything else. Both find the outline's headings (``headings``:
is this line a heading, which section title does it name) and lay the lines out over the
outline (``layout``: which lines belong to which section, and where a section's text goes);
``parts`` shares out the text of a section that asks several questions (by their labels, or
else sentence by sentence, by what each says).
``figures`` reads money, budget lines, 执行率 and the claimed score from sentences;
``indicators`` reads indicator rows from category paragraphs and from the score sheet;
``result`` is what an import gives back (``ImportResult`` and its summary).

Word and Excel files arrive as plain data (``structure``: paragraphs, tables and sheets as grids
with merged cells resolved; ``storage.office`` reads the files). ``office.import_office`` turns
them into reports: ``docx_body`` makes the body's lines (with the numbers Word's automatic
numbering shows), ``form`` reads the 自评表 in every layout of RULES.md §8.
"""

from __future__ import annotations

from report.importer.decoding import BINARY_CHAR_SHARE, MAX_IMPORT_BYTES, decode_text
from report.importer.figures import MAX_BUDGET_NAME_CHARS
from report.importer.form import FormRead, find_forms, looks_like_form
from report.importer.headings import MAX_HEADING_CHARS, title_score
from report.importer.office import form_figures, import_office
from report.importer.result import ImportResult, SharedOut, Unplaced
from report.importer.run import import_text
from report.importer.text_reader import DEFAULT_TITLE, MAX_TITLE_LINE_CHARS, MAX_TITLE_LINES

__all__ = [
    "BINARY_CHAR_SHARE",
    "DEFAULT_TITLE",
    "MAX_BUDGET_NAME_CHARS",
    "MAX_HEADING_CHARS",
    "MAX_IMPORT_BYTES",
    "MAX_TITLE_LINES",
    "MAX_TITLE_LINE_CHARS",
    "FormRead",
    "ImportResult",
    "SharedOut",
    "Unplaced",
    "decode_text",
    "find_forms",
    "form_figures",
    "import_office",
    "import_text",
    "looks_like_form",
    "title_score",
]
