"""Demo content for the public face: the two press articles of the seeds (condensed),
a few more items from the seed documents, honoured models, feedback, indicators.

Idempotent: news by slug, models by title, feedback by submission key, indicators by year.
Only figures given by the seeds are entered; 2016 ranks are derived from the rises the
2018 article reports, and labelled as such."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from organizations.demo import demo_user_create
from organizations.enums import Role
from organizations.models import Unit, User
from organizations.services import membership_grant

from .enums import FeedbackKind, FeedbackTopic, NewsStatus, ReformArea
from .models import CityIndicator, Feedback, HonouredModel, NewsItem
from .services import feedback_answer, feedback_submit, news_approve, news_submit

DEMO_ACCOUNTS_HELP = [
    "truyenthong.ldld@demo.cchc.vn  communication  HN-LDLD (duyệt tin của LĐLĐ quận, huyện, CĐ ngành)",
    "truyenthong.cdvc@demo.cchc.vn  officer        HN-LDLD-CDVC-0002 (viết tin; đến 30/06/2025: Công đoàn Viên chức TP)",
]

# Where the public face's demo people work today (after 1 July 2025).
TODAY_POSTS = [
    ("truyenthong.cdvc@demo.cchc.vn", "HN-LDLD-CDVC-0002", Role.OFFICER, "Cán bộ CĐCS Văn phòng UBND Thành phố"),
]

EXTRA_USERS = [
    ("truyenthong.ldld@demo.cchc.vn", "Lương Thị Thanh", "HN-LDLD", Role.COMMUNICATION, "Cán bộ Ban Tuyên giáo"),
    ("truyenthong.cdvc@demo.cchc.vn", "Đinh Quang Huy", "HN-LDLD-CDVC", Role.OFFICER, "Cán bộ Công đoàn Viên chức TP"),
]


def _at(day: dt.date, hour: int = 9):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


# (slug, unit, author, approver, published on, source, tags, title, summary, body)
NEWS = [
    (
        "day-manh-tuyen-truyen-cchc-mot-cua-lien-thong-2019",
        "HN",
        "ubnd@demo.cchc.vn",
        "admin@demo.cchc.vn",
        dt.date(2019, 2, 1),
        "Báo Kinh tế & Đô thị – chuyên mục Pháp luật & Xã hội",
        [ReformArea.PROCEDURES, ReformArea.E_GOVERNMENT],
        "Hà Nội đẩy mạnh tuyên truyền cải cách TTHC và cơ chế một cửa, một cửa liên thông năm 2019",
        "UBND Thành phố ban hành Kế hoạch 33/KH-UBND về thông tin, tuyên truyền công tác kiểm soát thủ tục "
        "hành chính, cải cách TTHC và cơ chế một cửa, một cửa liên thông năm 2019; cuộc thi tìm kiếm sáng kiến "
        "nhận bài từ tháng 4 đến hết tháng 9.",
        """Kế hoạch số 33/KH-UBND ngày 29/01/2019 của UBND Thành phố Hà Nội đặt mục tiêu tiếp tục nâng cao nhận thức của cán bộ, người dân và doanh nghiệp về vai trò của kiểm soát thủ tục hành chính (TTHC), cải cách TTHC và việc thực hiện cơ chế một cửa, một cửa liên thông tại các cơ quan hành chính của Thành phố.

<h2>Nội dung tuyên truyền</h2>
<ul>
<li>Phổ biến các văn bản chỉ đạo của Trung ương và Thành phố về kiểm soát TTHC và cơ chế một cửa, một cửa liên thông.</li>
<li>Giới thiệu điển hình tiên tiến, sáng kiến, mô hình đang thí điểm ở các sở, ngành, quận, huyện, thị xã và xã, phường, thị trấn; cả những nơi làm tốt và chưa tốt.</li>
<li>Hệ thống thông tin Một cửa điện tử dùng chung 3 cấp của Thành phố và Cổng dịch vụ công trực tuyến.</li>
<li>Những điều cần biết khi làm TTHC trong các lĩnh vực đất đai, đầu tư, đăng ký kinh doanh, xây dựng, hộ tịch, hộ khẩu, công chứng, xử phạt vi phạm hành chính, khiếu nại, tố cáo.</li>
<li>Vai trò, trách nhiệm của cấp ủy và người đứng đầu cơ quan hành chính, tổ chức chính trị – xã hội các cấp.</li>
</ul>

