"""Official PDFs of the contest through the shared renderer (campaign_portal.pdf)."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation

from campaign_portal.emails import absolute_url
from campaign_portal.pdf import render_official_pdf
from organizations.documents import official_header

from .enums import RoundState, StaffRole
from .models import ContestStaff, Entry
from .numbering import number_of, organising_unit
from .ranking import round_ranking, rows_criterion_columns

ORGANISING_COMMITTEE = "BAN TỔ CHỨC CUỘC THI"
JURY = "BAN GIÁM KHẢO"


def _header(contest, *, on, number_symbol: str = "") -> dict:
    """The organising committee under the unit that set it up, named as the unit was on the document's date;
    number_symbol: the paper's number in the unit's register (empty: not issued yet, left blank)."""
    unit = organising_unit(contest)
    if unit is None:
        header = {
            "parent_body": "",
            "issuing_body": ORGANISING_COMMITTEE,
            "number_symbol": number_symbol,
            "place": "Hà Nội",
        }
    else:
        header = official_header(unit=unit, on=on, committee=ORGANISING_COMMITTEE, number_symbol=number_symbol)
    return {
        **header,
        "signer_authority": f"TM. {ORGANISING_COMMITTEE.removesuffix(' CUỘC THI')}",
        "signer_position": "TRƯỞNG BAN",
        "signer_name": "",
    }


def receipt_pdf(*, entry) -> bytes:
    return render_official_pdf(**receipt_document(entry=entry))


def receipt_document(*, entry) -> dict:
    """The receipt's template and context (signing adds its footer and stamp keys to the context)."""
    contest = entry.contest
    submitted = timezone.localtime(entry.submitted_at)
    numbered = number_of(entry)
    return dict(
        template_name="documents/contest/receipt.html",
        context={
            **_header(contest, on=submitted.date(), number_symbol=numbered.number_symbol if numbered else ""),
            "title": f"Giấy biên nhận bài dự thi {entry.code}",
            "date": submitted.date(),
            "doc_type_label": "GIẤY BIÊN NHẬN",
            "subject": "Bài dự thi " + contest.name,
            "entry": entry,
            "contest": contest,
            "submitted": submitted,
            "lookup_url": absolute_url(reverse("contest:entry_lookup")),
            "distribution": ["- Thí sinh;", "- Lưu: Tổ thư ký."],
        },
    )


def certificate_pdf(*, award) -> bytes:
    return render_official_pdf(**certificate_document(award=award))


def certificate_document(*, award) -> dict:
    """The certificate's template and context (signing adds its footer and stamp keys to the context)."""
    entry = award.entry
    contest = entry.contest
    date = certificate_date(contest)
    return dict(
        template_name="documents/contest/certificate.html",
        context={
            **_header(contest, on=date),
            "title": f"Giấy chứng nhận {award.tier.name} {entry.code}",
            "date": date,
            "landscape": True,
            "award": award,
            "entry": entry,
            "entrant": entry.entrant,
            "contest": contest,
        },
    )


def certificate_date(contest):
    return timezone.localdate(contest.results_published_at) if contest.results_published_at else timezone.localdate()


def award_decision_awards(contest) -> list:
    """The awards the decision lists, in the order of the prize structure, with their amounts in words."""
    from campaign_portal.pdf import format_vnd

    from .models import Award

    awards = list(
        Award.objects.filter(entry__contest=contest)
        .select_related("tier", "entry__entrant")
        .order_by("tier__group", "tier__rank", "entry__code")
    )
    for award in awards:
        award.amount_text = format_vnd(award.tier.amount)
    return awards


def award_decision_pdf(*, contest, awards) -> bytes:
    """Draft of the award decision (Quyết định khen thưởng) before the results are published."""
    return render_official_pdf(**award_decision_document(contest=contest, awards=awards))


def award_decision_document(*, contest, awards) -> dict:
    """The award decision's template and context: a draft until the results are published, then numbered."""
    lines = [
        "**Điều 1.** Khen thưởng các tác giả, nhóm tác giả có sáng kiến, giải pháp, mô hình đạt giải Cuộc thi "
        f"“{contest.name}” (danh sách kèm theo).",
        "**Điều 2.** Tiền thưởng kèm theo mỗi giải theo cơ cấu giải của Cuộc thi, chi từ kinh phí tổ chức Cuộc thi.",
        "**Điều 3.** Ban tổ chức, Tổ thư ký Cuộc thi và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm "
        "thi hành Quyết định này./.",
    ]
    numbered = number_of(contest)  # numbered when the results are published
    date = numbered.issued_on if numbered else timezone.localdate()
    return dict(
        template_name="documents/contest/award_decision.html",
        context={
            **_header(contest, on=date, number_symbol=numbered.number_symbol if numbered else ""),
            "title": f"Quyết định khen thưởng {contest.name}",
            "date": date,
            "doc_type_label": "QUYẾT ĐỊNH",
            "subject": f"Về việc khen thưởng các tập thể, cá nhân đạt giải Cuộc thi “{contest.name}”",
            "draft": numbered is None,
            "legal_bases": [
                f"Căn cứ Kế hoạch số {contest.plan_number} ngày {contest.plan_date:%d/%m/%Y} của "
                f"{contest.plan_issuer} về việc tổ chức Cuộc thi;"
                if contest.plan_date
                else "Căn cứ Kế hoạch tổ chức Cuộc thi;",
                "Xét kết quả chấm sơ khảo, chung khảo của Ban Giám khảo và đề nghị của Tổ thư ký Cuộc thi.",
            ],
            "body_text": "\n".join(lines),
            "awards": awards,
            "distribution": ["- Như Điều 3;", "- Lưu: VT, Tổ thư ký."],
        },
    )


