"""A one-step directive names its signer (a head of the issuing unit) on the issue preview: the stamp then shows her
signature picture beside the seal, and her name is printed under it; without a picture, the seal alone."""

import io

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from directives.enums import DocumentStatus
from directives.models import Document
from directives.signing import document_signed_file
from signatures.credentials import signature_image_set
from signatures.stamps import ORGANISATION_FIELD

pytestmark = pytest.mark.django_db


def _images(xobject, seen=None):
    """Every image drawn in an appearance stream, through nested form XObjects."""
    seen = seen if seen is not None else set()
    resources = xobject.get("/Resources", {})
    for obj in resources.get("/XObject", {}).values():
        ref = getattr(obj, "idnum", None)
        obj = obj.get_object()
        if ref in seen:
            continue
        seen.add(ref)
        if obj.get("/Subtype") == "/Image":
            yield obj.decode_as_image()
        elif obj.get("/Subtype") == "/Form":
            yield from _images(obj, seen)


def _stamp_images(data: bytes):
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/T") == ORGANISATION_FIELD:
                return list(_images(annotation["/AP"]["/N"].get_object()))
    raise AssertionError("no organisation stamp")


def _blue_ink_pixels(images) -> int:
    """The signature picture is drawn in blue ink (signatures.images.INK_BLUE); the seal is red. Counted as the
    page shows them (over white paper): an all but transparent pixel left by resampling has no visible colour."""
    count = 0
    for image in images:
        image = image.convert("RGBA")
        on_paper = Image.alpha_composite(Image.new("RGBA", image.size, (255, 255, 255, 255)), image)
        for r, g, b in on_paper.convert("RGB").get_flattened_data():
            if b > 100 and r < 80 and g < 90:
                count += 1
    return count


@pytest.fixture
def draft(tree, make_document, give_credential):
    give_credential(tree.gialam, tree.admin, suffices=True)  # the organisation-only path: one step
    return make_document(unit=tree.gialam, by=tree.gialam_head)


def _issue(client, document, signer_pk):
    return client.post(
        reverse("directives:document_issue", args=[document.pk]), {"signer_user": signer_pk or ""}, follow=True
    )


def test_chosen_signer_with_a_picture_is_in_the_stamp(tree, draft, login, signature_png):
    signature_image_set(user=tree.gialam_head, upload=ContentFile(signature_png, name="chu-ky.png"))
    client = login(tree.gialam_head)
    preview = client.get(reverse("directives:document_issue_preview", args=[draft.pk])).content.decode()
    assert f'<option value="{tree.gialam_head.pk}"' in preview
    assert f'<option value="{tree.gialam_officer.pk}"' not in preview  # an officer, not a head
    _issue(client, draft, tree.gialam_head.pk)
    draft.refresh_from_db()
    assert (draft.status, draft.signer_user, draft.signer_name) == (
        DocumentStatus.ISSUED,
        tree.gialam_head,
        tree.gialam_head.full_name,
    )
    assert _blue_ink_pixels(_stamp_images(document_signed_file(draft).file.read())) > 500


def test_without_a_chosen_signer_the_stamp_is_the_seal_alone(tree, draft, login, signature_png):
    signature_image_set(user=tree.gialam_head, upload=ContentFile(signature_png, name="chu-ky.png"))
    _issue(login(tree.gialam_head), draft, None)
    draft.refresh_from_db()
    assert (draft.status, draft.signer_user) == (DocumentStatus.ISSUED, None)
    images = _stamp_images(document_signed_file(draft).file.read())
    assert images  # the seal
    assert _blue_ink_pixels(images) == 0


def test_a_signer_who_is_not_a_head_of_the_unit_is_refused(tree, draft, login):
    response = _issue(login(tree.gialam_head), draft, tree.gialam_officer.pk)
    assert "Người ký phải là lãnh đạo đang công tác của đơn vị ban hành." in response.content.decode()
    assert Document.objects.get(pk=draft.pk).status == DocumentStatus.DRAFT
