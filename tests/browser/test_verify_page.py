"""Anyone, on a 360 px phone, checks a signed PDF on "Kiểm tra văn bản" without sideways scrolling."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from signatures import pki
from signatures.services_trust import trusted_certificates_add
from tests.signatures import pdfs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_anonymous_phone_checks_a_signed_pdf_and_a_modified_one(live_server, phone_page, tree, tmp_path):
    root = pki.make_root_ca(common_name="CA gốc thử nghiệm Hà Nội")
    person = pki.make_person_certificate(
        issuer=root, full_name="Nguyễn Thị Hà", organisation="Liên đoàn Lao động huyện Gia Lâm"
    )
    trusted_certificates_add(data=root.certificate_pem.encode(), by=tree.admin)
    # pyHanko's sync API runs its own event loop: not on this thread, where Playwright's loop runs.
    with ThreadPoolExecutor(max_workers=1) as pool:
        signed = pool.submit(pdfs.sign, pdfs.plain_pdf(), signer=person, chain=[root]).result()
    pdfs.record_issued(
        signed, unit=tree.gialam, number_symbol="12/KH-LĐLĐ", issued_on=pdfs.days_ago(3).date(), code="K7Q2M9XA"
    )
    page = phone_page
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Kiểm tra văn bản").click()
    page.wait_for_url(f"{live_server.url}/kiem-tra/")
    assert _no_sideways_scroll(page)

    ours = tmp_path / "van-ban.pdf"
    ours.write_bytes(signed)
    page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(ours))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    verdict = page.locator("[data-verdict]")
    assert verdict.get_attribute("data-verdict") == "issued_here"
    assert "Nguyễn Thị Hà" in page.content()
    assert _no_sideways_scroll(page)

    changed = tmp_path / "van-ban-sua.pdf"
    changed.write_bytes(pdfs.flip_byte_in_text(signed))
    page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(changed))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    page.wait_for_selector("[data-verdict='modified']")
    assert "tệp đã bị thay đổi sau khi ký" in page.locator("[data-verdict]").inner_text()
    assert _no_sideways_scroll(page)

    page.goto(f"{live_server.url}/kiem-tra/K7Q2M9XA/")
    assert "Văn bản mã K7Q2M9XA do Cổng này phát hành" in page.content()
    assert _no_sideways_scroll(page)
