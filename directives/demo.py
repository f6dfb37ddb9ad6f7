"""The seed cascade of 2019–2021 as demo data: 33/KH-UBND → 153/LĐLĐ, 34/KH-UBND, and
12/HD-LĐLĐ → Gia Lâm's 83/HD-LĐLĐ. Facts from the seed documents, bodies condensed.
It is built on the tree of the time (load_history, before the reorganisation of 1 July 2025).

Today's work (load_present, on today's tree): the city federation's plan for the current year,
issued to today's commune/ward unions and grassroots unions, with the Gia Lâm commune union's
guidance implementing it, some deliveries opened, acknowledged or implemented and some late; and a
notice issued yesterday. Their texts are illustrative, written for the demo.

Idempotent: a seed document is found by its issuing unit and number symbol, today's by subject."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from campaign_portal.calendar import HANOI
from organizations.enums import UnitKind
from organizations.models import Unit, User

from .deliveries import delivery_acknowledge, delivery_mark_done, delivery_mark_not_applicable, delivery_open
from .enums import AddresseeMode, DocumentType
from .models import Delivery, Document, Register
from .services import DraftData, document_create, document_issue

CCHC_2019 = (
    "Thông tin, tuyên truyền về công tác kiểm soát thủ tục hành chính, cải cách thủ tục hành chính và việc thực "
    "hiện cơ chế một cửa, một cửa liên thông năm 2019 trên địa bàn thành phố Hà Nội"
)

PLAN_33_BODY = """I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Tuyên truyền về vai trò và tầm quan trọng của nhiệm vụ kiểm soát thủ tục hành chính (TTHC), cải cách TTHC và việc thực hiện cơ chế một cửa, một cửa liên thông của các cơ quan hành chính trên địa bàn Thành phố, với những đóng góp cho sự phát triển của Thủ đô.
- Phổ biến các văn bản chỉ đạo của Trung ương và của Thành phố về công tác kiểm soát TTHC và việc thực hiện cơ chế một cửa, một cửa liên thông.
2. Yêu cầu
- Thông tin, tuyên truyền kịp thời, chính xác, thường xuyên, rộng khắp, phù hợp với tình hình, đặc điểm của từng địa phương, đơn vị.
- Kết hợp lồng ghép với tuyên truyền về cải cách hành chính và phổ biến chủ trương, chính sách của Đảng, pháp luật của Nhà nước.
II. NỘI DUNG THÔNG TIN, TUYÊN TRUYỀN
1. Về kiểm soát TTHC, cải cách TTHC và cơ chế một cửa, một cửa liên thông
- Quyết tâm chính trị, sự chỉ đạo của Đảng, Nhà nước, Chính phủ và Thành phố; kết quả triển khai nhiệm vụ của các đơn vị trong năm kế hoạch.
- Nhiệm vụ, trách nhiệm của các đơn vị, doanh nghiệp, tổ chức liên quan và toàn xã hội trong triển khai thực hiện.
- Điển hình tiên tiến, sáng kiến, mô hình đang thí điểm ở các sở, ban, ngành, quận, huyện, thị xã và xã, phường, thị trấn.
2. Về ứng dụng công nghệ thông tin và các mô hình một cửa, một cửa liên thông
a) Vai trò, ý nghĩa của ứng dụng hiệu quả công nghệ thông tin trong cơ quan nhà nước, doanh nghiệp và xã hội;
b) Chính phủ điện tử, chính quyền điện tử, mô hình Thành phố thông minh;
c) Dịch vụ công trực tuyến trên Cổng dịch vụ công của Thành phố; Hệ thống thông tin Một cửa điện tử dùng chung ba cấp;
d) Các đề án, dự án liên thông nhằm giảm thời gian, công sức, gánh nặng TTHC cho tổ chức, cá nhân.
3. Các nội dung khác
- Sự kiện nổi bật, hội thảo, hội nghị, cuộc thi, giải thưởng về kiểm soát TTHC và cơ chế một cửa, một cửa liên thông.
III. PHƯƠNG THỨC THÔNG TIN, TUYÊN TRUYỀN
- Qua báo chí và phương tiện thông tin đại chúng: Đài Phát thanh và Truyền hình Hà Nội, Báo Hà Nội mới, Báo Kinh tế và Đô thị, Báo Pháp luật và Xã hội, Cổng thông tin điện tử của Thành phố và của các cơ quan, đơn vị, đài truyền thanh xã, phường, thị trấn.
- Chuyên trang cải cách hành chính trên Cổng thông tin điện tử: đăng tải bài viết, địa chỉ và số điện thoại đường dây nóng, ý kiến phản ánh của tổ chức, cá nhân và kết quả trả lời.
IV. HÌNH THỨC THỰC HIỆN
- Bài viết, phóng sự, tin tức, phim, ảnh; chương trình, chuyên trang, chuyên mục; tọa đàm, đối thoại trên phương tiện thông tin đại chúng.
- Biên soạn, phát hành sổ tay, tài liệu, bản tin chuyên ngành.
- Tổ chức cuộc thi tìm kiếm sáng kiến, giải pháp cải cách TTHC năm 2019 trên địa bàn thành phố Hà Nội.
- Hội nghị, giao ban, tập huấn, hội thảo, tọa đàm, giao lưu trực tuyến.
V. TỔ CHỨC THỰC HIỆN
1. Về kinh phí
Kinh phí cấp Thành phố được cân đối từ nguồn kinh phí thực hiện công tác kiểm soát TTHC, cải cách TTHC và cơ chế một cửa, một cửa liên thông trong dự toán ngân sách hằng năm; Văn phòng UBND Thành phố lập dự toán gửi Sở Tài chính tổng hợp. Kinh phí cấp huyện, cấp xã bố trí trong dự toán ngân sách cấp huyện, cấp xã theo quy định.
2. Trách nhiệm của các cơ quan, đơn vị
a) Các sở, ban, ngành, UBND các quận, huyện, thị xã: thường xuyên tuyên truyền, phổ biến văn bản chỉ đạo; niêm yết công khai TTHC theo quy định; phối hợp với cơ quan báo chí; chỉ đạo đơn vị trực thuộc đẩy mạnh tuyên truyền và tăng cường kiểm tra.
b) Các cơ quan thông tấn báo chí: duy trì chuyên mục hằng tuần; kịp thời biểu dương mô hình, sáng kiến hay; phê phán biểu hiện tiêu cực, phiền hà, sách nhiễu.
c) Văn phòng UBND Thành phố: giúp UBND Thành phố tổ chức triển khai, kiểm tra việc thực hiện Kế hoạch này, định kỳ tổng hợp báo cáo.
Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về Văn phòng UBND Thành phố để tổng hợp, báo cáo Ủy ban nhân dân Thành phố./."""

PLAN_33_APPENDIX = [
    dict(
        task="Chỉ định cơ quan truyền thông của Thành phố",
        deciding_body="UBND Thành phố",
        implementing_body="Văn phòng UBND Thành phố (Phòng KSTTHC)",
        result="Thống nhất cơ quan truyền thông thực hiện công tác thông tin, tuyên truyền",
        media_partner="Báo Hà Nội mới; Báo Pháp luật và Xã hội – Sở Tư pháp; Báo Kinh tế và Đô thị; "
        "Đài Phát thanh và Truyền hình Hà Nội",
        budget_note="Báo Hà Nội mới: 100.000.000đ; Báo Kinh tế và Đô thị: 100.000.000đ; "
        "Báo Pháp luật và Xã hội: 80.000.000đ; Đài Phát thanh và Truyền hình Hà Nội: 100.000.000đ",
        amount=Decimal(380_000_000),
        period="Tháng 01 – tháng 02/2019",
    ),
    dict(
        task="Ký hợp đồng truyền thông",
        deciding_body="UBND Thành phố",
        implementing_body="Văn phòng UBND Thành phố (Phòng KSTTHC)",
        result="Hợp đồng truyền thông",
        media_partner="Nội dung phù hợp nhiệm vụ, kịp thời và chính xác",
        budget_note="",
        amount=Decimal(0),
        period="Tháng 02/2019",
    ),
    dict(
        task="Thực hiện nhiệm vụ theo hợp đồng",
        deciding_body="Nội dung do các đơn vị có thẩm quyền cung cấp",
        implementing_body="Các cơ quan thông tấn báo chí (đã ký hợp đồng)",
        result="Thông tin đăng tải trên các phương tiện thông tin đại chúng",
        media_partner="",
        budget_note="",
        amount=Decimal(0),
        period="Từ khi ký hợp đồng đến hết tháng 12/2019",
    ),
    dict(
        task="Tổ chức các buổi giao lưu trực tuyến về kiểm soát TTHC và cơ chế một cửa, một cửa liên thông",
        deciding_body="Nội dung và chủ đề do đơn vị có thẩm quyền cung cấp",
        implementing_body="Các cơ quan thông tấn báo chí (đã ký hợp đồng)",
        result="Các phương tiện thông tin đại chúng",
        media_partner="",
        budget_note="Báo Hà Nội mới: 30.000.000đ; Báo Kinh tế và Đô thị: 30.000.000đ",
        amount=Decimal(60_000_000),
        period="Theo từng quý từ quý II/2019",
    ),
    dict(
        task="Tổ chức cuộc thi tìm kiếm sáng kiến về cải cách TTHC và thực hiện cơ chế một cửa, một cửa liên thông",
        deciding_body="UBND Thành phố",
        implementing_body="Văn phòng UBND Thành phố; các cơ quan thông tấn báo chí; Hội đồng tuyên truyền và PBGDPL",
        result="Vòng chung khảo bằng hình thức sân khấu hóa",
        media_partner="Báo Hà Nội mới (phối hợp tổ chức theo hợp đồng hợp tác)",
        budget_note="",
        amount=Decimal(200_000_000),
        period="Từ quý II đến đầu quý IV; chung khảo quý IV/2019",
    ),
]

PLAN_34_BODY = """I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Tuyên truyền sâu rộng, tạo sự đồng thuận để toàn hệ thống chính trị và các tầng lớp nhân dân chung tay tham gia cải cách thủ tục hành chính; nâng cao ý thức chấp hành pháp luật và trách nhiệm của cán bộ, công chức trong giao dịch hành chính với công dân. Tranh thủ sáng kiến, giải pháp, mô hình có giá trị để hoàn thiện, cắt giảm, đơn giản, tiêu chuẩn hóa TTHC.
2. Yêu cầu
Các sáng kiến, giải pháp, mô hình dự thi phải đạt các mục tiêu sau:
+ Rút ngắn thời gian hoàn thành thủ tục hành chính;
+ Giảm chi phí tuân thủ thủ tục hành chính nhưng vẫn bảo đảm hiệu lực, hiệu quả quản lý nhà nước;
+ Có tính khả thi và ứng dụng cao trong đời sống;
+ Cắt giảm chi phí, nâng cao chất lượng tại bộ phận tiếp nhận và trả kết quả;
+ Nâng cao chất lượng phục vụ của cán bộ, công chức, viên chức, người lao động;
+ Nâng cao chất lượng mối quan hệ giữa cơ quan hành chính nhà nước với tổ chức, công dân.
II. ĐỐI TƯỢNG DỰ THI
1. Công dân Việt Nam đang sinh sống và làm việc trên địa bàn thành phố Hà Nội.
2. Các cơ quan, tổ chức, doanh nghiệp trên địa bàn thành phố Hà Nội.
3. Cán bộ, công chức, viên chức, người lao động làm việc tại các cơ quan hành chính nhà nước Thành phố.
III. NỘI DUNG VÀ HÌNH THỨC DỰ THI
1. Nội dung
- Ý tưởng, giải pháp, mô hình cải tiến quy trình thực hiện TTHC, tiết kiệm tối đa thời gian, kinh phí cho cá nhân, tổ chức, doanh nghiệp và cơ quan hành chính trên mọi lĩnh vực.
- Mô hình, giải pháp nâng cao hiệu quả và chất lượng phục vụ trong thực hiện cơ chế một cửa, một cửa liên thông.
2. Hình thức
- Vòng sơ khảo: bài viết tay hoặc đánh máy bằng **tiếng Việt có dấu**.
- Vòng chung khảo: thuyết trình, sân khấu hóa.
IV. THỜI GIAN
- Tháng 3/2019: triển khai Kế hoạch; tháng 4 đến hết tháng 9/2019: nhận bài dự thi.
- Tháng 10 – tháng 11/2019: Tổ thư ký tổng hợp, Ban Giám khảo chấm sơ khảo; cuối tháng 11/2019: chung khảo và trao giải."""

CV_153_BODY = """Thực hiện Kế hoạch số 33/KH-UBND ngày 29/01/2019 của Ủy ban nhân dân Thành phố; nhằm tiếp tục nâng cao nhận thức của cán bộ, công chức, viên chức, người lao động trên địa bàn Thủ đô về ý nghĩa, tầm quan trọng của công tác kiểm soát thủ tục hành chính, cải cách thủ tục hành chính và thực hiện cơ chế một cửa, một cửa liên thông, Liên đoàn Lao động Thành phố đề nghị các đơn vị thực hiện một số nội dung sau:
1. Thông tin, tuyên truyền về vai trò, tầm quan trọng của công tác kiểm soát TTHC, cải cách TTHC và việc thực hiện cơ chế một cửa, một cửa liên thông.
- Triển khai thông tin, tuyên truyền thiết thực, hiệu quả, kịp thời, đầy đủ, thường xuyên, rộng khắp, phù hợp với từng địa phương, đơn vị.
- Lồng ghép với tuyên truyền về cải cách hành chính và chủ trương, chính sách của Đảng, pháp luật của Nhà nước.
- Vinh danh điển hình, sáng kiến, mô hình hay; phê phán biểu hiện tiêu cực.
2. Phổ biến rộng rãi cuộc thi “*Tìm kiếm sáng kiến, giải pháp, mô hình cải cách thủ tục hành chính và thực hiện cơ chế 1 cửa, 1 cửa liên thông*” do UBND Thành phố tổ chức; vận động cán bộ, công chức, viên chức có thực hiện TTHC với người dân và doanh nghiệp tham gia.
+ Đối tượng: công dân Việt Nam sinh sống và làm việc tại Hà Nội; cơ quan, tổ chức, doanh nghiệp trên địa bàn; CB, CC, VC, người lao động tại các cơ quan hành chính nhà nước Thành phố.
+ Hình thức: vòng sơ khảo bằng bài viết tay hoặc đánh máy tiếng Việt có dấu; vòng chung khảo thuyết trình, sân khấu hóa.
+ Thời gian: nhận bài dự thi từ tháng 4 đến tháng 9/2019; chung kết và trao giải dự kiến cuối tháng 11/2019.
Liên đoàn Lao động Thành phố đề nghị các đơn vị triển khai thực hiện, đánh giá việc thực hiện tại địa phương, đơn vị và báo cáo kết quả về Liên đoàn Lao động Thành phố Hà Nội (qua Ban Tuyên giáo)./."""

HD_12_BODY = """I. MỤC ĐÍCH, YÊU CẦU
- Cung cấp thông tin tới cán bộ, đoàn viên, CNVCLĐ về công tác cải cách hành chính (CCHC) của Thành phố giai đoạn 2021 - 2025, trọng tâm là cải cách thủ tục hành chính và phát triển chính quyền điện tử, chính quyền số.
- Thông tin, tuyên truyền CCHC được tổ chức tại 100% công đoàn cơ sở.
II. NỘI DUNG VÀ HÌNH THỨC
- Tuyên truyền sáu nội dung CCHC: cải cách thể chế; cải cách TTHC; cải cách tổ chức bộ máy; cải cách chế độ công vụ; cải cách tài chính công; xây dựng chính quyền điện tử, chính quyền số.
- Hình thức: phương tiện thông tin đại chúng; trực tiếp tại hội nghị, sinh hoạt công đoàn; trực quan; truyền thông tương tác, cuộc thi, tọa đàm, đối thoại.
III. TỔ CHỨC THỰC HIỆN
- LĐLĐ quận, huyện, thị xã, công đoàn ngành, công đoàn cấp trên trực tiếp cơ sở xây dựng hướng dẫn, triển khai tới 100% công đoàn cơ sở và định kỳ báo cáo kết quả về LĐLĐ Thành phố (qua Ban Tuyên giáo)."""

HD_83_BODY = """Ban Thường vụ LĐLĐ Huyện hướng dẫn triển khai thực hiện công tác tuyên truyền, vận động cán bộ, đoàn viên, CNVCLĐ Huyện với những nội dung cụ thể sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Cung cấp thông tin, phổ biến tới cán bộ, đoàn viên, CNVCLĐ về công tác cải cách hành chính (CCHC) của Chính phủ và của thành phố Hà Nội giai đoạn 2021 - 2025, trọng tâm là cải cách thủ tục hành chính và phát triển chính quyền điện tử, chính quyền số.
- Nâng cao chất lượng giải quyết thủ tục hành chính (TTHC), xây dựng hình ảnh cán bộ, công chức, viên chức Thủ đô tận tụy, chuyên nghiệp, vì dân.
- Tạo đồng thuận xã hội, nâng cao sự hài lòng của người dân; vận động CNVCLĐ góp ý kiến, tham gia thực hiện các nhiệm vụ CCHC của Thành phố.
2. Yêu cầu
- Thông tin, tuyên truyền CCHC được tổ chức thực hiện tại **100% các CĐCS** trong các cơ quan, đơn vị, doanh nghiệp, gắn với nhiệm vụ chính trị của các cấp Công đoàn Huyện.
- Nội dung bám sát chỉ đạo của Chính phủ và các chương trình, kế hoạch CCHC của Thành phố; hình thức đa dạng, phù hợp từng đối tượng; thông tin đầy đủ, chính xác, dễ hiểu.
II. NỘI DUNG THỰC HIỆN
1. Nội dung tuyên truyền
- Quan điểm, chủ trương của Đảng, chính sách pháp luật của Nhà nước; Chương trình tổng thể CCHC nhà nước giai đoạn 2021 - 2030 và Kế hoạch CCHC giai đoạn 2021 - 2025 của Chính phủ.
- Văn bản lãnh đạo, chỉ đạo của Thành ủy, UBND Thành phố về CCHC; nhiệm vụ nâng cao chỉ số PAR INDEX và SIPAS.
2. Hình thức tuyên truyền
- Qua phương tiện thông tin đại chúng, Cổng thông tin điện tử, mạng xã hội.
- Trực tiếp qua hội nghị, cuộc họp, giao ban, sinh hoạt công đoàn.
- Trực quan: tài liệu, tờ rơi, sổ tay, panô, áp phích, khẩu hiệu, bảng tin, màn hình điện tử.
- Tương tác: sự kiện, cuộc thi tìm hiểu, tọa đàm, đối thoại.
3. Các nhiệm vụ trọng tâm theo 6 nội dung CCHC giai đoạn 2021 - 2025
- Cải cách thể chế; cải cách thủ tục hành chính; cải cách tổ chức bộ máy hành chính nhà nước; cải cách chế độ công vụ; cải cách tài chính công; xây dựng và phát triển chính phủ điện tử, chính phủ số.
- Thông tin kết quả các chỉ số PAR INDEX, SIPAS, PAPI, ICT; điển hình, sáng kiến, cách làm hay; tiếp nhận và phản hồi ý kiến của đoàn viên, CNVCLĐ.
III. TỔ CHỨC THỰC HIỆN
1. Liên đoàn Lao động huyện
- Xây dựng Hướng dẫn và triển khai tới 100% Công đoàn cơ sở.
- Phối hợp với UBND huyện hướng dẫn đoàn viên, CNVCLĐ các thủ tục hành chính; vận động sử dụng dịch vụ công trực tuyến mức độ 3, mức độ 4.
- Định kỳ báo cáo kết quả về Liên đoàn Lao động thành phố Hà Nội.
2. Công đoàn cơ sở
- Căn cứ Hướng dẫn của LĐLĐ Huyện và thực tiễn tại cơ quan, đơn vị, doanh nghiệp, BCH Công đoàn chủ động thông tin, tuyên truyền cho đoàn viên, CNVCLĐ.
- Vận động đoàn viên, CNVCLĐ tích cực sử dụng dịch vụ công trực tuyến mức độ 3, mức độ 4.
- Định kỳ báo cáo kết quả về Liên đoàn Lao động Huyện trên Cổng (thay cho gửi qua e-mail)."""


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=HANOI)


def _issued(unit: Unit, symbol: str) -> Document | None:
    return Document.objects.filter(issuing_unit=unit, number_symbol=symbol).first()


def _issue_as(*, unit: Unit, number: int, by: User, data: DraftData) -> Document:
    """Create and issue with the seed's real number: the register continues from number - 1."""
    register, _created = Register.objects.get_or_create(unit=unit, code="", year=data.issued_on.year)
    if register.last_number < number - 1:
        register.last_number = number - 1
        register.save(update_fields=["last_number"])
    document = document_create(issuing_unit=unit, by=by, data=data)
    return document_issue(document=document, by=by, now=_at(data.issued_on))


