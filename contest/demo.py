"""The demo contest: plan 34/KH-UBND (2019), finished and published (load_history), and,
today (load_present), a current edition open for entries (a new contestant can enter) and a
second contest whose preliminary round is open for judging with entries assigned, so that the
judges' demo accounts have entries to score blind. The second contest (the city federation's
ideas contest for the commune/ward unions formed in July 2025) and its entries are illustrative.

Facts from the seeds: plan 34/KH-UBND of 29/01/2019 (UBND TP Hà Nội); who may enter;
the fields; the six requirements (the criteria); entries April–September 2019,
judging October–November, final and awards at the end of November 2019.
Idempotent: contests are found by slug, users by e-mail, entries by code."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from campaign_portal.calendar import HANOI
from organizations.demo import demo_user_create
from organizations.models import AdministrativeArea, Unit, User

from . import judging, ranking, results, services, states
from .enums import DEFAULT_FIELDS, Eligibility, EntrantKind, PrizeGroup, RoundKind, RoundState, StaffRole
from .models import Assignment, Contest, ContestStaff, Criterion, Entrant, Entry, PrizeTier, Round

PASSWORD = "demo12345"

CONTEST_NAME = (
    "Tìm kiếm sáng kiến, giải pháp, mô hình về cải cách thủ tục hành chính và thực hiện cơ chế "
    "một cửa, một cửa liên thông"
)
SUMMARY = (
    "Cuộc thi do UBND Thành phố Hà Nội tổ chức theo Kế hoạch số 34/KH-UBND ngày 29/01/2019, nhằm tuyên "
    "truyền sâu rộng, tạo sự đồng thuận để toàn hệ thống chính trị và các tầng lớp nhân dân chung tay cải "
    "cách thủ tục hành chính, đồng thời tìm những sáng kiến, giải pháp, mô hình có giá trị để áp dụng vào "
    "thực tiễn."
)
RULES = """Nội dung: đưa ra các ý tưởng, giải pháp, mô hình cải tiến quy trình thực hiện thủ tục hành chính, tiết kiệm tối đa thời gian, kinh phí của cá nhân, tổ chức, doanh nghiệp và cơ quan hành chính nhà nước trên mọi lĩnh vực của đời sống xã hội; đề xuất mô hình nâng cao hiệu quả, chất lượng phục vụ trong thực hiện cơ chế một cửa, một cửa liên thông.
Hình thức: vòng sơ khảo — bài viết tay hoặc đánh máy bằng tiếng Việt (có dấu); vòng chung khảo — thuyết trình, sân khấu hóa.
Bài dự thi phải rút ngắn thời gian hoàn thành thủ tục hành chính; giảm chi phí tuân thủ nhưng vẫn bảo đảm hiệu lực quản lý nhà nước; có tính khả thi và ứng dụng cao; cắt giảm chi phí, nâng cao chất lượng tại bộ phận tiếp nhận và trả kết quả; nâng cao chất lượng phục vụ của cán bộ, công chức; nâng cao chất lượng quan hệ giữa cơ quan hành chính với tổ chức, công dân."""
HOW_TO_ENTER = """1. Đăng ký tài khoản dự thi (cá nhân, nhóm tác giả hoặc cơ quan, tổ chức, doanh nghiệp) và xác nhận e-mail.
2. Khai báo đối tượng dự thi.
3. Viết bài trực tiếp trên Cổng (tự động lưu nháp) hoặc tải lên bản scan/ảnh bài viết tay (PDF, JPG, PNG).
4. Nộp bài trong thời hạn nhận bài; nhận mã bài dự thi, thư xác nhận và biên nhận PDF. Được sửa bài đến khi hết hạn."""
CRITERIA = [
    ("Rút ngắn thời gian hoàn thành thủ tục hành chính", Decimal("1.5")),
    (
        "Giảm chi phí tuân thủ thủ tục hành chính cho cá nhân, tổ chức, doanh nghiệp nhưng vẫn bảo đảm hiệu lực, "
        "hiệu quả quản lý nhà nước",
        Decimal("1.5"),
    ),
    ("Có tính khả thi và ứng dụng cao trong đời sống", Decimal("2")),
    ("Cắt giảm chi phí, nâng cao hiệu quả, chất lượng tại bộ phận tiếp nhận và trả kết quả", Decimal("1")),
    ("Nâng cao chất lượng phục vụ của đội ngũ cán bộ, công chức, viên chức, người lao động", Decimal("1")),
    ("Nâng cao chất lượng mối quan hệ giữa cơ quan hành chính nhà nước với tổ chức, công dân", Decimal("1")),
]
FINAL_CRITERIA = [
    ("Nội dung thuyết trình: làm rõ giá trị của sáng kiến", Decimal("2")),
    ("Hình thức thể hiện, sân khấu hóa", Decimal("1")),
    ("Trả lời câu hỏi của Ban Giám khảo", Decimal("1")),
]
# The 2024 edition's quotas.
PRIZES = [
    ("Giải Nhất", PrizeGroup.INDIVIDUAL, 1, 1, 10_000_000),
    ("Giải Nhì", PrizeGroup.INDIVIDUAL, 2, 2, 7_000_000),
    ("Giải Ba", PrizeGroup.INDIVIDUAL, 3, 3, 5_000_000),
    ("Giải Khuyến khích", PrizeGroup.INDIVIDUAL, 4, 5, 2_000_000),
    ("Giải Nhất", PrizeGroup.GROUP, 1, 1, 15_000_000),
    ("Giải Nhì", PrizeGroup.GROUP, 2, 1, 10_000_000),
    ("Giải Ba", PrizeGroup.GROUP, 3, 1, 7_000_000),
]

JUDGES = [
    ("giamkhao1@demo.cchc.vn", "Đào Quang Minh", "GK1", "HN-LDLD-GIALAM-0001", ["ho-tich", "mot-cua"]),
    ("giamkhao2@demo.cchc.vn", "Lương Thị Thanh Hương", "GK2", "HN-LDLD-CDVC-0001", ["dat-dai", "xay-dung"]),
    ("giamkhao3@demo.cchc.vn", "Kiều Văn Bình", "GK3", None, ["dang-ky-kinh-doanh", "dau-tu"]),
]
CONTESTANTS = [
    # e-mail, name, kind, team, organisation, unit code, commune/ward (today's name), eligibility, phone
    (
        "thisinh.hoa@demo.cchc.vn",
        "Ngô Thị Hoa",
        EntrantKind.INDIVIDUAL,
        [],
        "Phường Dịch Vọng, quận Cầu Giấy",
        "HN-LDLD-CAUGIAY-0001",
        "Phường Cầu Giấy",
        Eligibility.OFFICIAL,
        "0912000111",
    ),
    (
        "nhom.motcua@demo.cchc.vn",
        "Nhóm Một cửa Hoàn Kiếm",
        EntrantKind.TEAM,
        ["Trịnh Văn Long", "Phan Thị Ngọc", "Đặng Minh Tuấn"],
        "Bộ phận một cửa quận Hoàn Kiếm",
        "HN-LDLD-HOANKIEM-0001",
        "Phường Hoàn Kiếm",
        Eligibility.OFFICIAL,
        "0912000222",
    ),
    (
        "congdan.an@demo.cchc.vn",
        "Vương Đình An",
        EntrantKind.INDIVIDUAL,
        [],
        "",
        None,
        "Xã Gia Lâm",
        Eligibility.CITIZEN,
        "0912000333",
    ),
    (
        "doanhnghiep.sao@demo.cchc.vn",
        "Công ty TNHH Sao Việt Số",
        EntrantKind.ORGANISATION,
        [],
        "Công ty TNHH Sao Việt Số",
        None,
        "Phường Thanh Xuân",
        Eligibility.ORGANISATION,
        "0243000444",
    ),
    (
        "cdcs.trauquy@demo.cchc.vn",
        "Đỗ Thị Mai",
        EntrantKind.INDIVIDUAL,
        [],
        "UBND thị trấn Trâu Quỳ",
        "HN-LDLD-GIALAM-0001",
        "Xã Gia Lâm",
        Eligibility.OFFICIAL,
        "",
    ),
]

ENTRIES_2019 = [
    (
        "thisinh.hoa@demo.cchc.vn",
        {
            "title": "Phiếu hẹn điện tử và tin nhắn báo kết quả hồ sơ đất đai",
            "field": "dat-dai",
            "procedure": "Đăng ký biến động đất đai; cấp giấy chứng nhận quyền sử dụng đất lần đầu",
            "problem": "Người dân phải quay lại bộ phận một cửa nhiều lần để hỏi hồ sơ đất đai đã giải quyết đến đâu; "
            "phiếu hẹn giấy hay bị mất, cán bộ mất nhiều thời gian trả lời điện thoại.",
            "solution": "Mỗi hồ sơ được cấp một phiếu hẹn có mã QR; người dân quét mã để xem từng bước xử lý trên Cổng "
            "dịch vụ công, và nhận tin nhắn khi hồ sơ có kết quả hoặc cần bổ sung giấy tờ.",
            "benefits": "Giảm ít nhất hai lần đi lại cho mỗi hồ sơ; cán bộ một cửa bớt khoảng một giờ nghe điện thoại "
            "mỗi ngày; người dân biết trước thời điểm nhận kết quả.",
            "feasibility": "Dùng Hệ thống thông tin Một cửa điện tử dùng chung ba cấp đã có; chi phí tin nhắn khoảng "
            "500 đồng một hồ sơ, có thể áp dụng ngay ở mọi phường.",
        },
        True,
    ),
    (
        "nhom.motcua@demo.cchc.vn",
        {
            "title": "Một lần đến, trọn thủ tục khai sinh, thường trú và thẻ bảo hiểm y tế cho trẻ em",
            "field": "ho-tich",
            "procedure": "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế",
            "problem": "Cha mẹ phải đến ba nơi khác nhau và khai cùng một thông tin ba lần mới làm xong giấy khai sinh, "
            "đăng ký thường trú và thẻ bảo hiểm y tế cho con.",
            "solution": "Một bộ hồ sơ, một tờ khai chung tại bộ phận một cửa phường; công chức tư pháp chuyển dữ liệu "
            "cho công an và bảo hiểm xã hội qua phần mềm liên thông; kết quả trả tại nhà qua bưu điện.",
            "benefits": "Rút thời gian từ mười ngày xuống ba ngày làm việc, tiết kiệm hai lần đi lại cho mỗi gia đình.",
            "feasibility": "Phù hợp Nghị định 61/2018/NĐ-CP về một cửa liên thông; chỉ cần quy chế phối hợp giữa ba "
            "cơ quan, không phát sinh chi phí đầu tư lớn.",
        },
        True,
    ),
    (
        "congdan.an@demo.cchc.vn",
        {
            "title": "Ki-ốt tra cứu và lấy số thứ tự tự động tại bộ phận một cửa cấp xã",
            "field": "mot-cua",
            "procedure": "Tiếp nhận và trả kết quả tại bộ phận một cửa cấp xã",
            "problem": "Ở nhiều xã, người dân xếp hàng không theo thứ tự, không biết mang giấy tờ gì và phải hỏi đi "
            "hỏi lại cán bộ.",
            "solution": "Đặt một ki-ốt có màn hình cảm ứng: tra cứu danh mục thủ tục, in danh sách giấy tờ cần mang, "
            "lấy số thứ tự và đánh giá mức độ hài lòng sau khi giao dịch.",
            "benefits": "Thời gian chờ trung bình giảm một nửa; người dân chuẩn bị đủ giấy tờ ngay từ lần đầu.",
            "feasibility": "Chi phí một ki-ốt khoảng 40 triệu đồng; phần mềm dùng chung cho toàn huyện.",
        },
        False,
    ),
    (
        "doanhnghiep.sao@demo.cchc.vn",
        {
            "title": "Biểu mẫu điền sẵn cho đăng ký hộ kinh doanh trên điện thoại",
            "field": "dang-ky-kinh-doanh",
            "procedure": "Đăng ký thành lập hộ kinh doanh",
            "problem": "Hồ sơ đăng ký hộ kinh doanh thường bị trả lại vì khai sai ngành nghề, sai địa chỉ hoặc thiếu "
            "chữ ký, mất thêm một tuần cho mỗi lần sửa.",
            "solution": "Ứng dụng trên điện thoại gợi ý mã ngành, tự kiểm tra địa chỉ theo danh mục hành chính, tạo "
            "tờ khai đúng mẫu và nộp trực tuyến ở mức độ 4.",
            "benefits": "Giảm tỷ lệ hồ sơ phải bổ sung từ khoảng ba mươi phần trăm xuống dưới năm phần trăm.",
            "feasibility": "Doanh nghiệp tự phát triển và tài trợ năm đầu; kết nối qua Cổng dịch vụ công của Thành phố.",
        },
        True,
    ),
    (
        "cdcs.trauquy@demo.cchc.vn",
        {
            "title": "Sổ tay thủ tục xây dựng nhà ở riêng lẻ bằng hình ảnh",
            "field": "xay-dung",
            "procedure": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            "problem": "Người dân nông thôn khó hiểu hồ sơ xin phép xây dựng, nhiều hộ xây trước rồi mới xin phép và "
            "bị xử phạt.",
            "solution": "Biên soạn sổ tay minh họa từng bước bằng hình ảnh, phát tại nhà văn hóa thôn và đăng trên "
            "trang thông tin của thị trấn, kèm số điện thoại hỗ trợ.",
            "benefits": "Giảm số vụ xây dựng không phép, người dân nộp hồ sơ đúng ngay lần đầu.",
            "feasibility": "Chi phí in ấn thấp, công đoàn cơ sở phối hợp với cán bộ địa chính thực hiện.",
        },
        False,
    ),
]
DRAFT_2019 = (
    "congdan.an@demo.cchc.vn",
    {"title": "Ý tưởng về tra cứu hồ sơ công chứng", "field": "cong-chung", "problem": "Đang viết dở…"},
)
ENTRIES_NOW = [
    (
        "thisinh.hoa@demo.cchc.vn",
        {
            "title": "Trợ lý ảo trả lời câu hỏi thường gặp về thủ tục hộ tịch",
            "field": "ho-tich",
            "procedure": "Các thủ tục hộ tịch cấp xã",
            "problem": "Mỗi ngày cán bộ tư pháp phường trả lời hàng chục cuộc gọi hỏi cùng một nội dung về giấy tờ "
            "cần chuẩn bị, lệ phí và thời hạn giải quyết.",
            "solution": "Xây dựng trợ lý ảo trên trang thông tin của phường, trả lời tự động các câu hỏi thường gặp "
            "bằng tiếng Việt và chuyển câu hỏi khó cho cán bộ.",
            "benefits": "Cán bộ có thêm thời gian xử lý hồ sơ; người dân được trả lời ngay cả ngoài giờ hành chính.",
            "feasibility": "Dùng nền tảng sẵn có, chi phí duy trì thấp, cập nhật nội dung theo bộ thủ tục của Thành phố.",
        },
        True,
    ),
    (
        "nhom.motcua@demo.cchc.vn",
        {
            "title": "Lịch hẹn trực tuyến tại bộ phận một cửa quận",
            "field": "mot-cua",
            "procedure": "Tiếp nhận hồ sơ tại bộ phận một cửa cấp quận",
            "problem": "Giờ cao điểm buổi sáng bộ phận một cửa quá tải, người dân chờ hàng giờ.",
            "solution": "Cho người dân đặt lịch trước theo khung mười lăm phút trên Cổng dịch vụ công, nhắc lịch bằng "
            "tin nhắn và ưu tiên người đã đặt lịch.",
            "benefits": "Dàn đều lượng khách trong ngày, thời gian chờ dưới mười lăm phút.",
            "feasibility": "Tích hợp với hệ thống lấy số hiện có của quận, chi phí không đáng kể.",
        },
        False,
    ),
]


def _user(email, full_name, phone=""):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = demo_user_create(email=email, full_name=full_name, phone=phone)
    return user


def _contest(slug, *, name, year, prefix, windows, states, **overrides):
    contest, created = Contest.objects.get_or_create(
        slug=slug,
        defaults=dict(
            dict(
                name=name,
                year=year,
                code_prefix=prefix,
                plan_number="34/KH-UBND",
                plan_date=dt.date(2019, 1, 29),
                plan_issuer="UBND Thành phố Hà Nội",
                organiser_name="Văn phòng UBND Thành phố Hà Nội",
                organising_unit=Unit.objects.filter(code="HN").first(),
                summary=SUMMARY,
                rules_text=RULES,
                how_to_enter=HOW_TO_ENTER,
                fields=[list(f) for f in DEFAULT_FIELDS],
                max_team_size=5,
            ),
            **overrides,
        ),
    )
    if not created:
        return contest, False
    (s_open, s_close, j_open, j_close, final_at) = windows
    prelim = Round.objects.create(
        contest=contest,
        kind=RoundKind.PRELIMINARY,
        name="Vòng sơ khảo",
        submission_opens_at=s_open,
        submission_closes_at=s_close,
        judging_opens_at=j_open,
        judging_closes_at=j_close,
        judges_per_entry=3,
        state=states[0],
    )
    final = Round.objects.create(
        contest=contest,
        kind=RoundKind.FINAL,
        name="Vòng chung khảo",
        judging_opens_at=final_at,
        judging_closes_at=final_at + dt.timedelta(hours=6),
        judges_per_entry=3,
        state=states[1],
        venue="Hội trường Báo Hà Nội mới",
    )
    for i, (cname, weight) in enumerate(CRITERIA, start=1):
        Criterion.objects.create(round=prelim, order=i, name=cname, weight=weight, min_score=0, max_score=10)
    for i, (cname, weight) in enumerate(FINAL_CRITERIA, start=1):
        Criterion.objects.create(round=final, order=i, name=cname, weight=weight, min_score=0, max_score=10)
    for tname, group, rank, quota, amount in PRIZES:
        PrizeTier.objects.create(contest=contest, name=tname, group=group, rank=rank, quota=quota, amount=amount)
    return contest, True


def _staff(contest):
    for email, role in (
        ("tuyengiao@demo.cchc.vn", StaffRole.ORGANISER),
        ("vanthu.ldld@demo.cchc.vn", StaffRole.SECRETARY),
    ):
        user = User.objects.filter(email=email).first()
        if user:
            ContestStaff.objects.get_or_create(contest=contest, user=user, role=role)
    for email, name, label, unit_code, expertise in JUDGES:
        user = _user(email, name)
        ContestStaff.objects.get_or_create(
            contest=contest,
            user=user,
            role=StaffRole.JUDGE,
            defaults=dict(
                label=label,
                expertise=expertise,
                unit=Unit.objects.filter(code=unit_code).first() if unit_code else None,
            ),
        )


def _entrants(contest) -> dict:
    out = {}
    areas = {area.name: area for area in AdministrativeArea.objects.filter(valid_to__isnull=True)}
    for email, name, kind, team, organisation, unit_code, area_name, eligibility, phone in CONTESTANTS:
        user = _user(email, name if kind != EntrantKind.TEAM else team[0], phone)
        unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
        entrant, _created = Entrant.objects.get_or_create(
            contest=contest,
            user=user,
            defaults=dict(
                kind=kind,
                display_name=name,
                team_members=team,
                organisation=organisation,
                unit=unit,
                lineage=unit.lineage if unit else "",
                area=areas.get(area_name),
                phone=phone,
                eligibility=eligibility,
                eligibility_declared_at=timezone.now(),
                email_verified_at=timezone.now(),
            ),
        )
        out[email] = entrant
    return out


def _submit(entrant, data, *, consent, at):
    entry = services.entry_create_draft(entrant=entrant, now=at)
    entry = services.entry_save(entry=entry, data={**data, "hall_of_fame_consent": consent}, by=entrant.user, now=at)
    return services.entry_submit(entry=entry, by=entrant.user, now=at, send_receipt=False)


def _score_all(round_, base: dict, spread: int = 1):
    """Deterministic demo scores: each entry has a base level, each judge a small offset."""
    for n, assignment in enumerate(
        Assignment.objects.filter(round=round_).select_related("judge", "entry").order_by("id")
    ):
        level = base.get(assignment.entry.code, 6)
        offset = (n % 3 - 1) * spread
        values = {c.pk: max(0, min(10, level + offset + (c.order % 2))) for c in round_.criteria.all()}
        judging.assignment_score(
            assignment=assignment,
            values=values,
            comment="Bài có tính thực tiễn, cần nêu rõ chi phí áp dụng.",
            submit=True,
            by=assignment.judge,
        )


def _load_2019(stdout):
    windows = (
        dt.datetime(2019, 4, 1, tzinfo=HANOI),
        dt.datetime(2019, 10, 1, tzinfo=HANOI),
        dt.datetime(2019, 10, 1, tzinfo=HANOI),
        dt.datetime(2019, 11, 20, tzinfo=HANOI),
        dt.datetime(2019, 11, 28, 8, 0, tzinfo=HANOI),
    )
    contest, created = _contest(
        "cuoc-thi-2019",
        name=CONTEST_NAME + " năm 2019",
        year=2019,
        prefix="CT2019",
        windows=windows,
        states=(RoundState.OPEN, RoundState.PLANNED),
    )
    _staff(contest)
    if not created:
        return
    entrants = _entrants(contest)
    for i, (email, data, consent) in enumerate(ENTRIES_2019):
        _submit(entrants[email], data, consent=consent, at=dt.datetime(2019, 5, 10 + i, 9, 30, tzinfo=HANOI))
    email, data = DRAFT_2019
    services.entry_autosave(
        entry=services.entry_create_draft(entrant=entrants[email], now=dt.datetime(2019, 9, 1, tzinfo=HANOI)),
        data=data,
        now=dt.datetime(2019, 9, 1, tzinfo=HANOI),
    )
    organiser = User.objects.filter(email="tuyengiao@demo.cchc.vn").first()
    for entry in Entry.objects.filter(contest=contest).exclude(code=None):
        services.entry_set_eligibility(entry=entry, eligible=True, by=organiser)
    prelim = contest.rounds.get(kind=RoundKind.PRELIMINARY)
    judging.assignment_auto(round_=prelim, k=3)
    _score_all(prelim, {"CT2019-0001": 8, "CT2019-0002": 9, "CT2019-0003": 6, "CT2019-0004": 7, "CT2019-0005": 5})
    states.round_set_state(round_=prelim, to=RoundState.CLOSED)
    results.round_advance(contest=contest, top_n=4)
    results.final_schedule(contest=contest, starts_at=dt.datetime(2019, 11, 28, 8, 0, tzinfo=HANOI))
    final = contest.rounds.get(kind=RoundKind.FINAL)
    states.round_set_state(round_=final, to=RoundState.OPEN)
    judging.assignment_auto(round_=final, k=3)
    _score_all(final, {"CT2019-0001": 8, "CT2019-0002": 9, "CT2019-0003": 7, "CT2019-0004": 7}, spread=0)
    states.round_set_state(round_=final, to=RoundState.CLOSED)
    for row, tier in ranking.awards_propose(contest):
        results.award_set(entry=row.entry, tier=tier, by=organiser)
    results.results_publish(contest=contest, by=organiser)
    results.contest_publish_comments(contest=contest, by=organiser)
    if stdout:
        stdout.write(f"  {contest.name}: {Entry.objects.filter(contest=contest).count()} bài, kết quả đã công bố")


def _load_current(stdout):
    today = timezone.localdate()
    start = dt.datetime.combine(today - dt.timedelta(days=30), dt.time(), tzinfo=HANOI)
    close = dt.datetime.combine(today + dt.timedelta(days=90), dt.time(), tzinfo=HANOI)
    windows = (start, close, close, close + dt.timedelta(days=45), close + dt.timedelta(days=60, hours=8))
    contest, created = _contest(
        f"cuoc-thi-{today.year}",
        name=f"{CONTEST_NAME} năm {today.year}",
        year=today.year,
        prefix=f"CT{today.year}",
        windows=windows,
        states=(RoundState.PLANNED, RoundState.PLANNED),
    )
    _staff(contest)
    if not created:
        return
    entrants = _entrants(contest)
    now = timezone.now()
    for email, data, submit in ENTRIES_NOW:
        if submit:
            _submit(entrants[email], data, consent=True, at=now)
        else:
            entry = services.entry_create_draft(entrant=entrants[email])
            services.entry_autosave(entry=entry, data=data)
    if stdout:
        stdout.write(f"  {contest.name}: đang nhận bài đến {timezone.localtime(close):%d/%m/%Y}")


JUDGING_SUMMARY = (
    "Cuộc thi do LĐLĐ Thành phố Hà Nội phát động (minh họa) nhằm tìm sáng kiến cải cách thủ tục "
    "hành chính, chuyển đổi số của đoàn viên sau khi thành lập công đoàn xã, phường từ tháng 7/2025."
)
ENTRIES_JUDGING = [
    (
        "thisinh.hoa@demo.cchc.vn",
        {
            "title": "Sổ tay điện tử thủ tục hành chính của phường mới",
            "field": "mot-cua",
            "procedure": "Tiếp nhận hồ sơ tại Trung tâm phục vụ hành chính công phường",
            "problem": "Sau khi sắp xếp, người dân chưa biết thủ tục nào làm ở phường mới, nộp ở đâu và mang giấy tờ gì.",
            "solution": "Sổ tay điện tử theo mã QR dán tại tổ dân phố, liệt kê thủ tục, địa điểm và giấy tờ cần mang.",
            "benefits": "Người dân chuẩn bị đúng hồ sơ từ lần đầu, giảm số lần đi lại.",
            "feasibility": "Dùng trang thông tin của phường, chi phí in mã QR không đáng kể.",
        },
    ),
    (
        "nhom.motcua@demo.cchc.vn",
        {
            "title": "Đặt lịch làm thủ tục theo khung giờ tại phường Hoàn Kiếm",
            "field": "mot-cua",
            "procedure": "Tiếp nhận và trả kết quả tại phường",
            "problem": "Buổi sáng đầu tuần người dân chờ lâu tại quầy tiếp nhận.",
            "solution": "Cho đặt lịch trước theo khung mười lăm phút, nhắc lịch bằng tin nhắn.",
            "benefits": "Dàn đều lượng khách, thời gian chờ dưới mười lăm phút.",
            "feasibility": "Tích hợp hệ thống lấy số đang dùng.",
        },
    ),
    (
        "congdan.an@demo.cchc.vn",
        {
            "title": "Hướng dẫn thủ tục đất đai bằng video ngắn",
            "field": "dat-dai",
            "procedure": "Đăng ký biến động đất đai",
            "problem": "Hồ sơ đất đai hay bị trả lại vì khai sai mẫu.",
            "solution": "Chuỗi video ngắn hướng dẫn từng bước khai mẫu, đăng trên trang của xã.",
            "benefits": "Giảm hồ sơ phải bổ sung.",
            "feasibility": "Cán bộ địa chính tự quay bằng điện thoại.",
        },
    ),
    (
        "cdcs.trauquy@demo.cchc.vn",
        {
            "title": "Tổ công đoàn hỗ trợ đoàn viên làm thủ tục trực tuyến",
            "field": "ho-tich",
            "procedure": "Các thủ tục hộ tịch trực tuyến",
            "problem": "Nhiều đoàn viên lớn tuổi chưa tự nộp được hồ sơ trực tuyến.",
            "solution": "Mỗi công đoàn cơ sở cử hai đoàn viên trẻ hỗ trợ vào giờ nghỉ trưa.",
            "benefits": "Đoàn viên không phải nghỉ làm để đi nộp hồ sơ.",
            "feasibility": "Không tốn kinh phí, lồng ghép sinh hoạt công đoàn.",
        },
    ),
]


def _load_judging(stdout):
    """Submissions closed 15 days ago; the preliminary round opened for judging 10 days ago, entries assigned."""
    today = timezone.localdate()
    start = dt.datetime.combine(today - dt.timedelta(days=75), dt.time(), tzinfo=HANOI)
    close = dt.datetime.combine(today - dt.timedelta(days=15), dt.time(), tzinfo=HANOI)
    judging_opens = dt.datetime.combine(today - dt.timedelta(days=10), dt.time(), tzinfo=HANOI)
    windows = (
        start,
        close,
        judging_opens,
        judging_opens + dt.timedelta(days=30),
        judging_opens + dt.timedelta(days=45, hours=8),
    )
    contest, created = _contest(
        f"sang-kien-cong-doan-xa-phuong-{today.year}",
        name=f"Sáng kiến cải cách hành chính, chuyển đổi số trong công đoàn xã, phường năm {today.year}",
        year=today.year,
        prefix=f"CD{today.year}",
        windows=windows,
        states=(RoundState.PLANNED, RoundState.PLANNED),
        plan_number="",
        plan_date=None,
        plan_issuer="LĐLĐ Thành phố Hà Nội",
        organiser_name="Ban Tuyên giáo LĐLĐ Thành phố Hà Nội",
        organising_unit=Unit.objects.filter(code="HN-LDLD").first(),
        summary=JUDGING_SUMMARY,
    )
    _staff(contest)
    if not created:
        return
    entrants = _entrants(contest)
    for i, (email, data) in enumerate(ENTRIES_JUDGING):
        _submit(entrants[email], data, consent=False, at=start + dt.timedelta(days=20 + i, hours=9))
    organiser = User.objects.filter(email="tuyengiao@demo.cchc.vn").first()
    for entry in Entry.objects.filter(contest=contest).exclude(code=None):
        services.entry_set_eligibility(entry=entry, eligible=True, by=organiser)
    prelim = contest.rounds.get(kind=RoundKind.PRELIMINARY)
    states.round_set_state(round_=prelim, to=RoundState.OPEN, by=organiser)
    judging.assignment_auto(round_=prelim, k=3, by=organiser)
    if stdout:
        stdout.write(
            f"  {contest.name}: vòng sơ khảo đang chấm, "
            f"{Assignment.objects.filter(round=prelim).count()} lượt phân công giám khảo"
        )


def load_demo(*, stdout=None) -> None:
    load_history(stdout=stdout)
    load_present(stdout=stdout)


def load_history(*, stdout=None) -> None:
    with transaction.atomic():
        _load_2019(stdout)


def load_present(*, stdout=None) -> None:
    with transaction.atomic():
        _load_current(stdout)
        _load_judging(stdout)


DEMO_ACCOUNTS_HELP = [
    "giamkhao1@demo.cchc.vn         judge (GK1)    cuộc thi: chấm bài (đơn vị CĐCS Trâu Quỳ → xung đột với bài của Đỗ Thị Mai)",
    "giamkhao2@demo.cchc.vn         judge (GK2)    cuộc thi: chấm bài (Sở Tư pháp)",
    "giamkhao3@demo.cchc.vn         judge (GK3)    cuộc thi: chấm bài",
    "giamkhao1..3@demo.cchc.vn      judges         cuộc thi công đoàn xã, phường: vòng sơ khảo đang chấm (bài đã phân công)",
    "tuyengiao@demo.cchc.vn         organiser      cuộc thi: Ban tổ chức (/contest/<slug>/manage/)",
    "vanthu.ldld@demo.cchc.vn       secretary      cuộc thi: Tổ thư ký",
    "thisinh.hoa@demo.cchc.vn       contestant     cuộc thi: cá nhân, có bài đạt giải 2019 và bài đang dự thi",
    "nhom.motcua@demo.cchc.vn       contestant     cuộc thi: nhóm tác giả (3 người), có bản nháp đang viết",
    "congdan.an@demo.cchc.vn        contestant     cuộc thi: công dân",
    "doanhnghiep.sao@demo.cchc.vn   contestant     cuộc thi: doanh nghiệp",
]