<h2>Cuộc thi tìm kiếm sáng kiến</h2>
<p>Trong tháng 3/2019, Thành phố xây dựng và triển khai kế hoạch cuộc thi “Tìm kiếm sáng kiến, giải pháp, mô hình cải cách TTHC và thực hiện cơ chế một cửa, một cửa liên thông” tới các sở, ngành, đoàn thể, quận, huyện, thị xã, tổ chức và công dân. Bài dự thi được nhận từ tháng 4 đến hết tháng 9; tháng 10 và tháng 11, tổ thư ký tổng hợp, Ban Giám khảo nhận xét và chấm sơ khảo; chung kết và trao giải dự kiến cuối tháng 11/2019.</p>""",
    ),
    (
        "cong-doan-vien-chuc-thanh-pho-chu-dong-tham-gia-cai-cach-hanh-chinh",
        "HN-LDLD-CDVC",
        "truyenthong.cdvc@demo.cchc.vn",
        "tuyengiao@demo.cchc.vn",
        dt.date(2018, 3, 13),
        "Bài của Ngọc Tú, 13/03/2018",
        [ReformArea.PROCEDURES, ReformArea.CIVIL_SERVICE, ReformArea.E_GOVERNMENT],
        "Công đoàn Viên chức Thành phố chủ động tham gia cải cách hành chính",
        "Đoàn viên Công đoàn Viên chức Thành phố – phần lớn là cán bộ, công chức, viên chức trực tiếp giải quyết "
        "TTHC – góp phần đưa tỷ lệ TTHC qua một cửa lên 96%, hồ sơ đúng và trước hạn đạt 99,98%; PAR INDEX của "
        "Hà Nội xếp thứ 3 cả nước.",
        """Công đoàn Viên chức Thành phố tập hợp đoàn viên là cán bộ, công chức, viên chức (CBCCVC) của các ban, cơ quan trực thuộc Thành ủy và các sở, ban, ngành, đoàn thể Thành phố; nhiều công đoàn cơ sở trực thuộc là nơi trực tiếp giải quyết thủ tục hành chính.

<h2>Tuyên truyền bằng nhiều hình thức</h2>
<p>Theo ông Đặng Văn Hải, Phó Chủ tịch Thường trực Công đoàn Viên chức Thành phố, năm 2017 các công đoàn cơ sở được hướng dẫn tuyên truyền về cải cách hành chính, cải cách chế độ công vụ, “Năm kỷ cương hành chính” và quy tắc ứng xử nơi công sở. Các cuộc thi “Tìm kiếm sáng kiến về cải cách thủ tục hành chính”, “Đề xuất ý tưởng CCHC”, “Chung tay cải cách TTHC”… được tổ chức bằng hình thức trắc nghiệm, sân khấu hóa và đặc biệt là thi trực tuyến, thu hút đông đảo CBCCVC. CBCCVC ký cam kết thực hiện kỷ cương hành chính, làm việc theo phương châm “rõ người, rõ việc, rõ trách nhiệm, rõ quy trình, rõ hiệu quả”, “một việc – một đầu mối xuyên suốt”.</p>

