"""Official PDFs of the contest through the shared renderer (campaign_portal.pdf)."""

from django.utils import timezone

from campaign_portal.pdf import render_official_pdf


def _header(contest) -> dict:
    return {
        "parent_body": "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
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
