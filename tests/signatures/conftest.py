from types import SimpleNamespace

import pytest

from signatures import pki
from signatures.services_trust import trusted_certificates_add

from . import pdfs


@pytest.fixture(scope="session")
def test_pki():
    """A private PKI: root → intermediate → an organisation and a person; a second, untrusted root; an
    expired person certificate under the trusted intermediate."""
    root = pki.make_root_ca(common_name="CA gốc thử nghiệm Hà Nội", organisation="Ban Cơ yếu thử nghiệm")
    intermediate = pki.make_intermediate_ca(issuer=root, common_name="CA trung gian thử nghiệm")
    organisation = pki.make_organisation_certificate(
        issuer=intermediate, organisation="Liên đoàn Lao động huyện Gia Lâm", email="ldld.gialam@example.vn"
    )
    person = pki.make_person_certificate(
        issuer=intermediate,
        full_name="Nguyễn Thị Hà",
        organisation="Liên đoàn Lao động huyện Gia Lâm",
        title="Chủ tịch",
        email="ha.nguyen@example.vn",
    )
    expired = pki.make_person_certificate(
        issuer=intermediate,
        full_name="Trần Văn Cũ",
        organisation="Liên đoàn Lao động huyện Gia Lâm",
        not_before=pdfs.days_ago(800),
        not_after=pdfs.days_ago(30),
    )
    stranger_root = pki.make_root_ca(common_name="CA lạ", organisation="Tổ chức không tin cậy")
    stranger = pki.make_person_certificate(issuer=stranger_root, full_name="Lê Văn Lạ", organisation="Công ty Lạ")
    return SimpleNamespace(
        root=root,
        intermediate=intermediate,
        organisation=organisation,
        person=person,
        expired=expired,
        stranger_root=stranger_root,
        stranger=stranger,
    )


@pytest.fixture
def trusted_root(tree, test_pki):
    """The test root trusted through the admin's service; the intermediate only travels inside the PDFs."""
    return trusted_certificates_add(data=test_pki.root.certificate_pem.encode(), by=tree.admin)[0]


@pytest.fixture(scope="session")
def signed_once(test_pki):
    return pdfs.sign(pdfs.plain_pdf(), signer=test_pki.person, chain=[test_pki.intermediate, test_pki.root])


@pytest.fixture(scope="session")
def signed_twice(test_pki, signed_once):
    return pdfs.sign(
        signed_once, signer=test_pki.organisation, chain=[test_pki.intermediate, test_pki.root], field_name="ChuKy2"
    )