<h2>Tham mưu và kết quả</h2>
<p>Đoàn viên của Công đoàn Viên chức Thành phố tham gia tham mưu Chương trình 08-CTr/TU ngày 26/4/2016, Chỉ thị 01/CT-UBND ngày 03/02/2017 về “Năm kỷ cương hành chính 2017” và Kế hoạch 69/KH-UBND ngày 20/3/2017 về siết chặt kỷ luật, kỷ cương hành chính.</p>
<ul>
<li>96% thủ tục hành chính trên toàn Thành phố thực hiện theo cơ chế một cửa, một cửa liên thông.</li>
<li>99,98% hồ sơ của các sở, cơ quan ngang sở được giải quyết đúng và trước hạn.</li>
<li>Chỉ số cải cách hành chính (PAR INDEX) xếp thứ 3 cả nước, tăng 6 bậc.</li>
<li>Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) tăng 10 bậc, xếp thứ 14/63 – cao nhất từ trước tới nay.</li>
<li>Chỉ số sẵn sàng ứng dụng công nghệ thông tin (ICT) xếp thứ 2 cả nước.</li>
</ul>
<p>Hà Nội dẫn đầu cả nước về số hồ sơ giao dịch qua mạng và là địa phương duy nhất cung cấp dịch vụ công mức độ 3 lĩnh vực tư pháp tới 100% xã, phường, có liên thông dữ liệu với Bảo hiểm xã hội và Công an Thành phố.</p>""",
    ),
    (
        "ldld-thanh-pho-trien-khai-ke-hoach-33-va-cuoc-thi-2019",
        "HN-LDLD",
        "vanthu.ldld@demo.cchc.vn",
        "admin@demo.cchc.vn",
        dt.date(2019, 3, 28),
        "Công văn 153/LĐLĐ ngày 27/03/2019",
        [ReformArea.PROCEDURES],
        "LĐLĐ Thành phố đề nghị các cấp công đoàn tuyên truyền Kế hoạch 33 và cuộc thi sáng kiến",
        "Công văn 153/LĐLĐ ngày 27/03/2019 đề nghị LĐLĐ quận, huyện, thị xã, công đoàn ngành và công đoàn cơ sở "
        "trực thuộc tuyên truyền Kế hoạch 33/KH-UBND, vận động đoàn viên dự thi và báo cáo kết quả về Ban Tuyên giáo.",
        """Ngày 27/03/2019, Liên đoàn Lao động Thành phố Hà Nội gửi Công văn 153/LĐLĐ tới LĐLĐ các quận, huyện, thị xã, công đoàn ngành, công đoàn cấp trên trực tiếp cơ sở và công đoàn cơ sở trực thuộc.

Công văn đề nghị các đơn vị thông tin, tuyên truyền Kế hoạch 33/KH-UBND và cuộc thi “Tìm kiếm sáng kiến, giải pháp, mô hình về cải cách TTHC và thực hiện cơ chế một cửa, một cửa liên thông” năm 2019 (Kế hoạch 34/KH-UBND); vận động đoàn viên, người lao động tham gia dự thi; đánh giá và báo cáo kết quả về LĐLĐ Thành phố qua Ban Tuyên giáo.""",
    ),
    (
        "gia-lam-trien-khai-huong-dan-83-tuyen-truyen-cchc-2021-2025",
        "HN-LDLD-GIALAM",
        "canbo.gialam@demo.cchc.vn",
        "truyenthong.ldld@demo.cchc.vn",
        dt.date(2021, 6, 15),
        "Hướng dẫn 83/HD-LĐLĐ ngày 11/06/2021",
        list(ReformArea.values),
        "Gia Lâm: tuyên truyền cải cách hành chính tới 100% công đoàn cơ sở giai đoạn 2021–2025",
        "Ban Thường vụ LĐLĐ huyện Gia Lâm ban hành Hướng dẫn 83/HD-LĐLĐ: tuyên truyền theo 6 nội dung cải cách "
        "hành chính, tới 100% công đoàn cơ sở, báo cáo định kỳ về LĐLĐ huyện.",
        """Thực hiện Hướng dẫn 12/HD-LĐLĐ của LĐLĐ Thành phố, ngày 11/06/2021 Ban Thường vụ LĐLĐ huyện Gia Lâm ban hành Hướng dẫn 83/HD-LĐLĐ về tuyên truyền cải cách hành chính giai đoạn 2021–2025.

<h2>Sáu nội dung trọng tâm</h2>
<ol><li>Cải cách thể chế.</li><li>Cải cách thủ tục hành chính.</li><li>Cải cách tổ chức bộ máy hành chính nhà nước.</li><li>Cải cách chế độ công vụ.</li><li>Cải cách tài chính công.</li><li>Xây dựng và phát triển chính phủ điện tử, chính phủ số.</li></ol>

