"""Plain export documents for the renderer tests and bench/exports.py (no database needed)."""

from exports.render.document import Branding, CommentEntry, ExportDocument, Section, Source

RICH_MARKDOWN = """The **Agency** needs a *modern* intake service.
See [the brief](https://example.com/brief) and `config.yml`.

### Goals

1. Replace the legacy form
   - keep existing URLs
   - migrate **all** records
2. Publish an API

- Accessibility (WCAG 2.2 AA)
- Uptime 99.9%

| Phase | Weeks | Cost |
|:------|------:|-----:|
| Discovery | 4 | $40,000 |
| Build | 12 | $180,000 |

> Scope changes go through the change-control board.

```
GET /api/v1/status
```
"""

MULTILINGUAL = {
    "Français": "Le délai est fixé à l’été ; coût estimé : 12 000 € — «livraison» incluse.",
    "Ελληνικά": "Το έργο περιλαμβάνει ανάλυση απαιτήσεων και σχεδιασμό.",
    "Русский": "Проект включает анализ требований и проектирование системы.",
    "中文": "本项目包括需求分析、系统设计和用户培训。",
    "日本語": "このプロジェクトには要件分析とシステム設計が含まれます。",
    "한국어": "이 프로젝트에는 요구 사항 분석이 포함됩니다.",
    "עברית": "הפרויקט כולל ניתוח דרישות ותכנון מערכת.",
    "العربية": "يشمل المشروع تحليل المتطلبات وتصميم النظام.",
}


def rich_document(**overrides) -> ExportDocument:
    values = {
        "title": "Intake modernisation <b>phase 1</b> & beyond",
        "workspace": "Northwind Consulting",
        "date": "29 November 2026",
        "status": "In review",
        "client": "City of Springfield",
        "project": "Digital services 2027",
        "summary": "A twelve-week engagement to replace the **intake** form.",
        "confidence": 0.82,
        "sections": [
            Section("Overview", RICH_MARKDOWN, 0.9, [Source("rfp.pdf", 3, "The agency seeks a vendor")]),
            Section("Deliverables", "- Working service\n- Handover documentation\n", 0.75, []),
            Section("Timeline", "Starts in **January**; ends in *April*.", None, [Source("sow.docx", None, "")]),
        ],
    }
    values.update(overrides)
    return ExportDocument(**values)


def multilingual_document() -> ExportDocument:
    sections = [Section(title, f"{text}\n\n- {text}\n") for title, text in MULTILINGUAL.items()]
    sections.append(Section("Emoji and unknown", "Rocket \U0001f680 and private \ue000 use; done."))
    return rich_document(title="Проект · 项目 · مشروع", sections=sections)


def large_document(count: int) -> ExportDocument:
    sections = [
        Section(f"Section {n}", RICH_MARKDOWN, 0.5 + (n % 5) / 10, [Source("rfp.pdf", n)]) for n in range(1, count + 1)
    ]
    return rich_document(sections=sections)


def full_options_document(*, branded: bool = False, logo: bytes | None = None) -> ExportDocument:
    comments = [
        CommentEntry(
            "Ana Silva",
            "Check the <b>budget</b> & dates",
            "28 Nov 2026",
            "Timeline",
            False,
            [CommentEntry("Ben Ode", "Done in v2.", "29 Nov 2026")],
        ),
        CommentEntry("Ben Ode", "Approved wording.", "27 Nov 2026", "", True),
    ]
    return rich_document(
        include_confidence=True,
        comments=comments,
        risks=["Legacy data quality is unknown"],
        open_questions=["Who owns the hosting contract?"],
        branding=Branding(custom=branded, color="#B4234A" if branded else Branding().color, logo=logo),
    )
