"""The one upload check, tried on every upload point through the real views, as the rightful user.

Each hostile file is posted to each point; the point must answer with the check's Vietnamese
message naming its field, store no row and leave no file in storage. Good files of the point's kind
are accepted, and a stored image is the re-encoded one (no EXIF, no trailing payload).
"""

import datetime as dt
import html
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone
from PIL import Image

from campaign_portal import uploads
from campaign_portal.exceptions import PortalError
from campaign_portal.uploads import detected_mime, upload_check
from organizations import tree_io

from . import upload_samples as samples

MB = 1024 * 1024


# ---------------------------------------------------------------- the check itself


def test_an_xlsx_is_told_from_a_plain_zip():
    upload = SimpleUploadedFile("bao-cao.xlsx", samples.xlsx_bytes())
    assert detected_mime(upload) == uploads.XLSX
    assert upload.tell() == 0


def test_a_plain_zip_renamed_xlsx_is_a_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải bảng tính")
    assert detected_mime(SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue())) == "application/zip"


def test_text_renamed_pdf_is_unknown():
    assert detected_mime(SimpleUploadedFile("bai-du-thi.pdf", b"<script>alert(1)</script>")) == ""


def test_zip_bomb_is_refused_from_the_central_directory_alone():
    data = samples.zip_bomb_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        declared = sum(e.file_size for e in archive.infolist())
    assert len(data) < 1.1 * MB and declared >= 1024 * MB
    with pytest.raises(PortalError) as error:
        upload_check(upload=data, kind=uploads.ATTACHMENT, label="Tệp", field="file")
    assert (str(error.value), error.value.field) == (
        "Tệp: tệp giải nén ra quá lớn so với dung lượng tải lên (nghi “bom nén”); không được nhận.",
        "file",
    )


def test_too_many_zip_entries_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
        for i in range(uploads.ZIP_MAX_ENTRIES):
            archive.writestr(f"word/media/{i}.xml", "")
    with pytest.raises(PortalError) as error:
        upload_check(upload=buffer.getvalue(), kind=uploads.ATTACHMENT, label="Tệp")
    assert str(error.value) == "Tệp: tệp nén có quá nhiều thành phần (1001; tối đa 1000)."


def test_good_files_pass_with_their_type_and_extension():
    assert [
        (c.mime, c.extension)
        for c in (
            upload_check(upload=samples.docx_bytes(), kind=uploads.ATTACHMENT, label="Tệp"),
            upload_check(upload=samples.xlsx_bytes(), kind=uploads.SPREADSHEET, label="Tệp"),
            upload_check(upload=samples.pdf_bytes(), kind=uploads.SCAN, label="Tệp"),
            upload_check(upload=samples.png_bytes(), kind=uploads.IMAGE, label="Tệp"),
        )
    ] == [(uploads.DOCX, "docx"), (uploads.XLSX, "xlsx"), (uploads.PDF, "pdf"), (uploads.PNG, "png")]


def test_an_image_is_reencoded_upright_without_exif_or_trailing_payload():
    checked = upload_check(upload=samples.jpeg_with_exif_bytes(), kind=uploads.IMAGE, label="Ảnh")
    data = checked.content.read()
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("JPEG", (20, 60))  # orientation 6 applied: 60×20 stands up
        assert (dict(image.getexif()), image.info.get("comment"), image.info.get("xmp")) == ({}, None, None)
    assert b"Nguy" not in data and b"Exif" not in data
    polyglot = upload_check(upload=samples.polyglot_png_bytes(), kind=uploads.IMAGE, label="Ảnh").content.read()
    assert polyglot != samples.polyglot_png_bytes() and b"<script" not in polyglot and b"<html" not in polyglot


def _pdf_with(change) -> bytes:
    return samples._pdf(change)


def _link_with_js(pdf):
    import pikepdf

    pdf.pages[0].Annots = pdf.make_indirect(
        pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[0, 0, 50, 50],
                    A=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.launchURL('http://127.0.0.1/')"),
                )
            ]
        )
    )