<h2>Hình thức</h2>
<p>Tuyên truyền qua phương tiện thông tin đại chúng; trực tiếp tại hội nghị, sinh hoạt công đoàn; trực quan bằng tờ rơi, áp phích, băng rôn, màn hình; tương tác qua cuộc thi, tọa đàm, đối thoại. LĐLĐ huyện triển khai tới 100% công đoàn cơ sở; công đoàn cơ sở báo cáo định kỳ về LĐLĐ huyện.</p>""",
    ),
]

# Today's news, dated relative to the day the demo is loaded (the demo lives in the present): the contest's
# current edition, the city federation after the 2025 reorganisation (facts of DOMAIN.md), the portal itself.
# (slug stem, days before today, tags, title, summary, body); written by the city federation's communication
# officer, approved by the head of its propaganda department.
PRESENT_NEWS_UNIT = "HN-LDLD"
PRESENT_NEWS_AUTHOR = "truyenthong.ldld@demo.cchc.vn"
PRESENT_NEWS_APPROVER = "tuyengiao@demo.cchc.vn"
PRESENT_NEWS = [
    (
        "cuoc-thi-sang-kien-cchc-nhan-bai",
        25,
        [ReformArea.PROCEDURES, ReformArea.E_GOVERNMENT],
        "Cuộc thi tìm kiếm sáng kiến cải cách thủ tục hành chính năm {year} đang nhận bài",
        "Công dân, cơ quan, tổ chức, doanh nghiệp và cán bộ, công chức, viên chức trên địa bàn Thành phố gửi "
        "sáng kiến, giải pháp, mô hình cải cách TTHC và cơ chế một cửa, một cửa liên thông qua Cổng thông tin.",
        """Cuộc thi “Tìm kiếm sáng kiến, giải pháp, mô hình về cải cách thủ tục hành chính và thực hiện cơ chế một cửa, một cửa liên thông” năm {year} đang nhận bài dự thi trên Cổng thông tin của chiến dịch.

<h2>Ai được dự thi</h2>
<p>Công dân Việt Nam sinh sống và làm việc trên địa bàn Hà Nội; cơ quan, tổ chức, doanh nghiệp trên địa bàn; cán bộ, công chức, viên chức, người lao động tại các cơ quan hành chính nhà nước của Thành phố. Có thể dự thi cá nhân, theo nhóm tác giả hoặc với tư cách tổ chức.</p>

<h2>Bài dự thi được đánh giá theo sáu tiêu chí</h2>
<ol><li>Rút ngắn thời gian hoàn thành thủ tục hành chính.</li><li>Giảm chi phí tuân thủ mà vẫn bảo đảm hiệu lực quản lý nhà nước.</li><li>Khả thi, áp dụng được rộng rãi.</li><li>Cắt giảm chi phí, nâng cao chất lượng tại bộ phận tiếp nhận và trả kết quả.</li><li>Nâng cao chất lượng phục vụ của cán bộ, công chức.</li><li>Cải thiện quan hệ giữa cơ quan hành chính với người dân, doanh nghiệp.</li></ol>

<p>Vòng sơ khảo chấm bài viết (đánh máy hoặc viết tay, bằng tiếng Việt có dấu); vòng chung khảo thuyết trình hoặc sân khấu hóa. Thời hạn nhận bài và trạng thái từng bài được công bố trên trang cuộc thi; người dự thi tra cứu bài của mình bằng mã bài dự thi.</p>""",
    ),
    (
        "ldld-thanh-pho-truc-tiep-quan-ly-cong-doan-co-so",
        60,
        [ReformArea.ORGANISATION],
        "LĐLĐ Thành phố trực tiếp quản lý công đoàn cơ sở sau sắp xếp tổ chức bộ máy",
        "Từ ngày 01/07/2025, 40 công đoàn cấp trên trực tiếp cơ sở kết thúc hoạt động; LĐLĐ Thành phố trực tiếp "
        "quản lý 6.349 công đoàn cơ sở với 629.022 đoàn viên.",
        """Ngày 30/6/2025, Liên đoàn Lao động Thành phố Hà Nội kết thúc hoạt động của 40 công đoàn cấp trên trực tiếp cơ sở: 30 LĐLĐ quận, huyện, thị xã và 10 công đoàn ngành và tương đương. Con dấu, hồ sơ, tài chính đã được bàn giao; các công đoàn cơ sở trực thuộc chuyển về LĐLĐ Thành phố.

<p>Sau sắp xếp, LĐLĐ Thành phố trực tiếp quản lý 6.349 công đoàn cơ sở với 629.022 đoàn viên. Việc tuyên truyền cải cách hành chính, chuyển đổi số và cơ chế một cửa, một cửa liên thông tiếp tục được triển khai tới từng công đoàn cơ sở; báo cáo kết quả được gửi và tổng hợp trên Cổng thông tin thay cho thư điện tử.</p>""",
    ),
    (
        "gui-phan-anh-kien-nghi-tren-cong-thong-tin",
        7,
        [ReformArea.PROCEDURES],
        "Gửi phản ánh, kiến nghị về thủ tục hành chính và tra cứu trả lời trên Cổng thông tin",
        "Người dân, đoàn viên gửi phản ánh, kiến nghị về thủ tục hành chính tới công đoàn; mỗi phản ánh có mã "
        "tra cứu để theo dõi việc trả lời.",
        """Cổng thông tin của chiến dịch tiếp nhận phản ánh, kiến nghị của người dân và đoàn viên về thủ tục hành chính, thái độ phục vụ và cơ chế một cửa, một cửa liên thông.