def load_demo(*, stdout=None) -> None:
    load_history(stdout=stdout)
    load_present(stdout=stdout)


def load_history(*, stdout=None) -> None:
    units = {u.code: u for u in Unit.objects.filter(code__startswith="HN")}
    city, federation, gialam = units["HN"], units["HN-LDLD"], units["HN-LDLD-GIALAM"]
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.cchc.vn")}
    ubnd, vanthu = users["ubnd@demo.cchc.vn"], users["vanthu.ldld@demo.cchc.vn"]
    chutich_gl = users["chutich.gialam@demo.cchc.vn"]

    plan33 = _issued(city, "33/KH-UBND") or _issue_as(
        unit=city,
        number=33,
        by=ubnd,
        data=DraftData(
            doc_type=DocumentType.KE_HOACH,
            place="Hà Nội",
            issued_on=dt.date(2019, 1, 29),
            subject=CCHC_2019,
            extra_legal_bases="Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế "
            "một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
            body=PLAN_33_BODY,
            signer_authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
            signer_position="PHÓ CHỦ TỊCH",
            signer_name="Lê Hồng Sơn",
            addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
            addressee_kinds=[UnitKind.CITY_FEDERATION, UnitKind.AGENCY],
            kinh_gui="Các sở, ban, ngành Thành phố\nUBND các quận, huyện, thị xã\nLiên đoàn Lao động Thành phố",
            noi_nhan="- Văn phòng Chính phủ;\n- Thường trực Thành ủy, HĐND TP (để b/c);\n"
            "- Chủ tịch, các Phó Chủ tịch UBND TP;\n- Các Sở, ban, ngành; UBND quận, huyện, thị xã;\n"
            "- VPUBND TP: CVP, PCVP; KSTTHC, TH, HCTC;\n- Cổng giao tiếp điện tử TP Hà Nội;\n"
            "- Lưu: VT, KSTTHC.",
            tasks=[
                (
                    "Các đơn vị báo cáo kết quả thông tin, tuyên truyền năm 2019 về Văn phòng UBND Thành phố",
                    dt.date(2019, 11, 30),
                )
            ],
            appendix_title="Nhiệm vụ và kinh phí dự kiến thực hiện công tác thông tin, tuyên truyền về kiểm soát TTHC, "
            "cơ chế một cửa, một cửa liên thông năm 2019 trên địa bàn thành phố Hà Nội",
            appendix_rows=PLAN_33_APPENDIX,
        ),
    )
    _issued(city, "34/KH-UBND") or _issue_as(
        unit=city,
        number=34,
        by=ubnd,
        data=DraftData(
            doc_type=DocumentType.KE_HOACH,
            place="Hà Nội",
            issued_on=dt.date(2019, 1, 29),
            subject="Tổ chức Cuộc thi “Tìm kiếm sáng kiến, giải pháp, mô hình về cải cách thủ tục hành chính và thực "
            "hiện cơ chế một cửa, một cửa liên thông” năm 2019",
            extra_legal_bases="Thực hiện Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ ban hành Chương trình "
            "tổng thể cải cách hành chính nhà nước giai đoạn 2011-2020\n"
            "Kế hoạch số 33/KH-UBND ngày 29/01/2019 của UBND Thành phố về thông tin, tuyên truyền công "
            "tác kiểm soát thủ tục hành chính và thực hiện cơ chế 1 cửa, 1 cửa liên thông",
            body=PLAN_34_BODY,
            signer_authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
            signer_position="PHÓ CHỦ TỊCH",
            signer_name="Lê Hồng Sơn",
            addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
            addressee_kinds=[UnitKind.CITY_FEDERATION, UnitKind.AGENCY],
            kinh_gui="Các sở, ban, ngành Thành phố\nUBND các quận, huyện, thị xã\nLiên đoàn Lao động Thành phố",
            noi_nhan="- Văn phòng Chính phủ;\n- Thường trực Thành ủy, HĐND TP (để b/c);\n"
            "- Các Sở, ban, ngành; UBND quận, huyện, thị xã;\n- Lưu: VT, KSTTHC.",
            tasks=[("Nhận bài dự thi", dt.date(2019, 9, 30)), ("Chung khảo và trao giải", dt.date(2019, 11, 30))],
        ),
    )

    delivery_33 = Delivery.objects.get(document=plan33, unit=federation)
    cv153 = _issued(federation, "153/LĐLĐ") or _issue_as(
        unit=federation,
        number=153,
        by=vanthu,
        data=DraftData(
            doc_type=DocumentType.CONG_VAN,
            place="Hà Nội",
            issued_on=dt.date(2019, 3, 27),
            subject="thông tin, tuyên truyền về công tác kiểm soát thủ tục hành chính, cải cách thủ tục hành chính và "
            "việc thực hiện cơ chế một cửa, một cửa liên thông năm 2019 trên địa bàn thành phố Hà Nội",
            body=CV_153_BODY,
            implements=[plan33],
            signer_authority="TM. BAN THƯỜNG VỤ\nKT. CHỦ TỊCH",  # a deputy signs for the chair (Decree 30)
            signer_position="PHÓ CHỦ TỊCH",
            signer_name="(Đã ký)",
            addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
            addressee_kinds=[
                UnitKind.DISTRICT_FEDERATION,
                UnitKind.INDUSTRY_UNION,
                UnitKind.DIRECT_SUPERIOR_UNION,
                UnitKind.GRASSROOTS_UNION,
            ],
            kinh_gui="Liên đoàn Lao động các quận, huyện, thị xã;\nCông đoàn ngành, công đoàn cấp trên trực tiếp cơ sở;\n"
            "Các công đoàn cơ sở trực thuộc LĐLĐ Thành phố.",
            noi_nhan="- Ban TG Tổng LĐLĐ VN;\n- Ban TG, DV Thành ủy Hà Nội;\n- UBND thành phố Hà Nội;\n"
            "- Các LĐLĐ quận, huyện, thị xã, CĐ ngành, CĐCTCS; CĐCS trực thuộc;\n- Lưu: VT, TG.",
            tasks=[
                (
                    "Đánh giá việc thực hiện và báo cáo kết quả về LĐLĐ Thành phố (qua Ban Tuyên giáo)",
                    dt.date(2019, 9, 30),
                )
            ],
        ),
    )
    delivery_33.refresh_from_db()

    hd12 = _issued(federation, "12/HD-LĐLĐ") or _issue_as(
        unit=federation,
        number=12,
        by=vanthu,
        data=DraftData(
            doc_type=DocumentType.HUONG_DAN,
            place="Hà Nội",
            issued_on=dt.date(2021, 6, 18),
            subject="Thông tin, tuyên truyền Cải cách hành chính nhà nước của thành phố Hà Nội giai đoạn 2021 - 2025",
            body=HD_12_BODY,
            signer_authority="TM. BAN THƯỜNG VỤ\nKT. CHỦ TỊCH",  # a deputy signs for the chair (Decree 30)
            signer_position="PHÓ CHỦ TỊCH",
            signer_name="(Đã ký)",
            addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
            addressee_kinds=[UnitKind.DISTRICT_FEDERATION, UnitKind.INDUSTRY_UNION, UnitKind.DIRECT_SUPERIOR_UNION],
            tasks=[
                ("Báo cáo kết quả triển khai năm 2021 về LĐLĐ Thành phố (qua Ban Tuyên giáo)", dt.date(2021, 12, 15))
            ],
        ),
    )
    hd83 = _issued(gialam, "83/HD-LĐLĐ") or _issue_as(
        unit=gialam,
        number=83,
        by=chutich_gl,
        data=DraftData(
            doc_type=DocumentType.HUONG_DAN,
            place="Gia Lâm",
            issued_on=dt.date(2021, 6, 11),
            subject="Thông tin, tuyên truyền về Cải cách hành chính nhà nước của thành phố Hà Nội giai đoạn 2021 - 2025",
            body=HD_83_BODY,
            implements=[hd12],
            signer_authority="TM. BAN THƯỜNG VỤ",
            signer_position="CHỦ TỊCH",
            signer_name="Nguyễn Đức Thế",
            addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
            addressee_kinds=[UnitKind.GRASSROOTS_UNION],
            kinh_gui="Các công đoàn cơ sở trực thuộc LĐLĐ huyện Gia Lâm",
            noi_nhan="- Thường trực LĐLĐ TP (để b/c);\n- Ban TG LĐLĐ TP (để b/c);\n- Ban TG Huyện uỷ (để b/c);\n"
            "- CĐCS (để thực hiện);\n- Lưu VP.",
            tasks=[
                (
                    "Công đoàn cơ sở báo cáo kết quả thông tin, tuyên truyền CCHC năm 2021 về LĐLĐ Huyện",
                    dt.date(2021, 11, 30),
                )
            ],
        ),
    )

    _progress(cv153, hd83, units, users)
    if stdout:
        stdout.write(f"  documents: {Document.objects.count()}, deliveries: {Delivery.objects.count()}")