def _page_additional_action(pdf):
    import pikepdf

    pdf.pages[0].AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.Launch, F="calc.exe"))


def _names_javascript(pdf):
    import pikepdf

    script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)"))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=["a", script]))


@pytest.mark.parametrize("change", [_link_with_js, _page_additional_action, _names_javascript])
def test_javascript_or_launch_anywhere_in_a_pdf_is_refused(change):
    with pytest.raises(PortalError) as error:
        upload_check(upload=_pdf_with(change), kind=uploads.SCAN, label="Bản scan", field="scan")
    assert str(error.value) == "Bản scan: PDF có mã JavaScript hoặc hành động tự chạy không được nhận."


def test_an_unparseable_pdf_is_refused():
    with pytest.raises(PortalError) as error:
        upload_check(upload=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", kind=uploads.SCAN, label="Bản scan")
    assert str(error.value) == "Bản scan: PDF hỏng hoặc không đọc được."


def test_help_text_and_accept_come_from_the_kind():
    assert uploads.ATTACHMENT.help_text() == "PDF, DOCX, XLSX, JPEG, PNG, WEBP; tối đa 10 MB"
    assert uploads.SCAN.help_text(200_000) == "PDF, JPEG, PNG; tối đa 0,2 MB"
    assert uploads.IMAGE.accept == ".jpeg,.jpg,.png,.webp,image/jpeg,image/png,image/webp"


# ---------------------------------------------------------------- every upload point, through its view


@dataclass
class Ready:
    """One upload point, ready to take a file: who posts where, with what else, and what it stores."""

    client: object
    url: str
    field: str
    data: dict
    rows: object  # () -> int: rows the point stores
    refused_status: int
    accepted_status: int
    stored_image: object = None  # () -> bytes of the stored file, for image points


def _media_files(root) -> set[str]:
    root = Path(root)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _directive_draft(tree):
    from directives.services import document_create
    from tests.directives.conftest import draft_data

    return document_create(issuing_unit=tree.gialam, by=tree.gialam_officer, data=draft_data())


def point_directive_attachment(env):
    from directives.models import Attachment

    document = _directive_draft(env.tree)
    return Ready(
        env.login(env.tree.gialam_officer),
        f"/directives/{document.pk}/attachments/",
        "file",
        {},
        lambda: Attachment.objects.count(),
        302,
        302,
        lambda: Attachment.objects.get().file.read(),
    )


def point_delivery_evidence(env):
    from directives.models import Delivery
    from directives.services import document_issue
    from tests.directives.conftest import at

    document = _directive_draft(env.tree)
    document = document_issue(document=document, by=env.tree.gialam_officer, now=at(document.issued_on))
    delivery = Delivery.objects.get(document=document, unit=env.tree.gl1)
    return Ready(
        env.login(env.tree.gl1_officer),
        f"/directives/deliveries/{delivery.pk}/implement/",
        "evidence",
        {"outcome": "done", "result_note": "Đã tuyên truyền"},
        lambda: Delivery.objects.filter(completed_at__isnull=False).count(),
        200,
        302,
        lambda: Delivery.objects.get(pk=delivery.pk).evidence.read(),
    )


def point_report_evidence(env):
    from reporting.demo import standard_form_version
    from reporting.models import Evidence, Report
    from tests.reporting.conftest import file, open_cycle

    period = open_cycle(standard_form_version(), env.tree).periods.get()
    file(period, env.tree.gl1, env.tree.gl1_officer, submit=False)
    report = Report.objects.get(unit=env.tree.gl1)
    return Ready(
        env.login(env.tree.gl1_officer),
        reverse("reporting:evidence_upload", args=[report.pk]),
        "file",
        {"description": "Biên bản"},
        lambda: Evidence.objects.count(),
        302,
        302,
        lambda: Evidence.objects.get().file.read(),
    )


def _contest(env):
    from contest.enums import DEFAULT_FIELDS, RoundKind, RoundState
    from contest.models import Contest, Round
    from tests.contest.conftest import make_entrant

    now = timezone.now()
    contest = Contest.objects.create(
        slug="thi-thu",
        name="Cuộc thi thử",
        year=2019,
        plan_number="34/KH-UBND",
        plan_date=dt.date(2019, 1, 29),
        code_prefix="CT2019",
        fields=[list(f) for f in DEFAULT_FIELDS],
        max_upload_bytes=10 * MB,
    )
    Round.objects.create(
        contest=contest,
        kind=RoundKind.PRELIMINARY,
        name="Vòng sơ khảo",
        state=RoundState.OPEN,
        submission_opens_at=now - dt.timedelta(days=1),
        submission_closes_at=now + dt.timedelta(days=1),
    )
    return contest, make_entrant(contest)


def point_entry_scan_new(env):
    from contest.models import Entry
    from tests.contest.conftest import ENTRY_TEXT

    contest, entrant = _contest(env)
    return Ready(
        env.login(entrant.user),
        reverse("contest:entry_new", args=[contest.slug]),
        "scan",
        {**ENTRY_TEXT, "draft_key": "6f1c2a4e-8a51-4f7e-9a57-5d1e2f3a4b5c", "action": "save"},
        lambda: Entry.objects.count(),
        200,
        302,
        lambda: Entry.objects.get().scan.read(),
    )


def point_entry_scan_edit(env):
    from contest import services
    from contest.models import Entry, EntryVersion
    from tests.contest.conftest import ENTRY_TEXT

    contest, entrant = _contest(env)
    entry = services.entry_save(entry=services.entry_create_draft(entrant=entrant), data=ENTRY_TEXT, by=entrant.user)
    return Ready(
        env.login(entrant.user),
        reverse("contest:entry_edit", args=[entry.pk]),
        "scan",
        {**ENTRY_TEXT, "action": "save"},
        lambda: Entry.objects.exclude(scan="").count() + EntryVersion.objects.count(),
        200,
        302,
        lambda: Entry.objects.get().scan.read(),
    )


def point_news_image(env):
    from public.enums import NewsStatus
    from public.models import NewsImage, NewsItem

    news = NewsItem.objects.create(
        unit=env.tree.gialam,
        author=env.tree.gialam_officer,
        status=NewsStatus.DRAFT,
        title="Tin thử",
        summary="Tóm tắt",
        body="Nội dung tin.",
    )
    return Ready(
        env.login(env.tree.gialam_officer),
        f"/quan-ly/tin-tuc/{news.pk}/anh/",
        "file",
        {"alt": "Hội nghị"},
        lambda: NewsImage.objects.count(),
        302,
        302,
        lambda: NewsImage.objects.get().file.read(),
    )


def point_feedback_attachment(env):
    from public.models import Feedback
    from tests.public.test_feedback import _form_data

    client = env.client
    return Ready(
        client,
        "/phan-anh/",
        "attachment",
        _form_data(client),
        lambda: Feedback.objects.count(),
        400,
        302,
        lambda: Feedback.objects.get().attachment.read(),
    )


def point_honoured_admin_image(env):
    from public.models import HonouredModel

    env.tree.admin.is_superuser = True
    env.tree.admin.save()
    data = {
        "title": "Một cửa không giấy",
        "organisation": "Phường Dịch Vọng",
        "unit": "",
        "year": "2024",
        "area": "thu-tuc",
        "summary": "Tóm tắt",
        "story": "Câu chuyện",
        "is_published": "on",
        "position": "0",
    }
    from public.enums import ReformArea

    data["area"] = ReformArea.PROCEDURES
    return Ready(
        env.login(env.tree.admin),
        reverse("admin:public_honouredmodel_add"),
        "image",
        data,
        lambda: HonouredModel.objects.count(),
        200,
        302,
        lambda: HonouredModel.objects.get().image.read(),
    )


def point_tree_import(env):
    from organizations.models import Unit

    return Ready(
        env.login(env.tree.admin),
        reverse("organizations:tree_import"),
        "file",
        {"effective_on": "2025-07-01"},
        lambda: Unit.objects.count() - env.units,
        200,
        302,
    )


def point_area_import(env):
    from organizations.models import AdministrativeArea

    env.tree.admin.is_superuser = True
    env.tree.admin.save()
    return Ready(
        env.login(env.tree.admin),
        reverse("admin:organizations_administrativearea_import"),
        "file",
        {},
        lambda: AdministrativeArea.objects.count() - env.areas,
        200,
        302,
    )


POINTS = {
    "directive attachment": (point_directive_attachment, uploads.ATTACHMENT, "Tệp đính kèm"),
    "delivery evidence": (point_delivery_evidence, uploads.ATTACHMENT, "Minh chứng"),
    "report evidence": (point_report_evidence, uploads.ATTACHMENT, "Tệp minh chứng"),
    "contest scan (new entry)": (point_entry_scan_new, uploads.SCAN, "Bản scan/ảnh bài viết tay"),
    "contest scan (edit entry)": (point_entry_scan_edit, uploads.SCAN, "Bản scan/ảnh bài viết tay"),
    "news image": (point_news_image, uploads.IMAGE, "Ảnh"),
    "feedback attachment": (point_feedback_attachment, uploads.PUBLIC_ATTACHMENT, "Tệp đính kèm"),
    "honoured model image (admin)": (point_honoured_admin_image, uploads.IMAGE, "Ảnh"),
    "unit tree import": (point_tree_import, uploads.SPREADSHEET, "Tệp XLSX"),
    "area list import (admin)": (point_area_import, uploads.SPREADSHEET, "Tệp XLSX"),
}

NOT_ACCEPTED = "loại tệp không được chấp nhận (kiểm tra theo nội dung tệp, không theo tên). Chỉ nhận: {types}."
BOMB = "tệp giải nén ra quá lớn so với dung lượng tải lên (nghi “bom nén”); không được nhận."
MACRO = "tệp có macro (.docm, .xlsm, VBA) không được nhận. Hãy lưu lại dưới dạng .docx hoặc .xlsx."
LEGACY = "tệp Office dạng cũ (.doc, .xls) không được nhận. Hãy lưu lại dưới dạng .docx hoặc .xlsx."
PIXELS = "ảnh có kích thước điểm ảnh quá lớn (tối đa 40 triệu điểm ảnh)."
ENCRYPTED = "PDF có mật khẩu hoặc mã hóa không được nhận. Hãy gửi bản không mã hóa."
ACTIVE = "PDF có mã JavaScript hoặc hành động tự chạy không được nhận."
EMBEDDED = "PDF có tệp đính kèm bên trong không được nhận."
CLEAN_IMAGE = None  # accepted, stored re-encoded


def _when(mime, reason):
    """The reason if the kind takes this type at all, else "not accepted"."""
    return lambda kind: reason if mime in kind.types else NOT_ACCEPTED.format(types=kind.type_names)


# name → (file name, bytes maker, expected reason for a kind: a message, or CLEAN_IMAGE)
HOSTILE = {
    "zip bomb docx (1 MB → 1 GiB)": ("ke-hoach.docx", samples.zip_bomb_docx, lambda kind: BOMB),
    "docm": ("ke-hoach.docm", samples.docm_bytes, lambda kind: MACRO),
    "xlsm": ("bao-cao.xlsm", samples.xlsm_bytes, lambda kind: MACRO),
    "docx carrying vbaProject.bin": ("ke-hoach.docx", samples.docx_with_vba_bytes, lambda kind: MACRO),
    "legacy .doc": ("ke-hoach.doc", samples.legacy_doc_bytes, lambda kind: LEGACY),
    "PNG + HTML polyglot": ("anh.png", samples.polyglot_png_bytes, _when(uploads.PNG, CLEAN_IMAGE)),
    "JPEG with EXIF GPS and author": ("anh.jpg", samples.jpeg_with_exif_bytes, _when(uploads.JPEG, CLEAN_IMAGE)),
    "decompression-bomb PNG": ("anh.png", samples.bomb_png_bytes, _when(uploads.PNG, PIXELS)),
    "encrypted PDF": ("van-ban.pdf", samples.encrypted_pdf_bytes, _when(uploads.PDF, ENCRYPTED)),
    "PDF with OpenAction JavaScript": ("van-ban.pdf", samples.js_pdf_bytes, _when(uploads.PDF, ACTIVE)),
    "PDF with an embedded file": ("van-ban.pdf", samples.embedded_file_pdf_bytes, _when(uploads.PDF, EMBEDDED)),
    "EXE renamed .pdf": ("van-ban.pdf", samples.exe_bytes, lambda kind: NOT_ACCEPTED.format(types=kind.type_names)),
    "over the kind's size limit": ("van-ban.pdf", None, None),
}


class Env:
    pass


@pytest.fixture
def env(tree, login, client, settings, tmp_path):
    from organizations.models import AdministrativeArea, Unit

    settings.MEDIA_ROOT = tmp_path
    e = Env()
    e.tree, e.login, e.client, e.media = tree, login, client, tmp_path
    e.units, e.areas = Unit.objects.count(), AdministrativeArea.objects.count()
    return e


def _shown(response) -> str:
    return html.unescape(response.content.decode())


def _post(ready, name, data):
    return ready.client.post(ready.url, {**ready.data, ready.field: SimpleUploadedFile(name, data)})


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", list(HOSTILE))
@pytest.mark.parametrize("point", list(POINTS))
def test_hostile_file_at_every_upload_point(env, point, hostile):
    make, kind, label = POINTS[point]
    ready = make(env)
    name, maker, expect = HOSTILE[hostile]
    if maker is None:
        data, reason = (
            samples.oversize_bytes(kind.limit),
            (f"tệp quá lớn ({uploads._mb(kind.limit + 1)} MB); tối đa {uploads._mb(kind.limit)} MB."),
        )
    else:
        data, reason = maker(), expect(kind)
    rows, files = ready.rows(), _media_files(env.media)
    response = _post(ready, name, data)
    if reason is CLEAN_IMAGE:
        assert response.status_code == ready.accepted_status, _shown(response)[:3000]
        assert ready.rows() == rows + 1
        stored = ready.stored_image()
        assert stored != data and b"<script" not in stored and b"Nguy" not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert dict(image.getexif()) == {}
        return
    message = f"{label}: {reason}"
    assert response.status_code == ready.refused_status
    shown = _shown(ready.client.get(response["Location"]) if response.status_code == 302 else response)
    assert message in shown, shown[:3000]
    assert ready.rows() == rows
    assert _media_files(env.media) == files


GOOD = {
    uploads.PDF: ("van-ban.pdf", samples.pdf_bytes),
    uploads.DOCX: ("ke-hoach.docx", samples.docx_bytes),
    uploads.PNG: ("anh.png", samples.png_bytes),
    uploads.JPEG: ("anh.jpg", samples.jpeg_with_exif_bytes),
}


def _good_file(point, kind):
    if kind is uploads.SPREADSHEET:
        if point == "unit tree import":
            return "don-vi.xlsx", samples.xlsx_bytes(
                rows=[
                    tuple(tree_io.COLUMNS),
                    (
                        "HN-LDLD-GIALAM-0003",
                        "HN-LDLD-GIALAM",
                        "grassroots_union",
                        "Công đoàn cơ sở Trường Mầm non Đa Tốn",
                        "",
                        "",
                        "",
                        "",
                        25,
                        "",
                    ),
                ]
            )
        from organizations import area_io

        return "dia-ban.xlsx", samples.xlsx_bytes(
            rows=[area_io.COLUMNS, ["99901", "Phường Thử Nghiệm", "phuong", "01", "01/07/2025", ""]]
        )
    mime = next(t for t in (uploads.PDF, uploads.DOCX, uploads.PNG, uploads.JPEG) if t in kind.types)
    return GOOD[mime][0], GOOD[mime][1]()


@pytest.mark.django_db
@pytest.mark.parametrize("point", list(POINTS))
def test_good_file_of_the_kind_is_accepted_at_every_upload_point(env, point):
    make, kind, _label = POINTS[point]
    ready = make(env)
    rows = ready.rows()
    name, data = _good_file(point, kind)
    response = _post(ready, name, data)
    assert response.status_code == ready.accepted_status, _shown(response)[:3000]
    assert ready.rows() == rows + 1


@pytest.mark.django_db
@pytest.mark.parametrize("point", list(POINTS))
def test_every_upload_form_states_its_kind(env, point):
    make, kind, _label = POINTS[point]
    ready = make(env)
    url = ready.url
    if point == "feedback attachment":
        url = "/phan-anh/"
    elif point in ("directive attachment", "report evidence", "news image"):
        url = {
            "directive attachment": lambda: ready.url.rsplit("attachments/", 1)[0],
            "report evidence": lambda: _report_page(),
            "news image": lambda: ready.url.replace("/anh/", "/"),
        }[point]()
    page = _shown(ready.client.get(url))
    contest_limit = 10 * MB if kind is uploads.SCAN else None
    assert kind.help_text(contest_limit) in page, page[:3000]


def _report_page():
    from reporting.models import Report

    report = Report.objects.get()
    return reverse("reporting:file_report", kwargs={"period_pk": report.period_id, "code": report.unit.code})


@pytest.mark.django_db
def test_no_admin_form_takes_a_file_past_the_check(superuser):
    """Every file field the admin offers for editing, each taken by a service that checks it:
    - the honoured model's image and the seal and signature pictures: upload_check (PNG only for the two pictures,
      signatures.credentials._png_upload);
    - the trusted CA bundle and a signer's certificate: parsed as X.509 or refused, never stored as uploaded;
    - a unit's PKCS#12: opened with its passphrase or refused, and stored only encrypted (credential_save_pkcs12)."""
    request = RequestFactory().get("/admin/")
    request.user, request.resolver_match = superuser, resolve("/admin/")
    editable = set()
    for model, model_admin in admin.site._registry.items():
        admins = [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]
        for each in admins:
            if not (
                each.has_add_permission(request, None)
                if hasattr(each, "parent_model")
                else each.has_add_permission(request)
            ) and not each.has_change_permission(request, None):
                continue
            form = each.get_formset(request).form if hasattr(each, "parent_model") else each.get_form(request)
            for name, field in form.base_fields.items():
                if isinstance(field, forms.FileField):
                    editable.add(f"{each.model._meta.label}.{name}")
    assert editable == {
        "public.HonouredModel.image",
        "signatures.TrustedCertificate.certificate_file",
        "signatures.PersonalCertificate.certificate_file",
        "signatures.SigningCredential.pkcs12_file",
        "signatures.SigningCredential.seal_upload",
        "signatures.SignatureImage.image_upload",
    }


@pytest.mark.django_db
def test_a_submitted_entry_refused_for_its_text_keeps_no_new_scan(env):
    from contest import services
    from contest.models import Entry
    from tests.contest.conftest import ENTRY_TEXT

    contest, entrant = _contest(env)
    entry = services.entry_save(entry=services.entry_create_draft(entrant=entrant), data=ENTRY_TEXT, by=entrant.user)
    entry = services.entry_submit(entry=entry, by=entrant.user, send_receipt=False)
    files = _media_files(env.media)
    response = env.login(entrant.user).post(
        reverse("contest:entry_edit", args=[entry.pk]),
        {
            **ENTRY_TEXT,
            "title": "Mot lan den tron thu tuc khai sinh",
            "action": "save",
            "scan": SimpleUploadedFile("bai.pdf", samples.pdf_bytes()),
        },
    )
    assert response.status_code == 200
    assert "phải viết bằng tiếng Việt có dấu" in _shown(response)
    assert (_media_files(env.media), Entry.objects.get().scan.name) == (files, "")