<p>Người gửi nhận một mã tra cứu; nếu để lại địa chỉ e-mail, mã tra cứu được gửi qua thư. Công đoàn nơi nhận phản ánh trả lời trong thời hạn tính theo ngày làm việc; những trả lời được người gửi đồng ý công khai được đăng trên Cổng.</p>""",
    ),
]

PENDING_NEWS = (
    "HN-LDLD-GIALAM-0001",
    "cdcs.trauquy@demo.cchc.vn",
    "Công đoàn thị trấn Trâu Quỳ hướng dẫn đoàn viên nộp hồ sơ trực tuyến mức độ 3, 4",
    "Công đoàn cơ sở UBND thị trấn Trâu Quỳ tổ chức buổi hướng dẫn đoàn viên sử dụng dịch vụ công trực tuyến "
    "mức độ 3, 4 (tin minh họa, đang chờ duyệt).",
    "Tin minh họa cho quy trình duyệt: tin của công đoàn cơ sở chờ công đoàn cấp trên duyệt trước khi đăng.",
)

HONOURED = [
    dict(
        title="Hệ thống thông tin Một cửa điện tử dùng chung 3 cấp",
        organisation="UBND Thành phố Hà Nội",
        unit_code="HN",
        year=2019,
        area=ReformArea.E_GOVERNMENT,
        position=1,
        summary="Một hệ thống một cửa điện tử dùng chung cho thành phố, quận, huyện và xã, phường, phục vụ bộ "
        "phận tiếp nhận và trả kết quả (Kế hoạch 33/KH-UBND).",
        story="Kế hoạch 33/KH-UBND năm 2019 đưa hệ thống thông tin Một cửa điện tử dùng chung 3 cấp của Thành phố "
        "vào nội dung tuyên truyền trọng tâm: hồ sơ được tiếp nhận và theo dõi trên cùng một hệ thống từ "
        "cấp thành phố đến cấp xã, cùng với Cổng dịch vụ công trực tuyến của Thành phố.",
    ),
    dict(
        title="Dịch vụ công mức độ 3 lĩnh vực tư pháp tới 100% xã, phường",
        organisation="Thành phố Hà Nội",
        unit_code="HN",
        year=2017,
        area=ReformArea.PROCEDURES,
        position=2,
        summary="Hà Nội là địa phương duy nhất cung cấp dịch vụ công mức độ 3 lĩnh vực tư pháp đồng bộ tới 100% "
        "xã, phường, liên thông dữ liệu với Bảo hiểm xã hội và Công an Thành phố.",
        story="Theo bài viết về Công đoàn Viên chức Thành phố (13/03/2018), Hà Nội đứng đầu cả nước về số hồ sơ "
        "giao dịch qua mạng và là địa phương duy nhất cung cấp dịch vụ công mức độ 3 lĩnh vực tư pháp đồng bộ "
        "tới 100% xã, phường, khai thác cơ sở dữ liệu dân cư để liên thông với Bảo hiểm xã hội và Công an.",
    ),
    dict(
        title="Thi trực tuyến tìm hiểu cải cách hành chính cho cán bộ, công chức, viên chức",
        organisation="Công đoàn Viên chức Thành phố Hà Nội",
        unit_code="HN-LDLD-CDVC",
        year=2017,
        area=ReformArea.CIVIL_SERVICE,
        position=3,
        summary="Các cuộc thi “Chung tay cải cách TTHC”, “Đề xuất ý tưởng CCHC”… tổ chức cả trực tuyến trên máy "
        "tính, thu hút đông đảo CBCCVC tham gia.",
        story="Công đoàn Viên chức Thành phố chỉ đạo công đoàn cơ sở tổ chức hội nghị, hội thảo chuyên đề và các "
        "cuộc thi về cải cách hành chính bằng hình thức trắc nghiệm, sân khấu hóa và thi trực tuyến, tạo sức "
        "lan tỏa sâu rộng trong đội ngũ cán bộ, công chức, viên chức.",
    ),
    dict(
        title="Hẹn trả kết quả qua tin nhắn tại bộ phận một cửa (mô hình minh họa)",
        organisation="Công đoàn cơ sở Bộ phận một cửa quận Hoàn Kiếm",
        unit_code="HN-LDLD-HOANKIEM-0001",
        year=2019,
        area=ReformArea.PROCEDURES,
        position=4,
        contest_award="Giải minh họa – cuộc thi sáng kiến 2019 (dữ liệu demo)",
        contest_entry_code="DEMO-001",
        summary="Dữ liệu minh họa: liên kết một bài đoạt giải của cuộc thi bằng tên giải và mã bài dự thi.",
        story="Đây là mục minh họa cho cách trang vinh danh nêu một bài đoạt giải cuộc thi: quản trị cổng ghi tên "
        "giải và mã bài dự thi; câu chuyện do đơn vị cung cấp sau khi cuộc thi công bố kết quả.",
    ),
]

FEEDBACK = [
    dict(
        key="demo-feedback-1",
        code="PADEMO2019A1",
        kind=FeedbackKind.PROPOSAL,
        topic=FeedbackTopic.ONE_STOP,
        unit_code="HN-LDLD-GIALAM",
        title="Đề nghị hướng dẫn nộp hồ sơ hộ tịch trực tuyến cho đoàn viên",
        text="Nhiều đoàn viên ở công đoàn cơ sở chúng tôi chưa biết cách nộp hồ sơ đăng ký khai sinh trên Cổng "
        "dịch vụ công trực tuyến. Đề nghị công đoàn cấp trên tổ chức hướng dẫn.",
        name="Nguyễn Văn An (demo)",
        email="nguoidan.demo@example.vn",
        consent=True,
        answer="LĐLĐ huyện Gia Lâm đã phối hợp với bộ phận một cửa của huyện xây dựng tài liệu hướng dẫn từng bước "
        "và sẽ tổ chức buổi hướng dẫn trực tiếp tại các công đoàn cơ sở trong quý tới. Tài liệu được gửi "
        "tới chủ tịch công đoàn cơ sở qua e-mail.",
        answered_by="canbo.gialam@demo.cchc.vn",
    ),
    dict(
        key="demo-feedback-2",
        code="PADEMO2019B2",
        kind=FeedbackKind.REPORT,
        topic=FeedbackTopic.BUSINESS,
        unit_code="HN-LDLD-DONGANH",
        title="Thời gian chờ ở bộ phận một cửa còn dài",
        text="Tôi đến bộ phận một cửa làm thủ tục đăng ký hộ kinh doanh, phải chờ hơn hai giờ vì chỉ có một quầy "
        "tiếp nhận. Đề nghị bố trí thêm quầy vào buổi sáng.",
        name="Trần Thị Bình (demo)",
        phone="0912 000 000",
        consent=False,
        answer="",
        answered_by=None,
    ),
]

# Figures from the press article of 13/03/2018 (year 2017). 2016 ranks follow from
# the rises it reports (PAR INDEX +6 to 3rd, PCI +10 to 14th).
INDICATORS = [
    dict(
        year=2016,
        par_index_rank=9,
        pci_rank=24,
        source="Suy ra từ bài báo 13/03/2018 (PAR INDEX 2017 tăng 6 bậc, PCI 2017 tăng 10 bậc)",
        note="Chỉ có thứ hạng suy ra; các chỉ số khác chưa nhập.",
    ),
    dict(
        year=2017,
        par_index_rank=3,
        pci_rank=14,
        ict_rank=2,
        one_stop_percent=Decimal("96"),
        on_time_percent=Decimal("99.98"),
        source="Bài viết về Công đoàn Viên chức Thành phố, 13/03/2018",
        note="SIPAS, PAPI: chưa có trong tài liệu nguồn.",
    ),
]


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _acting(user: User, perm: str, obj) -> User:
    """The person the seeds name, or the portal admin once her unit is dissolved (she holds no active role)."""
    return user if user.has_perm(perm, obj) else _user("admin@demo.cchc.vn")


def load_demo(*, stdout=None) -> None:
    load_history(stdout=stdout)
    load_present(stdout=stdout)


def load_present(*, stdout=None) -> None:
    """Today: the civil-servants union's communication officer writes for a grassroots union that passed to
    the city federation on 1 July 2025; a grassroots union's news waits for approval."""
    for email, unit_code, role, position in TODAY_POSTS:
        user = User.objects.filter(email=email).first()
        unit = Unit.objects.filter(code=unit_code, dissolved_on__isnull=True).first()
        if user and unit and not user.memberships.filter(unit=unit, role=role).exists():
            membership_grant(user=user, unit=unit, role=role)
            user.position = position
            user.save(update_fields=["position"])
    _load_present_news()
    unit_code, author, title, summary, body = PENDING_NEWS
    if not NewsItem.objects.filter(title=title).exists():
        news = NewsItem.objects.create(
            unit=Unit.objects.get(code=unit_code),
            author=_user(author),
            title=title,
            summary=summary,
            body=body,
            tags=f"|{ReformArea.E_GOVERNMENT}|",
            status=NewsStatus.DRAFT,
        )
        news_submit(news=news, by=_acting(news.author, "public.submit_news", news))