# ---------------------------------------------------------------- judging documents

BLANK_DATE_LINE = "Hà Nội, ngày ...... tháng ...... năm ........"


def _round_kind(round_) -> str:
    with translation.override("vi"):  # "Sơ khảo" / "Chung khảo" whatever the interface language
        return str(round_.get_kind_display())


def _jury_header(contest, *, on, number_symbol: str = "") -> dict:
    # The jury's documents: the jury under the organising committee that appointed it.
    return {
        **_header(contest, on=on, number_symbol=number_symbol),
        "parent_body": ORGANISING_COMMITTEE,
        "issuing_body": JURY,
    }


def score_sheet_pdf(*, assignment) -> bytes:
    """PHIẾU CHẤM ĐIỂM of one judge for one entry in one round.

    Blind: only the entry's code and title are read (the caller may load the entry with
    judge.BLIND_ENTRY_FIELDS); nothing here touches the entrant. An unscored sheet prints
    with empty cells, for marking on paper.
    """
    round_ = assignment.round
    contest = round_.contest
    entry = assignment.entry
    criteria = list(round_.criteria.all())
    values = {s.criterion_id: s for s in assignment.scores.all()}
    rows = [{"criterion": c, "score": values.get(c.pk)} for c in criteria]
    given = [row["score"].value for row in rows if row["score"] is not None and row["score"].value is not None]
    label = (
        ContestStaff.objects.filter(contest_id=contest.pk, user_id=assignment.judge_id, role=StaffRole.JUDGE)
        .values_list("label", flat=True)
        .first()
    ) or ""
    judge_name = assignment.judge.full_name
    if assignment.submitted_at:
        date = timezone.localdate(assignment.submitted_at)
    elif given:
        date = timezone.localdate()
    else:
        date = None
    kind = _round_kind(round_)
    return render_official_pdf(
        template_name="documents/contest/score_sheet.html",
        context={
            **_jury_header(contest, on=date),
            "title": f"Phiếu chấm điểm {entry.code}",
            "date": date,
            "place_date_line": "" if date else BLANK_DATE_LINE,
            "doc_type_label": "PHIẾU CHẤM ĐIỂM",
            "subject": f"Vòng {kind.lower()} Cuộc thi “{contest.name}”",
            "contest": contest,
            "round": round_,
            "round_kind": kind,
            "entry": entry,
            "assignment": assignment,
            "rows": rows,
            "any_weight": any(c.weight != 1 for c in criteria),
            "max_sum": sum((c.max_score for c in criteria), Decimal(0)),
            "score_sum": sum(given, Decimal(0)) if given else None,
            "complete": bool(criteria) and len(given) == len(criteria),
            "judge_label": label,
            "judge_name": judge_name,
            "signer_authority": "",
            "signer_position": "GIÁM KHẢO",
            "signer_name": judge_name,
        },
    )


def round_results_pdf(*, round_) -> bytes:
    return render_official_pdf(**round_results_document(round_=round_))


def round_results_document(*, round_) -> dict:
    """BIÊN BẢN KẾT QUẢ CHẤM of a round, landscape, in the ranking's order (contest.ranking): template and context.

    A bounded number of queries whatever the size: the ranking (four), the criteria and, once the round is
    closed, the authors' names (one each).
    """
    contest = round_.contest
    rows = round_ranking(round_, with_criteria=True)
    criteria = list(round_.criteria.all())
    closed = round_.state == RoundState.CLOSED
    if closed:
        # Organisers see identities; the jury's minutes name the authors once judging is over.
        names = dict(
            Entry.objects.filter(contest_id=contest.pk, code__isnull=False)
            .order_by()
            .values_list("pk", "entrant__display_name")
        )
        for row in rows:
            row.author = names.get(row.entry.pk, "")
    judges = len({judge for row in rows for judge in row.judges})
    fields = contest.field_labels
    for row in rows:
        row.field_label = fields.get(row.entry.field, row.entry.field)
    rows_criterion_columns(rows, criteria)
    kind = _round_kind(round_)
    today = timezone.localdate()
    numbered = number_of(round_)  # numbered at the first request of the minutes
    return dict(
        template_name="documents/contest/round_results.html",
        context={
            **_jury_header(contest, on=today, number_symbol=numbered.number_symbol if numbered else ""),
            "title": f"Biên bản kết quả chấm {kind.lower()} {contest.name}",
            "date": today,
            "landscape": True,
            "doc_type_label": "BIÊN BẢN",
            "subject": f"KẾT QUẢ CHẤM {kind.upper()}",
            "contest": contest,
            "round": round_,
            "round_kind": kind,
            "rows": rows,
            "criteria": criteria,
            "judges": judges,
            "closed": closed,
            "sheets": sum(r.sheets for r in rows),
            "flagged": sum(1 for r in rows if r.flagged),
            "threshold": contest.disagreement_threshold,
            "signer_authority": f"TM. {JURY}",
            "signer_position": "TRƯỞNG BAN",
            "signer_name": "",
            "distribution": ["- Ban tổ chức Cuộc thi;", "- Lưu: Tổ thư ký."],
        },
    )