def load_present(*, stdout=None) -> None:
    federation = Unit.objects.get(code="HN-LDLD")
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.cchc.vn")}
    _year_plan(federation=federation, users=users)
    _current_notice(federation=federation, by=users["vanthu.ldld@demo.cchc.vn"])
    if stdout:
        stdout.write(
            f"  văn bản hiện tại: kế hoạch năm {timezone.localdate().year} và thông báo; "
            f"documents: {Document.objects.count()}, deliveries: {Delivery.objects.count()}"
        )


CURRENT_NOTICE_SUBJECT = "Báo cáo nhanh kết quả tuyên truyền CCHC, một cửa cuối năm trên Cổng"


def _current_notice(*, federation: Unit, by: User) -> None:
    """A live document (issued yesterday, due in 3 days) so that today's inboxes and reminders have work."""
    if Document.objects.filter(issuing_unit=federation, subject=CURRENT_NOTICE_SUBJECT).exists():
        return
    today = timezone.localdate()
    document = document_create(
        issuing_unit=federation,
        by=by,
        data=DraftData(
            doc_type=DocumentType.THONG_BAO,
            place="Hà Nội",
            issued_on=today - dt.timedelta(days=1),
            subject=CURRENT_NOTICE_SUBJECT,
            body="Để tổng hợp báo cáo UBND Thành phố, Ban Thường vụ LĐLĐ Thành phố đề nghị các công đoàn xã, "
            "phường và công đoàn cấp trên trực tiếp cơ sở:\n"
            "- Xác nhận đã nhận thông báo trên Cổng;\n"
            "- Nộp báo cáo nhanh kết quả tuyên truyền trên Cổng đúng hạn.",
            signer_authority="TL. BAN THƯỜNG VỤ",
            signer_position="TRƯỞNG BAN TUYÊN GIÁO",
            signer_name="Nguyễn Thị Thu Hà",
            addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
            addressee_kinds=[UnitKind.COMMUNE_UNION, UnitKind.DIRECT_SUPERIOR_UNION],
            tasks=[("Nộp báo cáo nhanh kết quả tuyên truyền trên Cổng", today + dt.timedelta(days=3))],
        ),
    )
    document_issue(document=document, by=by, now=timezone.now() - dt.timedelta(days=1))


