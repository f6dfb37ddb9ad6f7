"""Official PDFs of the contest through the shared renderer (campaign_portal.pdf)."""

from django.utils import timezone

from campaign_portal.pdf import render_official_pdf


def _header(contest) -> dict:
    return {
        "parent_name": "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI" if "LĐLĐ" in (contest.organiser_name or "") else
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        "issuer_name": (contest.organiser_name or "Ban tổ chức cuộc thi").upper(),
        "place": "Hà Nội",
    }


def receipt_pdf(*, entry) -> bytes:
    contest = entry.contest
    submitted = timezone.localtime(entry.submitted_at)
    return render_official_pdf(template_name="documents/contest/receipt.html", context={
        **_header(contest),
        "date": submitted.date(),
        "doc_type": "GIẤY BIÊN NHẬN",
        "subject": f"Bài dự thi {contest.name}",
        "entry": entry, "contest": contest, "submitted": submitted,
    })


def certificate_pdf(*, award) -> bytes:
    entry = award.entry
    contest = entry.contest
    return render_official_pdf(template_name="documents/contest/certificate.html", context={
        **_header(contest),
        "date": timezone.localdate(contest.results_published_at) if contest.results_published_at
        else timezone.localdate(),
        "doc_type": "GIẤY CHỨNG NHẬN",
        "subject": contest.name,
        "award": award, "entry": entry, "entrant": entry.entrant, "contest": contest,
    })
