"""Official PDFs of the contest through the shared renderer (campaign_portal.pdf)."""

from django.utils import timezone

from campaign_portal.pdf import render_official_pdf


def _header(contest) -> dict:
    return {
        "parent_body": "UBND THÀNH PHỐ HÀ NỘI",
        "issuing_body": "BAN TỔ CHỨC CUỘC THI",
        "place": "Hà Nội",
        "signer_authority": "TM. BAN TỔ CHỨC",
        "signer_position": "TRƯỞNG BAN",
        "signer_name": "",
    }


def receipt_pdf(*, entry) -> bytes:
    contest = entry.contest
    submitted = timezone.localtime(entry.submitted_at)
    return render_official_pdf(template_name="documents/contest/receipt.html", context={
        **_header(contest),
        "title": f"Giấy biên nhận bài dự thi {entry.code}",
        "date": submitted.date(),
        "doc_type_label": "GIẤY BIÊN NHẬN",
        "subject": "Bài dự thi " + contest.name,
        "entry": entry, "contest": contest, "submitted": submitted,
        "distribution": ["- Thí sinh;", "- Lưu: Tổ thư ký."],
    })


def certificate_pdf(*, award) -> bytes:
    entry = award.entry
    contest = entry.contest
    return render_official_pdf(template_name="documents/contest/certificate.html", context={
        **_header(contest),
        "title": f"Giấy chứng nhận {award.tier.name} {entry.code}",
        "date": timezone.localdate(contest.results_published_at) if contest.results_published_at
        else timezone.localdate(),
        "landscape": True,
        "award": award, "entry": entry, "entrant": entry.entrant, "contest": contest,
    })


def award_decision_pdf(*, contest, awards) -> bytes:
    """Draft of the award decision (Quyết định khen thưởng): the organisers sign the paper copy."""
    lines = [
        "**Điều 1.** Khen thưởng các tác giả, nhóm tác giả có sáng kiến, giải pháp, mô hình đạt giải Cuộc thi "
        f"“{contest.name}” (danh sách kèm theo).",
        "**Điều 2.** Tiền thưởng kèm theo mỗi giải theo cơ cấu giải của Cuộc thi, chi từ kinh phí tổ chức "
        "Cuộc thi.",
        "**Điều 3.** Ban tổ chức, Tổ thư ký Cuộc thi và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm "
        "thi hành Quyết định này./.",
    ]
    return render_official_pdf(template_name="documents/contest/award_decision.html", context={
        **_header(contest),
        "title": f"Quyết định khen thưởng {contest.name}",
        "date": timezone.localdate(),
        "doc_type_label": "QUYẾT ĐỊNH",
        "subject": f"Về việc khen thưởng các tập thể, cá nhân đạt giải Cuộc thi “{contest.name}”",
        "draft": True,
        "legal_bases": [
            f"Căn cứ Kế hoạch số {contest.plan_number} ngày {contest.plan_date:%d/%m/%Y} của "
            f"{contest.plan_issuer} về việc tổ chức Cuộc thi;" if contest.plan_date else "Căn cứ Kế hoạch tổ chức Cuộc thi;",
            "Xét kết quả chấm sơ khảo, chung khảo của Ban Giám khảo và đề nghị của Tổ thư ký Cuộc thi.",
        ],
        "body_text": "\n".join(lines),
        "awards": awards,
        "distribution": ["- Như Điều 3;", "- Lưu: VT, Tổ thư ký."],
    })