YEAR_PLAN_SUBJECT = (
    "Thông tin, tuyên truyền cải cách hành chính, chuyển đổi số trong công đoàn xã, phường và công "
    "đoàn cơ sở năm {year}"
)
YEAR_PLAN_BODY = """I. MỤC ĐÍCH, YÊU CẦU
- Tiếp tục thông tin, tuyên truyền về cải cách hành chính, cải cách thủ tục hành chính và chuyển đổi số tới đoàn viên, CNVCLĐ sau khi sắp xếp tổ chức công đoàn từ ngày 01/7/2025.
- Thông tin, tuyên truyền được tổ chức tại 100% công đoàn xã, phường và công đoàn cơ sở trực thuộc LĐLĐ Thành phố.
II. NỘI DUNG
- Tuyên truyền về chính quyền địa phương hai cấp, địa chỉ và cách thức giải quyết thủ tục hành chính tại xã, phường mới.
- Vận động đoàn viên sử dụng dịch vụ công trực tuyến toàn trình; giới thiệu mô hình, cách làm hay.
III. TỔ CHỨC THỰC HIỆN
- Công đoàn xã, phường xây dựng hướng dẫn, triển khai tới các công đoàn cơ sở trực thuộc; công đoàn cơ sở trực thuộc LĐLĐ Thành phố chủ động thực hiện.
- Các đơn vị báo cáo kết quả trên Cổng (qua Ban Tuyên giáo LĐLĐ Thành phố)."""
GUIDANCE_BODY = """Thực hiện Kế hoạch của LĐLĐ Thành phố, Công đoàn xã hướng dẫn các công đoàn cơ sở trực thuộc:
1. Phổ biến Kế hoạch tới 100% đoàn viên, lồng ghép trong sinh hoạt công đoàn.
2. Hướng dẫn đoàn viên nộp hồ sơ trực tuyến tại Trung tâm phục vụ hành chính công xã.
3. Báo cáo kết quả về Công đoàn xã trên Cổng."""
# unit code → (step, text, days after issue): how far each recipient got with the year plan.
YEAR_PLAN_STEPS = {
    "HN-LDLD-CDX-DONGANH": ("done", "Đã triển khai tới 100% CĐCS trực thuộc; 2 hội nghị chuyên đề.", 12),
    "HN-LDLD-CDP-KIMLIEN": ("done", "Phổ biến qua hội nghị cán bộ chủ chốt 97 CĐCS.", 55),
    "HN-LDLD-CDP-CAUGIAY": ("ack", "", 3),
    "HN-LDLD-CDP-HOANKIEM": ("read", "", 5),
    "HN-LDLD-0001": ("done", "Tọa đàm về dịch vụ công trực tuyến cho 250 đoàn viên lái xe, nhân viên bán vé.", 20),
    "HN-LDLD-CDVC-0001": ("ack", "", 4),
    "HN-LDLD-DONGANH-0001": ("ack", "", 6),
    "HN-LDLD-GIALAM-0001": ("done", "Sinh hoạt chuyên đề cho 48 đoàn viên; hướng dẫn nộp hồ sơ trực tuyến.", 18),
    "HN-LDLD-GIALAM-0002": ("ack", "", 8),
    "HN-LDLD-GIALAM-0003": ("read", "", 9),
}
GUIDANCE_STEPS = {
    "HN-LDLD-GIALAM-0001": ("done", "Đã phổ biến Hướng dẫn tới 48 đoàn viên.", 10),
    "HN-LDLD-GIALAM-0002": ("ack", "", 5),
    "HN-LDLD-GIALAM-0003": ("read", "", 6),
}