def _load_present_news() -> None:
    today = timezone.localdate()
    author, approver = _user(PRESENT_NEWS_AUTHOR), _user(PRESENT_NEWS_APPROVER)
    unit = Unit.objects.get(code=PRESENT_NEWS_UNIT)
    for stem, days_ago, tags, title, summary, body in PRESENT_NEWS:
        day = today - dt.timedelta(days=days_ago)
        slug = f"{stem}-{today.year}"  # one item per year the demo is loaded in: a rerun adds nothing
        if NewsItem.objects.filter(slug=slug).exists():
            continue
        news = NewsItem.objects.create(
            slug=slug,
            unit=unit,
            author=author,
            title=title.format(year=today.year),
            summary=summary,
            body=body.format(year=today.year),
            tags="|" + "|".join(tags) + "|",
            status=NewsStatus.DRAFT,
        )
        news = news_submit(news=news, by=_acting(author, "public.submit_news", news), now=_at(day, 8))
        news_approve(news=news, by=_acting(approver, "public.approve_news", news), now=_at(day))


def load_history(*, stdout=None) -> None:
    for email, full_name, unit_code, role, position in EXTRA_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = demo_user_create(email=email, full_name=full_name, position=position)
        unit = Unit.objects.get(code=unit_code)
        if not unit.is_dissolved:  # after 1 July 2025 the membership stays as history
            membership_grant(user=user, unit=unit, role=role)

    for slug, unit_code, author, approver, day, source, tags, title, summary, body in NEWS:
        if NewsItem.objects.filter(slug=slug).exists():
            continue
        news = NewsItem.objects.create(
            slug=slug,
            unit=Unit.objects.get(code=unit_code),
            author=_user(author),
            title=title,
            summary=summary,
            body=body,
            source=source,
            tags="|" + "|".join(tags) + "|",
            status=NewsStatus.DRAFT,
        )
        # Through the workflow, dated as the seeds say: submitted in the morning, published at nine.
        news = news_submit(news=news, by=_acting(news.author, "public.submit_news", news), now=_at(day, 8))
        news_approve(news=news, by=_acting(_user(approver), "public.approve_news", news), now=_at(day))

    admin = User.objects.filter(email="admin@demo.cchc.vn").first()
    for data in HONOURED:
        data = dict(data)
        unit = Unit.objects.filter(code=data.pop("unit_code")).first()
        if not HonouredModel.objects.filter(title=data["title"]).exists():
            HonouredModel.objects.create(unit=unit, chosen_by=admin, **data)

    for data in FEEDBACK:
        if Feedback.objects.filter(submission_key=data["key"]).exists():
            continue
        feedback, _created = feedback_submit(
            submission_key=data["key"],
            tracking_code=data["code"],
            kind=data["kind"],
            topic=data["topic"],
            unit=Unit.objects.get(code=data["unit_code"]),
            title=data["title"],
            text=data["text"],
            name=data["name"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            consent_publish=data["consent"],
            at=_at(dt.date(2019, 10, 7)),
        )
        if data["answer"]:
            feedback_answer(
                feedback=feedback,
                by=_acting(_user(data["answered_by"]), "public.answer_feedback", feedback),
                answer=data["answer"],
                publish=data["consent"],
                now=_at(dt.date(2019, 10, 15)),
            )

    for data in INDICATORS:
        data = dict(data)
        CityIndicator.objects.get_or_create(year=data.pop("year"), defaults=data)  # a rerun writes no history

    if stdout:
        stdout.write(
            f"  public: {NewsItem.objects.count()} news, {HonouredModel.objects.count()} honoured models, "
            f"{Feedback.objects.count()} feedback, {CityIndicator.objects.count()} indicator years"
        )