def _actor(unit: Unit, fallback: User) -> User:
    membership = unit.memberships.filter(is_active=True).select_related("user").order_by("role", "pk").first()
    return membership.user if membership else fallback


def _year_plan(*, federation: Unit, users: dict) -> None:
    """The city federation's plan for this year, issued to today's tree 60 days ago (both deadlines passed,
    so that pending recipients are late), and the Gia Lâm commune union's guidance implementing it."""
    today = timezone.localdate()
    subject = YEAR_PLAN_SUBJECT.format(year=today.year)
    plan = Document.objects.filter(issuing_unit=federation, subject=subject).exclude(number=None).first()
    if plan is not None:
        return
    issued_on = today - dt.timedelta(days=60)
    plan = document_create(
        issuing_unit=federation,
        by=users["vanthu.ldld@demo.cchc.vn"],
        data=DraftData(
            doc_type=DocumentType.KE_HOACH,
            place="Hà Nội",
            issued_on=issued_on,
            subject=subject,
            body=YEAR_PLAN_BODY,
            signer_authority="TM. BAN THƯỜNG VỤ\nKT. CHỦ TỊCH",  # a deputy signs for the chair (Decree 30)
            signer_position="PHÓ CHỦ TỊCH",
            signer_name="(Đã ký)",
            addressee_mode=AddresseeMode.SUBTREE,
            kinh_gui="Các công đoàn xã, phường; công đoàn cấp trên trực tiếp cơ sở;\nCác công đoàn cơ sở.",
            noi_nhan="- Ban TG Tổng LĐLĐ VN (để b/c);\n- UBND thành phố Hà Nội (để b/c);\n"
            "- Các công đoàn xã, phường; CĐCS (để thực hiện);\n- Lưu: VT, TG.",
            tasks=[
                ("Triển khai Kế hoạch tới các công đoàn cơ sở", issued_on + dt.timedelta(days=20)),
                ("Báo cáo kết quả triển khai trên Cổng", issued_on + dt.timedelta(days=45)),
            ],
        ),
    )
    plan = document_issue(document=plan, by=users["vanthu.ldld@demo.cchc.vn"], now=_at(issued_on))
    gialam = Unit.objects.get(code="HN-LDLD-CDX-GIALAM")
    head = users["chutich.gialam@demo.cchc.vn"]
    guidance_on = issued_on + dt.timedelta(days=7)
    guidance = document_create(
        issuing_unit=gialam,
        by=head,
        data=DraftData(
            doc_type=DocumentType.HUONG_DAN,
            place="Gia Lâm",
            issued_on=guidance_on,
            subject=f"Triển khai thông tin, tuyên truyền cải cách hành chính, chuyển đổi số năm {today.year}",
            body=GUIDANCE_BODY,
            implements=[plan],
            signer_authority="TM. BAN CHẤP HÀNH",
            signer_position="CHỦ TỊCH",
            signer_name=head.full_name,
            addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
            addressee_kinds=[UnitKind.GRASSROOTS_UNION],
            kinh_gui="Các công đoàn cơ sở trực thuộc Công đoàn xã Gia Lâm",
            tasks=[("Báo cáo kết quả về Công đoàn xã trên Cổng", issued_on + dt.timedelta(days=40))],
        ),
    )
    guidance = document_issue(document=guidance, by=head, now=_at(guidance_on))
    for document, steps in ((plan, YEAR_PLAN_STEPS), (guidance, GUIDANCE_STEPS)):
        deliveries = Delivery.objects.filter(document=document, unit__code__in=list(steps)).select_related("unit")
        for delivery in deliveries:
            step, text, days = steps[delivery.unit.code]
            _step(
                delivery,
                step,
                text,
                by=_actor(delivery.unit, users["admin@demo.cchc.vn"]),
                now=_at(document.issued_on + dt.timedelta(days=days), 10),
            )


def _step(delivery: Delivery, step: str, text: str, *, by: User, now: dt.datetime) -> None:
    if step == "read":
        delivery_open(delivery=delivery, by=by, now=now)
    elif step == "ack":
        delivery_acknowledge(delivery=delivery, by=by, now=now)
    elif step == "done":
        delivery_acknowledge(delivery=delivery, by=by, now=now)
        delivery_mark_done(delivery=delivery, by=by, result_note=text, now=now + dt.timedelta(days=2))
    else:
        delivery_mark_not_applicable(delivery=delivery, by=by, reason=text, now=now)


def _progress(cv153: Document, hd83: Document, units, users) -> None:
    """Some recipients acknowledge and report, others stay late (idempotent: only pending rows move)."""
    by = users.get("cdcs.trauquy@demo.cchc.vn")
    anyone = users["admin@demo.cchc.vn"]
    steps_153 = {
        "HN-LDLD-CAUGIAY": ("done", "Đã phổ biến cuộc thi tới 100% CĐCS; 12 bài dự thi gửi Ban Tổ chức."),
        "HN-LDLD-GIALAM": ("ack", ""),
        "HN-LDLD-DONGANH": ("ack", ""),
        "HN-LDLD-HOANKIEM": ("read", ""),
        "HN-LDLD-CDVC": ("done", "Tuyên truyền tại 45 CĐCS khối viên chức; 3 sáng kiến dự thi."),
        "HN-LDLD-0001": ("done", "Tọa đàm với 300 đoàn viên lái xe, nhân viên bán vé."),
        "HN-LDLD-CDN-YTE": ("na", "Đơn vị đã sáp nhập nhiệm vụ vào kế hoạch của ngành, báo cáo qua Sở Y tế."),
    }
    steps_83 = {
        "HN-LDLD-GIALAM-0001": ("done", "Sinh hoạt chuyên đề CCHC cho 48 đoàn viên; hướng dẫn nộp hồ sơ trực tuyến."),
        "HN-LDLD-GIALAM-0002": ("ack", ""),
        "HN-LDLD-GIALAM-0003": ("read", ""),
    }
    for document, steps, day in ((cv153, steps_153, dt.date(2019, 4, 10)), (hd83, steps_83, dt.date(2021, 6, 25))):
        deliveries = {d.unit.code: d for d in Delivery.objects.filter(document=document).select_related("unit")}
        for code, (step, text) in steps.items():
            delivery = deliveries.get(code)
            # Only rows still to move: a second run (on the reorganised tree) changes nothing.
            if (
                delivery is None
                or delivery.is_implemented
                or (step == "ack" and delivery.acknowledged_at)
                or (step == "read" and delivery.read_at)
            ):
                continue
            actor = by if code == "HN-LDLD-GIALAM-0001" and by else anyone
            now = _at(day, 10)
            if step == "done":
                delivery_acknowledge(delivery=delivery, by=actor, now=now)
                delivery_mark_done(delivery=delivery, by=actor, result_note=text, now=_at(day + dt.timedelta(days=30)))
            else:
                _step(delivery, step, text, by=actor, now=now)
